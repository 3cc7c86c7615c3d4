/// <reference lib="webworker" />
/**
 * The intent Worker: loads a trained bundle (checked file by file, cached for offline use), runs the
 * encoder with onnxruntime-web (wasm, or WebGPU when an adapter exists) and classifies over comlink.
 */
import * as Comlink from 'comlink';
import { ErrorCode, FastWorkflowError } from '../src/errors.ts';
import { BundleClassifier, FetchBundleSource, createOnnxEncoder, loadBundle, readEncoderFiles, type OrtModule } from '../src/bundle/index.ts';
import { installErrorTransfer } from './error-transfer.ts';
import type { IntentWorkerApi, LoadInfo, LoadProgress, LoadRequest } from './protocol.ts';

installErrorTransfer();

let classifier: BundleClassifier | undefined;
let encoderEmbed: ((texts: string[]) => Promise<Float32Array[]>) | undefined;

function ready(): BundleClassifier {
  if (!classifier) throw new FastWorkflowError(ErrorCode.ClassifierFailed, 'The intent model is not loaded yet: call load() first.');
  return classifier;
}

async function hasWebGpu(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

/**
 * onnxruntime-web: the plain wasm build (ort-wasm-simd-threaded.{mjs,wasm}) by default, the WebGPU
 * build (ort-wasm-simd-threaded.asyncify.{mjs,wasm}) only when asked for and an adapter exists.
 */
async function loadOrt(device: 'wasm' | 'webgpu', wasmPaths: string, threads: number): Promise<OrtModule> {
  const ort = device === 'webgpu' ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm');
  ort.env.wasm.wasmPaths = wasmPaths;
  ort.env.wasm.numThreads = threads;
  return ort as unknown as OrtModule;
}

/** After a failed start: a page served without the wasm files gets one clear message instead of a loader's error. */
async function checkWasmServed(wasmPaths: string, file: string): Promise<void> {
  const url = new URL(file, wasmPaths).href;
  let problem: string;
  try {
    const res = await fetch(url, { method: 'HEAD' });
    const type = res.headers.get('content-type') ?? '';
    if (res.ok && !type.includes('text/html')) return;
    // A single-page-app server answers every unknown path with its index.html.
    problem = res.ok ? `the server answered with ${type.split(';')[0]}, not JavaScript` : `HTTP ${res.status}`;
  } catch {
    return; // offline: nothing to tell beyond the original error
  }
  throw new FastWorkflowError(
    ErrorCode.ClassifierFailed,
    `onnxruntime-web's ${file} is not served at ${url} (${problem}). Serve the files node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.{mjs,wasm} there ` +
      `(the Vite plugin \`fastworkflow-web/vite\` does it), or point <fw-chat ort-path="…"> at where they are.`,
  );
}

const api: IntentWorkerApi = {
  load: async (request: LoadRequest, onProgress?: (p: LoadProgress) => void): Promise<LoadInfo> => {
    const started = performance.now();
    const source = new FetchBundleSource(request.bundleUrl);
    onProgress?.({ stage: 'manifest' });
    const bundle = await loadBundle(source, {
      onProgress: (done, total, path) => onProgress?.({ stage: 'verify', fraction: done / total, detail: path }),
    });
    const device = request.preferWebGpu && (await hasWebGpu()) ? 'webgpu' : 'wasm';
    const threads = self.crossOriginIsolated ? Math.max(1, Math.min(4, request.numThreads ?? Math.floor((navigator.hardwareConcurrency || 2) / 2))) : 1;
    onProgress?.({ stage: 'encoder', detail: device });
    const ort = await loadOrt(device, request.wasmPaths, threads);
    const files = await readEncoderFiles(bundle.readFile, bundle.manifest.encoder.dir, bundle.manifest.encoder.dtype);
    const encoder = await createOnnxEncoder({ ort, files, sessionOptions: { executionProviders: [device] }, name: `${request.bundleUrl} (${bundle.manifest.encoder.source})` }).catch(
      async (err: unknown) => {
        await checkWasmServed(request.wasmPaths, device === 'webgpu' ? 'ort-wasm-simd-threaded.asyncify.mjs' : 'ort-wasm-simd-threaded.mjs');
        throw err;
      },
    );
    classifier = new BundleClassifier(bundle, encoder);
    encoderEmbed = (texts) => encoder.embed(texts);
    onProgress?.({ stage: 'ready' });
    return {
      workflow: bundle.manifest.workflow,
      contexts: [...bundle.contexts.keys()],
      encoder: { source: bundle.manifest.encoder.source, dtype: bundle.manifest.encoder.dtype, dim: bundle.manifest.encoder.dim },
      device,
      threads,
      millis: performance.now() - started,
      ...(bundle.slotTagger ? { slotTagger: bundle.slotTagger } : {}),
    };
  },
  classify: async (text, context) => ready().classify(text, context),
  classifyBatch: async (texts, context) => ready().classifyBatch(texts, context),
  learn: async (text, context, label) => ready().learn(text, context, label),
  forget: async (text, context, label) => ready().forget(text, context, label),
  embed: async (texts) => {
    ready();
    return (await encoderEmbed!(texts)).map((v) => Array.from(v));
  },
};

Comlink.expose(api);
