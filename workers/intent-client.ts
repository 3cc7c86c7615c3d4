/**
 * The page side of the intent Worker: an IntentClassifier whose work runs off the main thread.
 */
import * as Comlink from 'comlink';
import { ErrorCode, FastWorkflowError, throwIfAborted } from '../src/errors.ts';
import type { ClassifyOptions, IntentClassifier, IntentPrediction, IntentScore } from '../src/intent/classifier.ts';
import type { ParameterExtractor } from '../src/params/extract.ts';
import { TaggedExtractor } from '../src/params/slots/tagged-extractor.ts';
import { SlotTagger } from '../src/params/slots/tagger.ts';
import { installErrorTransfer } from './error-transfer.ts';
import type { IntentWorkerApi, LoadInfo, LoadProgress } from './protocol.ts';

installErrorTransfer();

export interface WorkerClassifierOptions {
  /** The bundle folder's URL (absolute, or relative to the page). */
  bundleUrl: string;
  /** Where onnxruntime-web's wasm files are served (default: /ort/ on this origin). */
  wasmPaths?: string;
  preferWebGpu?: boolean;
  /**
   * Encoder threads, used only where the page is cross-origin isolated: the built-in encoder takes 2
   * unless this is 1; onnxruntime-web takes this many (default: half the cores, at most 4).
   */
  threads?: number;
  signal?: AbortSignal;
  onProgress?: (progress: LoadProgress) => void;
}

export class WorkerClassifier implements IntentClassifier {
  constructor(
    private readonly worker: Worker,
    private readonly api: Comlink.Remote<IntentWorkerApi>,
    readonly info: LoadInfo,
  ) {}

  async classify(text: string, context: string, options: ClassifyOptions = {}): Promise<IntentPrediction> {
    throwIfAborted(options.signal);
    const result = await this.api.classify(text, context);
    throwIfAborted(options.signal);
    return result;
  }

  async classifyBatch(texts: string[], context: string): Promise<IntentScore[][]> {
    return this.api.classifyBatch(texts, context);
  }

  async learn(text: string, context: string, label: string): Promise<void> {
    await this.api.learn(text, context, label);
  }

  async forget(text: string, context: string, label: string): Promise<void> {
    await this.api.forget(text, context, label);
  }

  parameterExtractor(): ParameterExtractor | undefined {
    return this.info.slotTagger ? new TaggedExtractor(new SlotTagger(this.info.slotTagger)) : undefined;
  }

  async embed(texts: string[]): Promise<number[][]> {
    return this.api.embed(texts);
  }

  dispose(): void {
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
  }
}

/** Start the Worker and load the bundle; rejects with a FastWorkflowError that says what went wrong. */
export async function createWorkerClassifier(options: WorkerClassifierOptions): Promise<WorkerClassifier> {
  throwIfAborted(options.signal);
  const worker = new Worker(new URL('./intent-worker.ts', import.meta.url), { type: 'module', name: 'fastworkflow-intent' });
  const api = Comlink.wrap<IntentWorkerApi>(worker);
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (e) => reject(new FastWorkflowError(ErrorCode.ClassifierFailed, `The intent Worker failed to start: ${e.message || 'script error'}.`)));
  });
  const abort = () => worker.terminate();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    const request = {
      bundleUrl: new URL(options.bundleUrl, location.href).href,
      wasmPaths: new URL(options.wasmPaths ?? '/ort/', location.href).href,
      preferWebGpu: options.preferWebGpu ?? false,
      ...(options.threads !== undefined ? { numThreads: options.threads } : {}),
    };
    const info = await Promise.race([api.load(request, options.onProgress ? Comlink.proxy(options.onProgress) : undefined), failed]);
    throwIfAborted(options.signal);
    return new WorkerClassifier(worker, api, info);
  } catch (err) {
    worker.terminate();
    throw err;
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
}
