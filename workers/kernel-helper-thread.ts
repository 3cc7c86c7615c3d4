/// <reference lib="webworker" />
/**
 * The built-in encoder's helper thread in the browser: a nested Worker started from a Blob URL (the
 * helper is a few lines of plain JavaScript, so nothing more is fetched or bundled). A page whose
 * Content-Security-Policy forbids `blob:` workers simply keeps one thread.
 */
import { BROWSER_HELPER_SCRIPT, type KernelHelperSpawner } from '../src/bundle/use-lite/kernel-helper.ts';

/** How long the helper may take to start before the kernel goes on alone. */
const START_TIMEOUT_MS = 5000;

export const spawnBrowserHelper: KernelHelperSpawner = (init) =>
  new Promise<void>((resolve, reject) => {
    const url = URL.createObjectURL(new Blob([BROWSER_HELPER_SCRIPT], { type: 'text/javascript' }));
    let worker: Worker;
    try {
      worker = new Worker(url, { name: 'fastworkflow-kernel-helper' });
    } catch (err) {
      URL.revokeObjectURL(url);
      reject(err);
      return;
    }
    const settle = (err?: Error) => {
      clearTimeout(timer);
      URL.revokeObjectURL(url);
      if (err) {
        worker.terminate();
        reject(err);
      } else resolve();
    };
    const timer = setTimeout(() => settle(new Error('the helper thread did not start')), START_TIMEOUT_MS);
    worker.onmessage = () => settle();
    worker.onerror = (e) => settle(new Error(e.message || 'the helper thread failed to start'));
    worker.postMessage(init);
  });
