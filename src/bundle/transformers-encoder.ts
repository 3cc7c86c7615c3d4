import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { ErrorCode, FastWorkflowError, throwIfAborted } from '../errors.ts';
import type { SentenceEncoder } from './encoder.ts';

export interface TransformersEncoderOptions {
  /**
   * Folder (a path: '/bundles/todo/' in a page, an absolute path in Node) that holds the model folder.
   * Not an http:// URL: transformers.js would skip the local lookup.
   */
  localModelPath?: string;
  /** The model folder's name under localModelPath, or a Hugging Face id when remote loading is on. */
  model: string;
  dtype: 'fp32' | 'q8';
  pooling?: 'mean' | 'cls';
  normalize?: boolean;
  /** Allow downloading from the Hugging Face hub (the trainer on a user's machine); off by default. */
  allowRemote?: boolean;
  /** Where downloaded models are cached (Node). */
  cacheDir?: string;
  /** onnxruntime-web wasm files served by the app itself (browser). */
  wasmPaths?: string;
  device?: 'wasm' | 'webgpu' | 'cpu';
  /** onnxruntime-web threads (only effective on a cross-origin isolated page). */
  numThreads?: number;
  /** A Cache Storage cache holding the model files (offline use in a page). */
  customCache?: Cache;
  batchSize?: number;
  onProgress?: (info: { status: string; file?: string; progress?: number }) => void;
}

/** The encoder through @huggingface/transformers: onnxruntime-node in Node, onnxruntime-web in a page. */
export async function createTransformersEncoder(options: TransformersEncoderOptions): Promise<SentenceEncoder> {
  env.allowRemoteModels = options.allowRemote ?? false;
  env.allowLocalModels = true;
  if (options.localModelPath !== undefined) env.localModelPath = options.localModelPath;
  if (options.cacheDir) env.cacheDir = options.cacheDir;
  const onnx = env.backends.onnx as { wasm?: { wasmPaths?: unknown; proxy?: boolean } };
  if (options.wasmPaths && onnx.wasm) onnx.wasm.wasmPaths = options.wasmPaths;
  if (options.numThreads && onnx.wasm) (onnx.wasm as { numThreads?: number }).numThreads = options.numThreads;
  if (options.customCache) {
    env.useCustomCache = true;
    env.customCache = options.customCache as never;
    env.useBrowserCache = false;
  }
  let extractor: FeatureExtractionPipeline;
  try {
    extractor = (await pipeline('feature-extraction', options.model, {
      dtype: options.dtype,
      ...(options.device ? { device: options.device } : {}),
      ...(options.onProgress ? { progress_callback: options.onProgress as never } : {}),
    })) as FeatureExtractionPipeline;
  } catch (err) {
    throw new FastWorkflowError(
      ErrorCode.ModelInvalid,
      `Could not load the encoder "${options.model}"${options.localModelPath ? ` from ${options.localModelPath}` : ''}: ${(err as Error).message.replace(/\.+$/, '')}. ` +
        'A model folder needs config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx (fp32) or onnx/model_quantized.onnx (q8).',
    );
  }
  const pooling = options.pooling ?? 'mean';
  const normalize = options.normalize ?? true;
  const batchSize = options.batchSize ?? 64;
  let dim = 0;
  const embed = async (texts: readonly string[], opts: { signal?: AbortSignal } = {}): Promise<Float32Array[]> => {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += batchSize) {
      throwIfAborted(opts.signal);
      const batch = texts.slice(i, i + batchSize);
      const tensor = await extractor(batch as string[], { pooling, normalize });
      const [rows, cols] = tensor.dims as [number, number];
      const data = tensor.data as Float32Array;
      for (let r = 0; r < rows; r++) out.push(data.slice(r * cols, (r + 1) * cols));
      dim = cols;
    }
    return out;
  };
  const [probe] = await embed(['hello']);
  dim = probe.length;
  return { get dim() { return dim; }, embed };
}
