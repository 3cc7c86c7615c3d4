/**
 * Picks the USE-Lite parameters out of the TF.js weights by their TF node names, checks their
 * shapes, and gives them model-level names. Hyper-parameters (head count, scales, epsilons,
 * maximum length) are read from the graph's constants rather than assumed.
 */
import { UseLiteConversionError } from './errors.ts';
import type { TfjsTensor } from './read-tfjs.ts';

import type { Dense, Norm, TransformerLayer, UseLiteWeights } from '../../../src/bundle/use-lite/use-lite-weights.ts';

export type { Dense, Norm, TransformerLayer, UseLiteWeights };

const MODULE = 'module/Encoder_en/KonaTransformer/Encode';
const APPLY = 'module_apply_default/Encoder_en/KonaTransformer';
const ENCODE = `${APPLY}/Encode`;
const STACK = `${ENCODE}/TransformerStack`;

const VOCAB_ROWS = 8002;
const EMBEDDING_DIM = 256;
const HIDDEN = 512;
const FFN = 1536;

/** Reads every parameter the USE-Lite network needs; throws `weight_missing` naming any that is absent or misshapen. */
export function selectUseLiteWeights(tensors: ReadonlyMap<string, TfjsTensor>): UseLiteWeights {
  const w = new WeightReader(tensors);
  const heads = w.int(`${STACK}/Layer_1/TransformerLayer/MultiheadAttention/split_heads/split_last_dimension/Reshape/shape/2`);
  const layer = (index: number, width: number): TransformerLayer => {
    const own = `${ENCODE}/Layer_${index}/TransformerLayer`;
    const stack = `${STACK}/Layer_${index}/TransformerLayer`;
    return {
      width,
      heads,
      headDim: w.int(`${stack}/MultiheadAttention/split_heads/split_last_dimension/Reshape/shape/3`),
      queryScale: w.float(`${stack}/MultiheadAttention/mul/y`),
      attentionNorm: w.norm(`${own}/layer_prepostprocess/layer_norm`, width),
      qkv: w.dense(
        `${MODULE}/Layer_${index}/TransformerLayer/MultiheadAttention/qkv_transform_single/kernel/part_0`,
        `${own}/MultiheadAttention/qkv_transform_single/bias/ConcatPartitions/concat`,
        width,
        3 * width,
        [1, 1],
      ),
      attentionOut: w.dense(
        `${MODULE}/Layer_${index}/TransformerLayer/MultiheadAttention/output_transform_single/kernel/part_0`,
        `${own}/MultiheadAttention/output_transform_single/bias/ConcatPartitions/concat`,
        width,
        HIDDEN,
        [1, 1],
      ),
      residualProjection:
        width === HIDDEN
          ? null
          : w.dense(`${own}/dense/kernel/ConcatPartitions/concat`, `${own}/dense/bias/ConcatPartitions/concat`, width, HIDDEN),
      ffnNorm: w.norm(`${own}/FFN/layer_prepostprocess/layer_norm`, HIDDEN),
      ffnIn: w.dense(`${stack}/FFN/conv1/Tensordot/Reshape_1`, `${own}/FFN/conv1/bias/ConcatPartitions/concat`, HIDDEN, FFN),
      ffnOut: w.dense(`${stack}/FFN/conv2/Tensordot/Reshape_1`, `${own}/FFN/conv2/bias/ConcatPartitions/concat`, FFN, HIDDEN),
    };
  };
  return {
    embeddings: { table: w.floats('module/Embeddings_en', [VOCAB_ROWS, EMBEDDING_DIM]), rows: VOCAB_ROWS, dim: EMBEDDING_DIM },
    invTimescales: w.floats(`${STACK}/Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1`, [1, EMBEDDING_DIM / 2]),
    layers: [layer(0, EMBEDDING_DIM), layer(1, HIDDEN)],
    head: w.dense('module/Encoder_en/hidden_layers/tanh_layer_0/weights', 'module/Encoder_en/hidden_layers/tanh_layer_0/bias', HIDDEN, HIDDEN),
    layerNormEpsilon: w.float(`${STACK}/Layer_1/TransformerLayer/FFN/layer_prepostprocess/layer_norm/Cast/x`),
    paddingBias: w.float(`${STACK}/Layer_1/TransformerLayer/MultiheadAttention/DotProductAttention/attention_bias_ignore_padding/mul/y`),
    l2Epsilon: w.float('module_apply_default/Encoder_en/hidden_layers/l2_normalize/Maximum/y'),
    maxLength: w.int(`${APPLY}/ClipToMaxLength/Less/y`),
  };
}

class WeightReader {
  constructor(private readonly tensors: ReadonlyMap<string, TfjsTensor>) {}

  floats(name: string, shape: readonly number[]): Float32Array {
    return this.take(name, shape, Float32Array) as Float32Array;
  }

  float(name: string): number {
    return this.floats(name, [])[0];
  }

  int(name: string): number {
    return (this.take(name, [], Int32Array) as Int32Array)[0];
  }

  norm(prefix: string, width: number): Norm {
    return {
      scale: this.floats(`${prefix}/layer_norm_scale/ConcatPartitions/concat`, [width]),
      bias: this.floats(`${prefix}/layer_norm_bias/ConcatPartitions/concat`, [width]),
    };
  }

  /** A dense layer; TF stores 1×1-convolution kernels as [1, 1, in, out], the same bytes as [in, out]. */
  dense(kernel: string, bias: string, inputs: number, outputs: number, leading: readonly number[] = []): Dense {
    return {
      weight: this.floats(kernel, [...leading, inputs, outputs]),
      inputs,
      outputs,
      bias: this.floats(bias, [outputs]),
    };
  }

  private take(name: string, shape: readonly number[], type: typeof Float32Array | typeof Int32Array): Float32Array | Int32Array {
    const tensor = this.tensors.get(name);
    if (!tensor || !(tensor.data instanceof type) || tensor.shape.join(',') !== shape.join(',')) {
      const found = tensor ? `${tensor.data instanceof Int32Array ? 'int32' : 'float32'} [${tensor.shape.join(', ')}]` : 'nothing';
      const expected = `${type === Int32Array ? 'int32' : 'float32'} [${shape.join(', ')}]`;
      throw new UseLiteConversionError(
        'weight_missing',
        `The TF.js graph has no weight ${name} of ${expected} (found ${found}). The package is not the USE-Lite model this converter was written for.`,
        { name, expected, found },
      );
    }
    return tensor.data;
  }
}
