/**
 * Starts a module of this package on a worker thread. The compiled library (.js) loads directly;
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
