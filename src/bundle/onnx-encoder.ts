/**
 * The sentence encoder on ONNX Runtime: a Hugging Face tokenizer (tokenizer.json) and an ONNX encoder,
 * mean-pooled over the attention mask and L2-normalised. The runtime is passed in (onnxruntime-web in
 * a page or in Node, onnxruntime-node in the trainer), so this module stays isomorphic.
 */
import { ErrorCode, FastWorkflowError, throwIfAborted } from '../errors.ts';
import type { SentenceEncoder } from './encoder.ts';
import { tokenIds } from './token-ids.ts';

/** The part of an onnxruntime module (web or node) the encoder uses. */
export interface OrtModule {
  InferenceSession: { create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: 'int64', data: BigInt64Array, dims: readonly number[]) => unknown;
}

export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, { data: unknown; dims: readonly number[] }>>;
}

/** The files of a model folder in Hugging Face layout, already read. */
export interface EncoderFiles {
  /** tokenizer.json, parsed. */
  tokenizer: object;
  /** tokenizer_config.json, parsed. */
  tokenizerConfig: object;
  /** The ONNX model's bytes. */
  model: Uint8Array;
}

export interface OnnxEncoderOptions {
  ort: OrtModule;
  files: EncoderFiles;
  /** Passed to InferenceSession.create (execution providers, threads). */
  sessionOptions?: Record<string, unknown>;
  /** Texts per inference call (default 64). */
  batchSize?: number;
  /** How the model is named in errors. */
  name?: string;
  /**
   * The embedding width when the caller knows it (a bundle's manifest): no probe run at creation,
   * and every run is checked against it. Without it, one short text is encoded to find it.
   */
  dim?: number;
}

export async function createOnnxEncoder(options: OnnxEncoderOptions): Promise<SentenceEncoder> {
  const name = options.name ?? 'the encoder';
  const tokens = tokenIds(options.files, name);
  let session: OrtSession;
  try {
    session = await options.ort.InferenceSession.create(options.files.model, options.sessionOptions);
  } catch (err) {
    throw new FastWorkflowError(ErrorCode.ModelInvalid, `The ONNX model of ${name} could not be loaded: ${String((err as Error).message ?? err).replace(/\.+$/, '')}.`);
  }
  for (const input of ['input_ids', 'attention_mask']) {
    if (!session.inputNames.includes(input)) {
      throw new FastWorkflowError(ErrorCode.ModelInvalid, `The ONNX model of ${name} has no input "${input}" (inputs: ${session.inputNames.join(', ')}): it is not a BERT-class sentence encoder.`);
    }
  }
  const output = session.outputNames.includes('last_hidden_state') ? 'last_hidden_state' : session.outputNames[0];
  const padId = tokens.padId;
  const batchSize = options.batchSize ?? 64;
  const { Tensor } = options.ort;

  const run = async (encoded: readonly number[][]): Promise<Float32Array[]> => {
    const rows = encoded.length;
    const width = Math.max(1, ...encoded.map((ids) => ids.length));
    const ids = new BigInt64Array(rows * width).fill(BigInt(padId));
    const mask = new BigInt64Array(rows * width);
    encoded.forEach((row, r) =>
      row.forEach((id, c) => {
        ids[r * width + c] = BigInt(id);
        mask[r * width + c] = 1n;
      }),
    );
    const feeds: Record<string, unknown> = {
      input_ids: new Tensor('int64', ids, [rows, width]),
      attention_mask: new Tensor('int64', mask, [rows, width]),
    };
    if (session.inputNames.includes('token_type_ids')) feeds.token_type_ids = new Tensor('int64', new BigInt64Array(rows * width), [rows, width]);
    const result = (await session.run(feeds))[output];
    const dims = result.dims;
    if (dims.length !== 3 || dims[0] !== rows || dims[1] !== width) {
      throw new FastWorkflowError(ErrorCode.ModelInvalid, `The ONNX model of ${name} returned "${output}" with shape [${dims.join(', ')}]; expected [batch, tokens, hidden].`);
    }
    if (options.dim !== undefined && dims[2] !== options.dim) {
      throw new FastWorkflowError(ErrorCode.ModelInvalid, `The ONNX model of ${name} gives vectors of ${dims[2]} values; the bundle expects ${options.dim}. Re-train the bundle with this encoder.`);
    }
    return meanPoolNormalised(result.data as Float32Array, encoded.map((e) => e.length), width, dims[2]);
  };

  /** Batches of texts of similar length (little padding), results in the input order. */
  const embed = async (texts: readonly string[], opts: { signal?: AbortSignal } = {}): Promise<Float32Array[]> => {
    const encoded = texts.map((t) => tokens.encode(t));
    const order = encoded.map((_, i) => i).sort((a, b) => encoded[a].length - encoded[b].length || a - b);
    const out = new Array<Float32Array>(texts.length);
    for (let i = 0; i < order.length; i += batchSize) {
      throwIfAborted(opts.signal);
      const batch = order.slice(i, i + batchSize);
      const vectors = await run(batch.map((k) => encoded[k]));
      batch.forEach((k, j) => (out[k] = vectors[j]));
    }
    return out;
  };
  const dim = options.dim ?? (await embed(['hello']))[0].length;
  return { dim, embed };
}

/** Mean over each row's real tokens, then unit length (what sentence-transformers' pooling does). */
export function meanPoolNormalised(hidden: Float32Array, lengths: readonly number[], width: number, dim: number): Float32Array[] {
  return lengths.map((n, r) => {
    const v = new Float32Array(dim);
    for (let t = 0; t < n; t++) {
      const offset = (r * width + t) * dim;
      for (let d = 0; d < dim; d++) v[d] += hidden[offset + d];
    }
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      v[d] /= n;
      norm += v[d] * v[d];
    }
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < dim; d++) v[d] /= norm;
    return v;
  });
}
