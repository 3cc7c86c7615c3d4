/**
 * The USE-Lite forward pass for texts without padding (several stacked into one run of each dense
 * layer; attention stays within each text): 2·embedding + sin/cos timing → pre-LayerNorm
 * Transformer layers → mean over tokens → dense + tanh → unit length. The dense layers
 * run in the SIMD kernel; the rest (LayerNorm, attention over ≤ 128 tokens) is small and runs here.
 * Float32 throughout, as the trainer's graph of the same weights computes it.
 */
import type { KernelHelperSpawner } from './kernel-helper.ts';
import { MatmulKernel, type PackedDense, type WeightFormat } from './matmul-kernel.ts';
import type { Norm, UseLiteWeights } from './use-lite-weights.ts';

interface PackedLayer {
  readonly width: number;
  readonly heads: number;
  readonly headDim: number;
  readonly queryScale: number;
  readonly attentionNorm: Norm;
  readonly ffnNorm: Norm;
  readonly qkv: PackedDense;
  readonly attentionOut: PackedDense;
  readonly residualProjection: PackedDense | null;
  readonly ffnIn: PackedDense;
  readonly ffnOut: PackedDense;
}

export class UseLiteNetwork {
  readonly dim: number;
  readonly maxTokens: number;
  readonly simd: boolean;
  private readonly kernel: MatmulKernel;
  private readonly layers: readonly PackedLayer[];
  private readonly head: PackedDense;
  private readonly row: (id: number, d: number) => number;
  private readonly embeddingDim: number;
  private readonly vocabulary: number;
  private readonly invTimescales: Float32Array;
  private readonly epsilon: number;
  private readonly l2Epsilon: number;

  constructor(weights: UseLiteWeights, options: { maxTokens?: number; simd?: boolean; shared?: boolean; weights?: WeightFormat } = {}) {
    this.maxTokens = Math.min(options.maxTokens ?? weights.maxLength, weights.maxLength);
    const denses = weights.layers.flatMap((l) => [l.qkv, l.attentionOut, ...(l.residualProjection ? [l.residualProjection] : []), l.ffnIn, l.ffnOut]);
    this.kernel = new MatmulKernel([...denses, weights.head], this.maxTokens, { simd: options.simd, shared: options.shared, weights: options.weights });
    this.simd = this.kernel.simd;
    const packed = [...this.kernel.layers];
    this.layers = weights.layers.map((l) => ({
      width: l.width,
      heads: l.heads,
      headDim: l.headDim,
      queryScale: l.queryScale,
      attentionNorm: l.attentionNorm,
      ffnNorm: l.ffnNorm,
      qkv: packed.shift()!,
      attentionOut: packed.shift()!,
      residualProjection: l.residualProjection ? packed.shift()! : null,
      ffnIn: packed.shift()!,
      ffnOut: packed.shift()!,
    }));
    this.head = packed.shift()!;
    this.dim = weights.head.outputs;
    const { int8, dim } = weights.embeddings;
    // An int8 table stays int8 (2 MB instead of 8): a row is dequantised when a token uses it.
    const table = int8 ? undefined : weights.embeddings.table;
    this.row = int8 ? (id, d) => Math.fround(int8.values[id * dim + d] * int8.rowScales[id]) : (id, d) => table![id * dim + d];
    this.embeddingDim = weights.embeddings.dim;
    this.vocabulary = weights.embeddings.rows;
    this.invTimescales = weights.invTimescales;
    this.epsilon = weights.layerNormEpsilon;
    this.l2Epsilon = weights.l2Epsilon;
  }

  /** Threads computing the large layers (2 with a helper thread). */
  get threads(): number {
    return this.kernel.threads;
  }

  /** Adds a helper thread to the kernel (built with `shared: true`); see kernel-helper.ts. */
  startHelper(spawn: KernelHelperSpawner): Promise<boolean> {
    return this.kernel.startHelper(spawn);
  }

  /** The unit-length sentence embedding of `ids` (at most maxTokens of them). */
  embed(ids: readonly number[]): Float32Array {
    return this.embedStack([ids])[0];
  }

  /**
   * The embeddings of several texts, computed in stacks of up to maxTokens rows: the dense layers
   * run once per stack instead of once per text (fewer calls, fewer padded row groups). Each row is
   * computed exactly as alone, so every vector is bit-identical to `embed`'s.
   */
  embedMany(texts: readonly (readonly number[])[], onStack?: () => void): Float32Array[] {
    const out: Float32Array[] = [];
    for (const stack of this.stacks(texts)) {
      onStack?.();
      out.push(...this.embedStack(stack));
    }
    return out;
  }

  /** `texts` in order, in stacks of at most maxTokens rows and maxTokens texts (an empty text has no token row, but one pooled row). */
  private *stacks(texts: readonly (readonly number[])[]): Generator<(readonly number[])[]> {
    let stack: (readonly number[])[] = [];
    let rows = 0;
    for (const ids of texts) {
      const n = Math.min(ids.length, this.maxTokens);
      if (stack.length > 0 && (rows + n > this.maxTokens || stack.length === this.maxTokens)) {
        yield stack;
        stack = [];
        rows = 0;
      }
      stack.push(ids);
      rows += n;
    }
    if (stack.length > 0) yield stack;
  }

  /** Texts whose tokens (each clipped to maxTokens) fit in maxTokens rows together. */
  private embedStack(texts: readonly (readonly number[])[]): Float32Array[] {
    const segments: Segment[] = [];
    let rows = 0;
    for (const ids of texts) {
      const n = Math.min(ids.length, this.maxTokens);
      segments.push({ at: rows, n });
      rows += n;
    }
    let x: Float32Array = new Float32Array(rows * this.embeddingDim);
    texts.forEach((ids, i) => this.embedTokens(ids, segments[i], x));
    const last = this.layers.length - 1;
    for (let i = 0; i < last; i++) x = this.layer(this.layers[i], x, rows, segments);
    // The last layer is mean-pooled before its second feed-forward matrix: the mean over tokens of
    // W·h + b is W·mean(h) + b, one row per text instead of one per token (the trainer's graph
    // computes it the same way).
    const means = last >= 0 ? this.pooledLastLayer(this.layers[last], x, rows, segments) : meanRowsOf(x, segments, this.embeddingDim);
    const out = new Float32Array(segments.length * this.dim);
    this.kernel.run(this.head, means, segments.length, out);
    return segments.map((_, i) => {
      const v = out.slice(i * this.dim, (i + 1) * this.dim);
      let squares = 0;
      for (let d = 0; d < this.dim; d++) {
        v[d] = Math.tanh(v[d]);
        squares += v[d] * v[d];
      }
      const norm = Math.sqrt(Math.max(squares, this.l2Epsilon));
      for (let d = 0; d < this.dim; d++) v[d] /= norm;
      return v;
    });
  }

  /** 2·embedding + sin/cos timing signal of one text's tokens, into its rows of x. */
  private embedTokens(ids: readonly number[], { at, n }: Segment, x: Float32Array): void {
    const dim = this.embeddingDim;
    const half = this.invTimescales.length;
    for (let t = 0; t < n; t++) {
      const id = ids[t];
      if (!(id >= 0 && id < this.vocabulary)) throw new RangeError(`token id ${id} is outside the vocabulary of ${this.vocabulary}`);
      const row = (at + t) * dim;
      for (let d = 0; d < dim; d++) x[row + d] = 2 * this.row(id, d);
      for (let d = 0; d < half; d++) {
        const angle = Math.fround(t * this.invTimescales[d]);
        x[row + d] += Math.sin(angle);
        x[row + half + d] += Math.cos(angle);
      }
    }
  }

  private layer(l: PackedLayer, x: Float32Array, rows: number, segments: readonly Segment[]): Float32Array {
    const { after, inner } = this.layerParts(l, x, rows, segments);
    const ffn = new Float32Array(rows * l.ffnOut.outputs);
    this.kernel.run(l.ffnOut, inner, rows, ffn);
    for (let i = 0; i < after.length; i++) after[i] += ffn[i];
    return after;
  }

  /** Per text, the mean over its tokens of a layer's output, the second feed-forward matrix applied once to the mean. */
  private pooledLastLayer(l: PackedLayer, x: Float32Array, rows: number, segments: readonly Segment[]): Float32Array {
    const { after, inner } = this.layerParts(l, x, rows, segments);
    const hidden = l.ffnOut.outputs;
    const means = meanRowsOf(after, segments, hidden);
    const ffn = new Float32Array(segments.length * hidden);
    this.kernel.run(l.ffnOut, meanRowsOf(inner, segments, l.ffnIn.outputs), segments.length, ffn);
    for (let d = 0; d < means.length; d++) means[d] += ffn[d];
    return means;
  }

  /** A layer up to its second feed-forward matrix: the states after attention, and the ReLU activations. */
  private layerParts(l: PackedLayer, x: Float32Array, rows: number, segments: readonly Segment[]): { after: Float32Array; inner: Float32Array } {
    const w = l.width;
    const hidden = l.attentionOut.outputs;
    const qkv = new Float32Array(rows * 3 * w);
    this.kernel.run(l.qkv, layerNorm(x, rows, w, l.attentionNorm, this.epsilon), rows, qkv);
    // Attention within each text only.
    const merged = new Float32Array(rows * w);
    for (const { at, n } of segments) {
      merged.set(attention(qkv.subarray(at * 3 * w, (at + n) * 3 * w), n, w, l.heads, l.headDim, l.queryScale), at * w);
    }
    const after = new Float32Array(rows * hidden);
    this.kernel.run(l.attentionOut, merged, rows, after);
    if (l.residualProjection) {
      const residual = new Float32Array(rows * hidden);
      this.kernel.run(l.residualProjection, x, rows, residual);
      for (let i = 0; i < after.length; i++) after[i] += residual[i];
    } else {
      for (let i = 0; i < after.length; i++) after[i] += x[i];
    }
    const inner = new Float32Array(rows * l.ffnIn.outputs);
    this.kernel.run(l.ffnIn, layerNorm(after, rows, hidden, l.ffnNorm, this.epsilon), rows, inner);
    relu(inner);
    return { after, inner };
  }
}

/**
 * max(v, 0) in place, without a branch: on the bits, a value whose sign bit is set becomes +0 (half
 * the activations are negative, so a branch is mispredicted half the time: ~5× slower). -0 becomes
 * +0 too, which no later sum can tell apart (every sum starts at +0).
 */
function relu(v: Float32Array): void {
  const bits = new Int32Array(v.buffer, v.byteOffset, v.length);
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i];
    bits[i] = b & ~(b >> 31);
  }
}

/** One text's rows in a stack: rows at .. at+n-1. */
interface Segment {
  readonly at: number;
  readonly n: number;
}

/** Per segment, the float32 mean of its rows of x (width wide), summed in row order: one row per segment (zeros for an empty one). */
function meanRowsOf(x: Float32Array, segments: readonly Segment[], width: number): Float32Array {
  const means = new Float32Array(segments.length * width);
  segments.forEach(({ at, n }, i) => {
    if (n > 0) means.set(meanRows(x.subarray(at * width, (at + n) * width), n, width), i * width);
  });
  return means;
}

/** The float32 mean of the first n rows of x (width wide), summed in row order. */
function meanRows(x: Float32Array, n: number, width: number): Float32Array {
  const mean = new Float32Array(width);
  for (let t = 0; t < n; t++) for (let d = 0; d < width; d++) mean[d] += x[t * width + d];
  for (let d = 0; d < width; d++) mean[d] /= n;
  return mean;
}

/** LayerNormalization over the last axis (ONNX semantics: biased variance, ε inside the root). */
function layerNorm(x: Float32Array, rows: number, width: number, norm: Norm, epsilon: number): Float32Array {
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const at = r * width;
    let mean = 0;
    for (let d = 0; d < width; d++) mean += x[at + d];
    mean /= width;
    let variance = 0;
    for (let d = 0; d < width; d++) variance += (x[at + d] - mean) ** 2;
    const inv = 1 / Math.sqrt(variance / width + epsilon);
    for (let d = 0; d < width; d++) out[at + d] = (x[at + d] - mean) * inv * norm.scale[d] + norm.bias[d];
  }
  return out;
}

/**
 * Multi-head self-attention over all n tokens; qkv rows are [q | k | v], heads are column blocks.
 * In float64, with four independent sums per dot product and per output (no long chain of
 * dependent additions), each output rounded to float32 once.
 */
function attention(qkv: Float32Array, n: number, width: number, heads: number, headDim: number, queryScale: number): Float32Array {
  const out = new Float32Array(n * width);
  const stride = 3 * width;
  const probs = new Float64Array(n);
  const q = new Float64Array(headDim);
  for (let h = 0; h < heads; h++) {
    const q0 = h * headDim;
    const k0 = width + q0;
    const v0 = 2 * width + q0;
    for (let i = 0; i < n; i++) {
      const qi = i * stride + q0;
      for (let d = 0; d < headDim; d++) q[d] = qkv[qi + d] * queryScale;
      let max = -Infinity;
      for (let j = 0; j < n; j++) {
        const kj = j * stride + k0;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let d = 0; d < headDim; d += 4) {
          s0 += q[d] * qkv[kj + d];
          s1 += q[d + 1] * qkv[kj + d + 1];
          s2 += q[d + 2] * qkv[kj + d + 2];
          s3 += q[d + 3] * qkv[kj + d + 3];
        }
        const dot = s0 + s1 + (s2 + s3);
        probs[j] = dot;
        if (dot > max) max = dot;
      }
      let sum = 0;
      for (let j = 0; j < n; j++) sum += probs[j] = Math.exp(probs[j] - max);
      for (let j = 0; j < n; j++) probs[j] /= sum;
      const oi = i * width + q0;
      for (let d = 0; d < headDim; d += 4) {
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        for (let j = 0, vj = v0 + d; j < n; j++, vj += stride) {
          const p = probs[j];
          a0 += p * qkv[vj];
          a1 += p * qkv[vj + 1];
          a2 += p * qkv[vj + 2];
          a3 += p * qkv[vj + 3];
        }
        out[oi + d] = a0;
        out[oi + d + 1] = a1;
        out[oi + d + 2] = a2;
        out[oi + d + 3] = a3;
      }
    }
  }
  return out;
}
