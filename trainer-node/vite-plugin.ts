/**
 * `fastworkflow-web/vite`: what a Vite app embedding `<fw-chat>` needs besides code.
 * - serves onnxruntime-web's wasm files at `/ort/` in dev and preview, and copies them into the build
 *   (no CDN; only the plain wasm build, ~14 MB, plus the WebGPU build when `webgpu: true`);
 * - serves trained bundles from `bundlesDir` at `/bundles/<workflow>/…` and copies them into the build;
 * - optionally serves the app cross-origin isolated (`crossOriginIsolated: true`: two encoder threads);
 * - configures the resolve condition that keeps onnxruntime-web from emitting a second inlined wasm,
 *   ES module workers, and keeps the Worker of fastworkflow-web out of dependency pre-bundling.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { defaultClientConditions, type Connect, type Plugin } from 'vite';

/** The wasm build the intent Worker uses by default. */
export const ORT_WASM_FILES = ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'];
/** The build onnxruntime-web's WebGPU entry uses (`<fw-chat prefer-webgpu>`). */
export const ORT_WEBGPU_FILES = ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'];

export interface FastworkflowViteOptions {
  /** Folder of trained bundles (each a subfolder with manifest.json), served at `/bundles/`. */
  bundlesDir?: string;
  /** Also serve and copy the WebGPU build of onnxruntime-web (another ~26 MB). Default false. */
  webgpu?: boolean;
  /**
   * Serve the app cross-origin isolated in dev and preview (COOP `same-origin` + COEP `require-corp`):
   * the built-in encoder then computes on two threads. Every resource the page loads must be
   * same-origin or send CORP/CORS headers. Your production host needs the same two headers.
   * Default false.
   */
  crossOriginIsolated?: boolean;
}

/** The two response headers that make a page cross-origin isolated. */
export const CROSS_ORIGIN_ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } as const;

/** onnxruntime-web's dist folder, as installed next to fastworkflow-web. */
export function ortDistDir(): string {
  return dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
}

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.mjs': 'text/javascript',
  '.onnx': 'application/octet-stream',
};

function serve(prefix: string, dir: () => string, allowed?: readonly string[]): Connect.NextHandleFunction {
  return (req, res, next) => {
    const url = (req.url ?? '').split('?')[0];
    if (!url.startsWith(prefix)) return next();
    const root = dir();
    const rel = decodeURIComponent(url.slice(prefix.length));
    const file = normalize(join(root, rel));
    if ((allowed && !allowed.includes(rel)) || !file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.end(`Not found: ${url}`);
      return;
    }
    // Revalidated on every use, answered 304 when unchanged: a repeat visit downloads nothing, and
    // Chromium reuses its compiled code for the wasm (kept with the HTTP cache entry).
    const { size, mtimeMs } = statSync(file);
    const etag = `W/"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('etag', etag);
    if (req.headers['if-none-match'] === etag) {
      res.statusCode = 304;
      res.end();
      return;
    }
    res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
    createReadStream(file).pipe(res);
  };
}

export function fastworkflow(options: FastworkflowViteOptions = {}): Plugin {
  const ortFiles = options.webgpu ? [...ORT_WASM_FILES, ...ORT_WEBGPU_FILES] : ORT_WASM_FILES;
  const bundlesDir = () => (options.bundlesDir ? resolve(process.env.FW_BUNDLES_DIR ?? options.bundlesDir) : undefined);
  let outDir = '';
  const middlewares = (use: (fn: Connect.NextHandleFunction) => void) => {
    use(serve('/ort/', ortDistDir, [...ORT_WASM_FILES, ...ORT_WEBGPU_FILES]));
    const bundles = bundlesDir();
    if (bundles) use(serve('/bundles/', () => bundles));
  };
  return {
    name: 'fastworkflow-web',
    config(user) {
      return {
        resolve: user.resolve?.conditions ? {} : { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
        optimizeDeps: { exclude: ['fastworkflow-web', 'onnxruntime-web'] },
        worker: { format: 'es' },
        ...(options.crossOriginIsolated ? { server: { headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS } }, preview: { headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS } } } : {}),
      };
    },
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
      if (!outDir || !existsSync(outDir)) return;
      await mkdir(join(outDir, 'ort'), { recursive: true });
      for (const f of ortFiles) await cp(join(ortDistDir(), f), join(outDir, 'ort', f));
      const bundles = bundlesDir();
      if (bundles && existsSync(bundles)) await cp(bundles, join(outDir, 'bundles'), { recursive: true });
    },
  };
}

export default fastworkflow;
