import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The demo, served by `vite preview`, e.g. http://127.0.0.1:41234/ */
    demoUrl: string;
    /** Bundles trained for the tests (hello_world, todo, and a damaged copy `bad-hash`). */
    bundlesDir: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Build the demo (and the component harness) into a temporary folder, not the repo's dist/, and serve it on a free port. */
/** Train the bundles the browser tests use (built-in offline encoder), plus a damaged copy. */
async function trainBundles(dir: string): Promise<void> {
  const { examples } = await import('../../demo/workflows/index.ts');
  const { loadEncoder, trainWorkflow } = await import('../../trainer-node/train/train.ts');
  const encoder = await loadEncoder(undefined, 'q8');
  for (const name of ['hello_world', 'todo']) await trainWorkflow({ workflow: examples[name], outDir: join(dir, name), encoder });
  cpSync(join(dir, 'hello_world'), join(dir, 'bad-hash'), { recursive: true });
  const head = readdirSync(join(dir, 'bad-hash', 'heads')).find((f) => f.endsWith('.head.f32'))!;
  const bytes = readFileSync(join(dir, 'bad-hash', 'heads', head));
  bytes[64] ^= 0xff;
  writeFileSync(join(dir, 'bad-hash', 'heads', head), bytes);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const outDir = mkdtempSync(join(tmpdir(), 'fw-demo-'));
  const bundlesDir = mkdtempSync(join(tmpdir(), 'fw-test-bundles-'));
  await trainBundles(bundlesDir);
  process.env.FW_BUNDLES_DIR = bundlesDir;
  project.provide('bundlesDir', bundlesDir);
  const configFile = join(project.config.root, 'vite.config.ts');
  await build({ configFile, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  // The <fw-chat> test harness, beside the demo under /harness/ (never part of the demo build).
  const harness = join(project.config.root, 'tests/browser/harness');
  await build({ configFile: false, root: harness, base: '/harness/', logLevel: 'warn', build: { outDir: join(outDir, 'harness'), emptyOutDir: true } });
  let server: PreviewServer | undefined;
  for (let attempt = 0; !server; attempt++) {
    const port = await freePort();
    try {
      server = await preview({ configFile, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port, strictPort: true, open: false } });
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  const res = await fetch(url);
  if (!res.ok) throw new Error(`the demo is not served: GET ${url} → ${res.status}`);
  project.provide('demoUrl', url);
  return async () => {
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
    rmSync(bundlesDir, { recursive: true, force: true });
  };
}
