/**
 * Vite plugin: serves and emits what the browser runtime needs besides code —
 * - `/ort/…`: onnxruntime-web's wasm files, from the copy @huggingface/transformers uses (no CDN);
 * - `/bundles/<workflow>/…`: trained bundles from a folder (default: the repo's bundles/).
 * In dev and preview they are served from disk; `vite build` copies them into the output.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import type { Connect, Plugin } from 'vite';

export const ORT_FILES = ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'];

export interface AssetsOptions {
  /** Folder of trained bundles (each a subfolder with manifest.json). */
  bundlesDir: string;
}

export function ortDistDir(): string {
  const fromTransformers = createRequire(createRequire(import.meta.url).resolve('@huggingface/transformers'));
  return dirname(fromTransformers.resolve('onnxruntime-web'));
}

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.mjs': 'text/javascript',
  '.onnx': 'application/octet-stream',
};

function serve(prefix: string, dir: () => string): Connect.NextHandleFunction {
  return (req, res, next) => {
    const url = (req.url ?? '').split('?')[0];
    if (!url.startsWith(prefix)) return next();
    const root = dir();
    const file = normalize(join(root, decodeURIComponent(url.slice(prefix.length))));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.end(`Not found: ${url}`);
      return;
    }
    res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
    res.setHeader('cache-control', 'no-cache');
    createReadStream(file).pipe(res);
  };
}

export function fastworkflowAssets(options: AssetsOptions): Plugin {
  const bundlesDir = () => resolve(process.env.FW_BUNDLES_DIR ?? options.bundlesDir);
  let outDir = '';
  const middlewares = (use: (fn: Connect.NextHandleFunction) => void) => {
    use(serve('/ort/', () => ortDistDir()));
    use(serve('/bundles/', bundlesDir));
  };
  return {
    name: 'fastworkflow-assets',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      middlewares((fn) => server.middlewares.use(fn));
    },
    configurePreviewServer(server) {
      middlewares((fn) => server.middlewares.use(fn));
    },
    async closeBundle() {
      if (!outDir) return;
      await mkdir(join(outDir, 'ort'), { recursive: true });
      for (const f of ORT_FILES) await cp(join(ortDistDir(), f), join(outDir, 'ort', f));
      if (existsSync(bundlesDir())) await cp(bundlesDir(), join(outDir, 'bundles'), { recursive: true });
    },
  };
}
