/**
 * The built-in encoder (USE-Lite) without ONNX Runtime: its weights read from the bundle's ONNX file
 * and run by a ~1.8 KB WebAssembly kernel (int16 weights, see matmul.wat). No 14 MB runtime to fetch and compile, so a page is
 * ready about as soon as the bundle is read. Computes what the trainer computes (the same float32
 * weights; see use-lite-weights.ts), one text at a time.
 */
import { ErrorCode, FastWorkflowError, throwIfAborted } from '../../errors.ts';
import type { SentenceEncoder } from '../encoder.ts';
import type { EncoderFiles } from '../onnx-encoder.ts';
import { tokenIds } from '../token-ids.ts';
import { OnnxReadError, onnxGraphName } from './onnx-graph.ts';
import { UseLiteNetwork } from './use-lite-network.ts';
import type { KernelHelperSpawner } from './kernel-helper.ts';
import { reserveKernelMemory, type WeightFormat } from './matmul-kernel.ts';
import { USE_LITE_GRAPH_NAME, readUseLiteWeights } from './use-lite-weights.ts';

export interface UseLiteEncoderOptions {
  files: EncoderFiles;
  /** How the model is named in errors. */
  name?: string;
  /** The width the caller expects (a bundle's manifest); a model of another width is refused. */
  dim?: number;
  /** false: JavaScript loops instead of WebAssembly SIMD (slow; for engines without SIMD, and tests). */
  simd?: boolean;
  /**
   * Starts a second thread for the large layers where this thread may share memory and block on it
   * (a cross-origin isolated Worker; see kernel-helper.ts). The vectors are the same either way.
   */
  helper?: KernelHelperSpawner;
  /**
   * How the kernel keeps its weights: 'int16' (default: half the memory, best for one text at a
   * time, as in a page) or 'float32' (~40% faster over many texts, as in the trainer; twice the
   * memory, ~19 MB). The vectors are the same bits either way.
   */
  weights?: WeightFormat;
}

export interface UseLiteEncoder extends SentenceEncoder {
  /** Whether the WebAssembly SIMD kernel runs (false: the JavaScript fallback). */
  readonly simd: boolean;
  /** Threads computing the large layers: 2 once a helper thread runs, else 1. */
  readonly threads: number;
  /** Resolves when the helper thread runs (true) or will not (false: none asked for, or none could start). */
  readonly helperReady: Promise<boolean>;
}

/**
 * Maps the kernel memory that createUseLiteEncoder will need for a q8 model of `modelBytes` (its
 * int16 weights take about as many bytes as the model's two int8 terms, plus room for the inputs
 * and for unpacking a layer), so that a page can do it while the bundle's files are still arriving.
 * `shared`: when the encoder will be created with a helper thread. Changes no result.
 */
export function reserveUseLiteMemory(modelBytes: number, options: { shared: boolean }): void {
  reserveKernelMemory(Math.ceil(modelBytes * 1.1) + (1 << 20), options.shared);
}

/** Whether an ONNX model is the built-in USE-Lite encoder, which this module runs. */
export function isUseLiteModel(model: Uint8Array): boolean {
  return onnxGraphName(model) === USE_LITE_GRAPH_NAME;
}

export function createUseLiteEncoder(options: UseLiteEncoderOptions): UseLiteEncoder {
  const name = options.name ?? 'the encoder';
  const tokens = tokenIds(options.files, name);
  let network: UseLiteNetwork;
  try {
    network = new UseLiteNetwork(readUseLiteWeights(options.files.model), { maxTokens: tokens.maxTokens, simd: options.simd, shared: options.helper !== undefined, weights: options.weights });
  } catch (err) {
    if (!(err instanceof OnnxReadError)) throw err;
    throw new FastWorkflowError(ErrorCode.ModelInvalid, `The ONNX model of ${name} could not be read as the built-in USE-Lite encoder: ${err.message}. Re-train the bundle.`);
  }
  if (options.dim !== undefined && options.dim !== network.dim) {
    throw new FastWorkflowError(ErrorCode.ModelInvalid, `The ONNX model of ${name} gives vectors of ${network.dim} values; the bundle expects ${options.dim}. Re-train the bundle with this encoder.`);
  }
  const helperReady = options.helper ? network.startHelper(options.helper) : Promise.resolve(false);
  return {
    dim: network.dim,
    simd: network.simd,
    get threads() {
      return network.threads;
    },
    helperReady,
    embed: async (texts, opts = {}) => {
      throwIfAborted(opts.signal);
      return network.embedMany(
        texts.map((text) => tokens.encode(text)),
        () => throwIfAborted(opts.signal),
      );
    },
  };
}
