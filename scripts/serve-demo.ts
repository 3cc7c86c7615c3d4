/**
 * Build the demo into a temporary folder and serve it with `vite preview` on a free port (browser
 * tests and benchmarks). Bundles come from `bundlesDir`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview, type PreviewServer } from 'vite';

export const REPO = fileURLToPath(new URL('../', import.meta.url));

export interface ServedDemo {
  url: string;
  outDir: string;
  close(): Promise<void>;
}

export function freePort(): Promise<number> {
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

export async function serveDemo(options: { bundlesDir: string; extraBuild?: (outDir: string) => Promise<void> }): Promise<ServedDemo> {
  const outDir = mkdtempSync(join(tmpdir(), 'fw-demo-'));
  process.env.FW_BUNDLES_DIR = options.bundlesDir;
  const configFile = join(REPO, 'vite.config.ts');
  await build({ configFile, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  await options.extraBuild?.(outDir);
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
  return {
    url,
    outDir,
    close: async () => {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
