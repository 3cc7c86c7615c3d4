/**
 * Starts a module of this package on a worker thread, and runs one-message jobs on such threads. The compiled library (.js) loads directly;
 * from TypeScript sources (tsx, vitest) the thread first registers tsx's loader: Node 20 does not
 * carry the parent's loader hooks over to a worker's entry module.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** `moduleUrl`: the module's own import.meta.url; it reads `workerData` when it finds itself on a thread. */
export function spawnThread(moduleUrl: string, workerData: unknown): Worker {
  if (!moduleUrl.endsWith('.ts')) return new Worker(new URL(moduleUrl), { workerData });
  // The ESM entry of tsx's `tsx/esm/api` export (require.resolve would give the CommonJS one).
  const tsx = pathToFileURL(join(dirname(createRequire(moduleUrl).resolve('tsx/package.json')), 'dist', 'esm', 'api', 'index.mjs')).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(moduleUrl)}); })`;
  return new Worker(code, { eval: true, workerData, execArgv: [] });
}

/**
 * One job on a worker thread: resolves with what `fromReply` makes of the thread's one message (it may
 * throw to reject). When the thread cannot start, fails to load or ends without a message, `here`
 * computes the result on this thread instead. Await it after the other work: until then a rejection
 * is held, never an unhandled one.
 */
export function threadJob<Reply, Result>(moduleUrl: string, workerData: unknown, fromReply: (reply: Reply) => Result, here: () => Result): Promise<Result> {
  let worker: Worker;
  try {
    worker = spawnThread(moduleUrl, workerData);
  } catch {
    return Promise.resolve().then(here);
  }
  const result = new Promise<Result>((resolve, reject) => {
    let settled = false;
    const settle = (compute: () => Result) => {
      if (settled) return;
      settled = true;
      try {
        resolve(compute());
      } catch (err) {
        reject(err);
      }
    };
    worker.once('message', (reply: Reply) => {
      void worker.terminate();
      settle(() => fromReply(reply));
    });
    worker.once('error', () => settle(here));
    worker.once('exit', () => settle(here));
  });
  result.catch(() => undefined);
  return result;
}
