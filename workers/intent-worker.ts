/// <reference lib="webworker" />
/**
 * The intent Worker: loads a trained bundle (checked file by file, cached for offline use), runs the
 * encoder and classifies over comlink. The built-in encoder runs on its own small WebAssembly
 * kernel; any other ONNX encoder on onnxruntime-web (wasm, or WebGPU when an adapter exists).
 */
import * as Comlink from 'comlink';
import { ErrorCode, FastWorkflowError } from '../src/errors.ts';
import {
  BUILTIN_ENCODER_SOURCE,
  BundleClassifier,
  FetchBundleSource,
  createOnnxEncoder,
  createUseLiteEncoder,
  isUseLiteModel,
  loadBundle,
  onnxFileFor,
  readEncoderFiles,
  reserveUseLiteMemory,
  type BundleManifest,
  type OrtModule,
  type SentenceEncoder,
} from '../src/bundle/index.ts';
import { installErrorTransfer } from './error-transfer.ts';
import { ORT_SCRIPT, startOrt } from './ort-runtime.ts';
import { LoadClock } from './load-timings.ts';
import { spawnBrowserHelper } from './kernel-helper-thread.ts';
import type { IntentWorkerApi, LoadInfo, LoadProgress, LoadRequest } from './protocol.ts';

installErrorTransfer();

let classifier: BundleClassifier | undefined;
let encoderEmbed: ((texts: string[]) => Promise<Float32Array[]>) | undefined;
/** The warm-up runs after a load: a call waits for the run under way (the encoder runs one thing at a time). */
let warming: Promise<void> = Promise.resolve();
/** Calls waiting for the warm-up: it stops after its current run, they go first. */
let waitingCalls = 0;

async function ready(): Promise<BundleClassifier> {
  if (!classifier) throw new FastWorkflowError(ErrorCode.ClassifierFailed, 'The intent model is not loaded yet: call load() first.');
  waitingCalls++;
  try {
    await warming;
  } finally {
    waitingCalls--;
  }
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

/** After a failed start: a page served without the wasm files gets one clear message instead of a loader's error. */
async function explainStartFailure(wasmPaths: string, device: keyof typeof ORT_SCRIPT, err: unknown): Promise<never> {
  await checkWasmServed(wasmPaths, ORT_SCRIPT[device]);
  throw err;
}

/** The built-in encoder's kernel memory, mapped while the bundle's files arrive; see reserveUseLiteMemory. */
function reserveEncoderMemory(manifest: BundleManifest, shared: boolean): void {
  const model = manifest.files.find((f) => f.path === `${manifest.encoder.dir}/${onnxFileFor(manifest.encoder.dtype)}`);
  if (model && manifest.encoder.dtype === 'q8') reserveUseLiteMemory(model.bytes, { shared });
}

/**
 * A few runs of the encoder before the first user message: the engine compiles the WebAssembly's
 * functions on first use, unoptimised, and re-compiles the hot ones after a few calls. A user's
 * message that arrives meanwhile does not wait for the remaining runs.
 */
async function warmUp(encoder: SentenceEncoder): Promise<void> {
  for (const text of WARM_UP_TEXTS) {
    if (waitingCalls > 0) return;
    await encoder.embed([text]);
  }
}

const WARM_UP_TEXTS = ['show me what I can do here', 'open the second one', 'yes', 'please add a new item called buy milk and bread for tomorrow'];

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
    const clock = new LoadClock();
    const device = request.preferWebGpu && (await hasWebGpu()) ? 'webgpu' : 'wasm';
    const threads = self.crossOriginIsolated ? Math.max(1, Math.min(4, request.numThreads ?? Math.floor((navigator.hardwareConcurrency || 2) / 2))) : 1;
    // onnxruntime-web only for an encoder other than the built-in one: its WebAssembly then
    // compiles while the bundle downloads and is checked.
    let runtime: Promise<OrtModule> | undefined;
    const startRuntime = (): Promise<OrtModule> =>
      (runtime ??= startOrt(device, request.wasmPaths, threads, () => clock.mark('ortImported')).then((ort) => (clock.mark('runtime'), ort)));
    const source = new FetchBundleSource(request.bundleUrl);
    // The built-in kernel takes a second thread where the page is cross-origin isolated (the same
    // vectors; large layers split between the two).
    const helper = self.crossOriginIsolated && request.numThreads !== 1 && (navigator.hardwareConcurrency || 1) >= 2 ? spawnBrowserHelper : undefined;
    onProgress?.({ stage: 'manifest' });
    const bundle = await loadBundle(source, {
      onManifest: (manifest) => {
        if (manifest.encoder.source !== BUILTIN_ENCODER_SOURCE) startRuntime().catch(() => undefined); // awaited below
        else reserveEncoderMemory(manifest, helper !== undefined);
      },
      onProgress: (done, total, path) => (clock.mark('firstFile'), onProgress?.({ stage: 'verify', fraction: done / total, detail: path })),
    });
    clock.mark('bundle');
    const files = await readEncoderFiles(bundle.readFile, bundle.manifest.encoder.dir, bundle.manifest.encoder.dtype);
    clock.mark('encoderFiles');
    const builtin = isUseLiteModel(files.model);
    onProgress?.({ stage: 'encoder', detail: builtin ? 'built-in' : device });
    const name = `${request.bundleUrl} (${bundle.manifest.encoder.source})`;
    const encoderStart = clock.since();
    // The width is the manifest's: no probe run, so ready comes right after the encoder is created
    // (the warm-up runs follow).
    let encoderThreads = threads;
    let encoder: SentenceEncoder;
    if (builtin) {
      const useLite = createUseLiteEncoder({ files, dim: bundle.manifest.encoder.dim, name, helper });
      await useLite.helperReady;
      encoderThreads = useLite.threads;
      encoder = useLite;
    } else {
      encoder = await onnxEncoder();
    }
    clock.mark('ready');
    // Ready now; the warm-up runs go on while the user types (calls wait for them). They start after
    // this reply is sent: the built-in encoder computes synchronously, so a run started here would
    // delay "ready" by a whole embedding.
    warming = new Promise((resolve) => setTimeout(resolve, 0)).then(() => warmUp(encoder)).catch(() => undefined);
    classifier = new BundleClassifier(bundle, encoder);
    encoderEmbed = (texts) => encoder.embed(texts);
    onProgress?.({ stage: 'ready' });
    const timings = clock.timings();
    return {
      workflow: bundle.manifest.workflow,
      contexts: [...bundle.contexts.keys()],
      encoder: { source: bundle.manifest.encoder.source, dtype: bundle.manifest.encoder.dtype, dim: bundle.manifest.encoder.dim },
      runtime: builtin ? 'use-lite-wasm' : 'onnxruntime-web',
      device: builtin ? 'wasm' : device,
      threads: encoderThreads,
      millis: clock.since(),
      timings: { ...timings, encoder: Math.round(clock.since() - encoderStart) },
      files: { ...bundle.reads, hashMillis: Math.round(bundle.reads.hashMillis) },
      ...(bundle.slotTagger ? { slotTagger: bundle.slotTagger } : {}),
    };

    async function onnxEncoder(): Promise<SentenceEncoder> {
      const ort = await startRuntime().catch((err: unknown) => explainStartFailure(request.wasmPaths, device, err));
      return createOnnxEncoder({
        ort,
        files,
        dim: bundle.manifest.encoder.dim,
        sessionOptions: { executionProviders: [device] },
        name,
      }).catch((err: unknown) => explainStartFailure(request.wasmPaths, device, err));
    }
  },
  classify: async (text, context) => (await ready()).classify(text, context),
  classifyBatch: async (texts, context) => (await ready()).classifyBatch(texts, context),
  learn: async (text, context, label) => (await ready()).learn(text, context, label),
  forget: async (text, context, label) => (await ready()).forget(text, context, label),
  embed: async (texts) => {
    await ready();
    return (await encoderEmbed!(texts)).map((v) => Array.from(v));
  },
};

Comlink.expose(api);
