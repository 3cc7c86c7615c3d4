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
