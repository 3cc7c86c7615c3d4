/// <reference lib="webworker" />
/**
 * The intent Worker: loads a trained bundle (checked file by file, cached for offline use), runs the
 * encoder with onnxruntime-web (wasm, or WebGPU when an adapter exists) and classifies over comlink.
 */
import * as Comlink from 'comlink';
import { ErrorCode, FastWorkflowError, toErrorData } from '../src/errors.ts';
import { BundleClassifier, FetchBundleSource, createTransformersEncoder, loadBundle } from '../src/bundle/index.ts';
import type { IntentWorkerApi, LoadInfo, LoadProgress, LoadRequest, WorkerResult } from './protocol.ts';

let classifier: BundleClassifier | undefined;
let encoderEmbed: ((texts: string[]) => Promise<Float32Array[]>) | undefined;

async function guard<T>(fn: () => Promise<T>): Promise<WorkerResult<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    return { ok: false, error: toErrorData(err, ErrorCode.ClassifierFailed) };
  }
}

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

const api: IntentWorkerApi = {
  load: (request: LoadRequest, onProgress?: (p: LoadProgress) => void) =>
    guard(async (): Promise<LoadInfo> => {
      const started = performance.now();
      const source = new FetchBundleSource(request.bundleUrl);
      onProgress?.({ stage: 'manifest' });
      const bundle = await loadBundle(source, {
        onProgress: (done, total, path) => onProgress?.({ stage: 'verify', fraction: done / total, detail: path }),
      });
      const device = request.preferWebGpu && (await hasWebGpu()) ? 'webgpu' : 'wasm';
      const threads = self.crossOriginIsolated ? Math.max(1, Math.min(4, request.numThreads ?? Math.floor((navigator.hardwareConcurrency || 2) / 2))) : 1;
      onProgress?.({ stage: 'encoder', detail: device });
      const cache = await source.openCache();
      const basePath = new URL(request.bundleUrl).pathname;
      const encoder = await createTransformersEncoder({
        localModelPath: basePath.endsWith('/') ? basePath : `${basePath}/`,
        model: bundle.manifest.encoder.dir,
        dtype: bundle.manifest.encoder.dtype,
        wasmPaths: request.wasmPaths,
        device,
        numThreads: threads,
        customCache: cache,
      });
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
    }),
  classify: (text, context) => guard(() => ready().classify(text, context)),
  classifyBatch: (texts, context) => guard(() => ready().classifyBatch(texts, context)),
  learn: (text, context, label) => guard(() => ready().learn(text, context, label)),
  embed: (texts) =>
    guard(async () => {
      ready();
      return (await encoderEmbed!(texts)).map((v) => Array.from(v));
    }),
};

Comlink.expose(api);
