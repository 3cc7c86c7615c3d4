/**
 * The USE-Lite network's parameters, read from either of the trainer's ONNX files (fp32, or the
 * int8 "q8" file with two-term 7-bit weights) and turned into float32. Both the page's encoder and
 * the trainer compute with these same float32 values, so they agree to rounding.
 *
 * A q8 weight is W = s1·W1 + s2·W2 per output column (see trainer-node/models/use-lite/quantize.ts);
 * its float32 value is fround(fround(W1·s1) + fround(W2·s2)). An embedding row is q · s (one scale
 * per row). Hyper-parameters (heads, scales, epsilons) come from the graph's nodes, not assumptions.
 */
import { OnnxReadError, floats, int64s, int8s, readOnnxGraph, type OnnxGraph, type OnnxTensor } from './onnx-graph.ts';

/** The name the trainer's converter gives the USE-Lite graph (how a model is recognised). */
export const USE_LITE_GRAPH_NAME = 'use_lite_en';

/** A dense layer y = x·W + b, with W row-major [inputs, outputs]. */
export interface Dense {
  readonly weight: Float32Array;
  readonly inputs: number;
  readonly outputs: number;
  readonly bias: Float32Array;
  /**
   * Of a q8 file: the two-term int8 values [W1 | W2] per row and their scales [s1 | s2], from
   * which `weight` is computed on first use (the page's kernel packs straight from these).
   */
  readonly twoTerm?: { readonly values: Int8Array; readonly scales: Float32Array };
}

/** W[k][n] of a two-term q8 weight as float32 (the one formula both the page and the trainer use). */
export function twoTermWeight(values: Int8Array, scales: Float32Array, outputs: number, k: number, n: number): number {
  const row = k * 2 * outputs;
  return Math.fround(Math.fround(values[row + n] * scales[n]) + Math.fround(values[row + outputs + n] * scales[outputs + n]));
}

/**
 * A dense layer's weights as the encoder computes with them: int16 values with one power-of-two
 * scale per output column, so that each weight is exactly `values · scale` in float32 (about 15
 * significant bits: finer than the q8 file's two terms). Half the bytes of float32 weights, which
 * is what the page's kernel streams for every text.
 */
export interface Int16Weights {
  /** Row-major [inputs, outputs]. */
  readonly values: Int16Array;
  /** 2^e per output column: the smallest power of two that keeps the column's bound within ±32767. */
  readonly scales: Float32Array;
}

const INT16_LIMIT = 32767;

/** The layer's int16 weights (from the q8 file's two terms, or from float32 weights), computed the same way everywhere. */
export function int16Weights(dense: Dense): Int16Weights {
  const { inputs, outputs, twoTerm } = dense;
  const scales = Float32Array.from(columnBounds(dense), powerOfTwoScale);
  // Dividing by a power of two is exact, and so is multiplying by its inverse.
  const inverse = Float64Array.from(scales, (s) => 1 / s);
  const values = new Int16Array(inputs * outputs);
  for (let k = 0, i = 0; k < inputs; k++) {
    for (let n = 0; n < outputs; n++, i++) {
      const w = twoTerm ? twoTermWeight(twoTerm.values, twoTerm.scales, outputs, k, n) : dense.weight[i];
      values[i] = Math.round(w * inverse[n]);
    }
  }
  return { values, scales };
}

/**
 * Per output column, a bound on |w| that sets the column's scale: the largest |w| of float32
 * weights; of two-term weights, what the largest int8 terms give (`twoTermBounds`: the page's
 * kernel finds it in one pass over the int8 values, without computing the weights first).
 */
export function columnBounds(dense: Dense): Float32Array {
  const { inputs, outputs, twoTerm } = dense;
  if (twoTerm) {
    const largest = new Uint8Array(2 * outputs);
    for (let k = 0, i = 0; k < inputs; k++) {
      for (let j = 0; j < 2 * outputs; j++, i++) {
        const a = Math.abs(twoTerm.values[i]);
        if (a > largest[j]) largest[j] = a;
      }
    }
    return twoTermBounds(largest, twoTerm.scales, outputs);
  }
  const largest = new Float32Array(outputs);
  for (let k = 0, i = 0; k < inputs; k++) {
    for (let n = 0; n < outputs; n++, i++) {
      const a = Math.abs(dense.weight[i]);
      if (a > largest[n]) largest[n] = a;
    }
  }
  return largest;
}

/**
 * From the largest |W1| and |W2| of each column ([first terms | second terms]) and the scales
 * [s1 | s2]: fround(max|W1|·s1) + fround(max|W2|·s2) in float32, never below any |w| of the column
 * (rounding is monotonic), so the column's int16 values stay within ±32767.
 */
export function twoTermBounds(largest: Uint8Array, scales: Float32Array, outputs: number): Float32Array {
  return Float32Array.from({ length: outputs }, (_, n) => Math.fround(largest[n] * scales[n]) + Math.fround(largest[outputs + n] * scales[outputs + n]));
}

/** The smallest power of two s with largest / s ≤ 32767 (1 for a column of zeros). */
export function powerOfTwoScale(largest: number): number {
  if (!(largest > 0)) return 1;
  let scale = 2 ** Math.ceil(Math.log2(largest / INT16_LIMIT));
  while (largest / scale > INT16_LIMIT) scale *= 2;
  while (largest / (scale / 2) <= INT16_LIMIT) scale /= 2;
  return scale;
}

/**
 * The network with every dense layer's weights replaced by their int16 values (exactly as the
 * page's kernel computes with them): what the trainer builds its float32 graph from.
 */
export function computedWeights(weights: UseLiteWeights): UseLiteWeights {
  const asComputed = (d: Dense): Dense => {
    const { values, scales } = int16Weights(d);
    const weight = new Float32Array(values.length);
    for (let k = 0, i = 0; k < d.inputs; k++) for (let n = 0; n < d.outputs; n++, i++) weight[i] = values[i] * scales[n];
    return { inputs: d.inputs, outputs: d.outputs, bias: d.bias, weight };
  };
  return {
    ...weights,
    embeddings: weights.embeddings,
    layers: weights.layers.map((l) => ({
      ...l,
      qkv: asComputed(l.qkv),
      attentionOut: asComputed(l.attentionOut),
      residualProjection: l.residualProjection ? asComputed(l.residualProjection) : null,
      ffnIn: asComputed(l.ffnIn),
      ffnOut: asComputed(l.ffnOut),
    })),
    head: asComputed(weights.head),
  };
}

export interface Norm {
  readonly scale: Float32Array;
  readonly bias: Float32Array;
}

export interface TransformerLayer {
  readonly width: number;
  readonly heads: number;
  readonly headDim: number;
  readonly queryScale: number;
  readonly attentionNorm: Norm;
  readonly qkv: Dense;
  readonly attentionOut: Dense;
  readonly residualProjection: Dense | null;
  readonly ffnNorm: Norm;
  readonly ffnIn: Dense;
  readonly ffnOut: Dense;
}

/** The same shape as the converter's weights, so the trainer can rebuild a graph from them. */
export interface UseLiteWeights {
  /** `rowScales` with int8 `values` (q8 files): `table` is computed from them on first use. */
  readonly embeddings: {
    readonly table: Float32Array;
    readonly rows: number;
    readonly dim: number;
    readonly int8?: { readonly values: Int8Array; readonly rowScales: Float32Array };
  };
  readonly invTimescales: Float32Array;
  readonly layers: readonly TransformerLayer[];
  readonly head: Dense;
  readonly layerNormEpsilon: number;
  readonly paddingBias: number;
  readonly l2Epsilon: number;
  readonly maxLength: number;
}

/** Where the TF graph clips its input (the converter writes it to tokenizer_config.json, not the graph). */
const USE_LITE_MAX_LENGTH = 128;

/** Reads and dequantises the network; throws OnnxReadError naming what is missing for any other model. */
export function readUseLiteWeights(model: Uint8Array | OnnxGraph): UseLiteWeights {
  const graph = model instanceof Uint8Array ? readOnnxGraph(model) : model;
  if (graph.name !== USE_LITE_GRAPH_NAME) throw new OnnxReadError(`the graph is "${graph.name}", not the built-in USE-Lite encoder ("${USE_LITE_GRAPH_NAME}")`);
  const r = new GraphReader(graph);
  const layers: TransformerLayer[] = [];
  for (let i = 0; r.has(`l${i}.attn_norm.scale`); i++) {
    const [, , heads, headDim] = int64s(r.tensor(r.nodeInput(`l${i}/q/Reshape`, 1)));
    if (headDim % 4 !== 0) throw new OnnxReadError(`layer ${i} has heads of ${headDim} values; the encoder needs a multiple of 4`);
    const residual = r.has(`l${i}.residual_proj.bias`) ? r.dense(`l${i}.residual_proj`) : null;
    const attentionNorm = r.norm(`l${i}.attn_norm`);
    layers.push({
      width: attentionNorm.scale.length,
      heads,
      headDim,
      queryScale: r.scalar(r.nodeInput(`l${i}/q/scale`, 1)),
      attentionNorm,
      qkv: r.dense(`l${i}.qkv`),
      attentionOut: r.dense(`l${i}.attn_out`),
      residualProjection: residual,
      ffnNorm: r.norm(`l${i}.ffn_norm`),
      ffnIn: r.dense(`l${i}.ffn1`),
      ffnOut: r.dense(`l${i}.ffn2`),
    });
  }
  if (layers.length === 0) throw new OnnxReadError('the USE-Lite graph has no Transformer layers (l0.attn_norm.scale is missing)');
  const epsilon = r.node('l0.attn_norm/LayerNormalization').attributes.get('epsilon');
  if (epsilon === undefined) throw new OnnxReadError('the LayerNormalization node has no epsilon');
  return {
    embeddings: r.embeddings(),
    invTimescales: floats(r.tensor('timing.inv_timescales')),
    layers,
    head: r.dense('head.tanh'),
    layerNormEpsilon: epsilon,
    paddingBias: r.scalar(r.nodeInput('attention_bias/Mul', 1)),
    l2Epsilon: r.scalar(r.nodeInput('l2/Max', 1)),
    maxLength: USE_LITE_MAX_LENGTH,
  };
}

class GraphReader {
  private readonly nodes: Map<string, OnnxGraph['nodes'][number]>;

  constructor(private readonly graph: OnnxGraph) {
    this.nodes = new Map(graph.nodes.map((n) => [n.name, n]));
  }

  has(name: string): boolean {
    return this.graph.initializers.has(name);
  }

  tensor(name: string): OnnxTensor {
    const t = this.graph.initializers.get(name);
    if (!t) throw new OnnxReadError(`the USE-Lite graph has no initializer "${name}"`);
    return t;
  }

  node(name: string): OnnxGraph['nodes'][number] {
    const n = this.nodes.get(name);
    if (!n) throw new OnnxReadError(`the USE-Lite graph has no node "${name}"`);
    return n;
  }

  nodeInput(name: string, index: number): string {
    const input = this.node(name).inputs[index];
    if (input === undefined) throw new OnnxReadError(`node "${name}" has no input ${index}`);
    return input;
  }

  scalar(name: string): number {
    return floats(this.tensor(name))[0];
  }

  norm(prefix: string): Norm {
    return { scale: floats(this.tensor(`${prefix}.scale`)), bias: floats(this.tensor(`${prefix}.bias`)) };
  }

  dense(prefix: string): Dense {
    const bias = floats(this.tensor(`${prefix}.bias`));
    if (this.has(`${prefix}.weight`)) {
      const t = this.tensor(`${prefix}.weight`);
      return { weight: floats(t), inputs: t.dims[0], outputs: t.dims[1], bias };
    }
    const q = this.tensor(`${prefix}.weight_quantized`);
    const values = int8s(q);
    const scales = floats(this.tensor(`${prefix}.weight_scale`));
    const [inputs, twice] = q.dims;
    const outputs = twice / 2;
    if (outputs !== bias.length || scales.length !== twice) throw new OnnxReadError(`"${prefix}" is not a two-term quantised weight of ${bias.length} outputs`);
    const weight = once(() => Float32Array.from({ length: inputs * outputs }, (_, i) => twoTermWeight(values, scales, outputs, Math.floor(i / outputs), i % outputs)));
    return {
      inputs,
      outputs,
      bias,
      twoTerm: { values, scales },
      get weight() {
        return weight();
      },
    };
  }

  embeddings(): UseLiteWeights['embeddings'] {
    if (this.has('embeddings.weight')) {
      const t = this.tensor('embeddings.weight');
      return { table: floats(t), rows: t.dims[0], dim: t.dims[1] };
    }
    const q = this.tensor('embeddings.weight_quantized');
    const values = int8s(q);
    const rowScales = floats(this.tensor('embeddings.row_scale'));
    const [rows, dim] = q.dims;
    const table = once(() => Float32Array.from(values, (v, i) => Math.fround(v * rowScales[Math.floor(i / dim)])));
    return {
      rows,
      dim,
      int8: { values, rowScales },
      get table() {
        return table();
      },
    };
  }
}

/** `make()` on the first call, the same value after (large arrays computed only if someone asks). */
function once<T>(make: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: make() }).v;
}
