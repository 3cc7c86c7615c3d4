import { createRequire } from 'node:module';
import type * as OnnxProto from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildUseLiteModel } from '../../../trainer-node/models/use-lite/build-graph.ts';
import { CONVERTER_VERSION } from '../../../trainer-node/models/use-lite/prepare.ts';
import { ACTIVATION_MAX, WEIGHT_QMAX, int8Variant, quantizePerColumn, quantizeTwoTerms } from '../../../trainer-node/models/use-lite/quantize.ts';
import { locateSourcePackage, readTfjsPackage } from '../../../trainer-node/models/use-lite/read-tfjs.ts';
import { selectUseLiteWeights, type Dense, type UseLiteWeights } from '../../../trainer-node/models/use-lite/use-weights.ts';
import { seededRandom } from '../../../src/util/rng.ts';

const { onnx } = createRequire(import.meta.url)('onnx-proto') as typeof OnnxProto;
const INT16_MAX = 32767;
const INT16_MIN = -32768;

let weights: UseLiteWeights;
let model: OnnxProto.onnx.ModelProto;

beforeAll(async () => {
  weights = selectUseLiteWeights((await readTfjsPackage(locateSourcePackage())).tensors);
  model = onnx.ModelProto.decode(buildUseLiteModel(weights, int8Variant, CONVERTER_VERSION));
});

function int8Values(tensor: OnnxProto.onnx.ITensorProto): Int8Array {
  const raw = tensor.rawData!;
  return new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength);
}

/** u8·s8 dot product as AVX2 `vpmaddubsw` + `vpmaddwd` compute it: pairs summed in int16 with saturation. */
function pairwiseSaturatingDot(a: Uint8Array, b: Int8Array, bStride: number, column: number): number {
  let sum = 0;
  for (let k = 0; k < a.length; k += 2) {
    const pair = a[k] * b[k * bStride + column] + (k + 1 < a.length ? a[k + 1] * b[(k + 1) * bStride + column] : 0);
    sum += Math.max(INT16_MIN, Math.min(INT16_MAX, pair));
  }
  return sum;
}

function exactDot(a: Uint8Array, b: Int8Array, bStride: number, column: number): number {
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += a[k] * b[k * bStride + column];
  return sum;
}

/** Activations that stress a kernel: all at the maximum, and random uint8 rows. */
function activationRows(width: number): Uint8Array[] {
  const random = seededRandom(7);
  return [new Uint8Array(width).fill(ACTIVATION_MAX), ...Array.from({ length: 8 }, () => Uint8Array.from({ length: width }, () => Math.floor(random() * 256)))];
}

/** Rows of exact and emulated-kernel results for `values` ([inputs, cols] int8) over `rows`. */
function compareKernels(values: Int8Array, inputs: number, cols: number, rows: readonly Uint8Array[]): { differing: number; total: number } {
  let differing = 0;
  let total = 0;
  for (const a of rows) {
    for (let c = 0; c < cols; c++) {
      total++;
      if (pairwiseSaturatingDot(a, values, cols, c) !== exactDot(a, values, cols, c)) differing++;
    }
  }
  return { differing, total };
}

describe('int8 encoder quantisation', () => {
  it('feeds every MatMulInteger uint8 activations and weights small enough that no u8×s8 pair saturates int16', () => {
    const graph = model.graph!;
    const initializers = new Map(graph.initializer!.map((t) => [t.name!, t]));
    const producers = new Map(graph.node!.flatMap((n) => n.output!.map((o) => [o, n] as const)));
    const products = graph.node!.filter((n) => n.opType === 'MatMulInteger');
    expect(products.length).toBe(weights.layers.reduce((n, l) => n + (l.residualProjection ? 5 : 4), 0) + 1);
    for (const node of products) {
      const [a, b] = node.input!;
      expect(producers.get(a)?.opType, node.name!).toBe('DynamicQuantizeLinear');
      const weight = initializers.get(b);
      expect(weight?.dataType, node.name!).toBe(onnx.TensorProto.DataType.INT8);
      const maxAbs = int8Values(weight!).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(maxAbs, node.name!).toBeLessThanOrEqual(WEIGHT_QMAX);
      expect(2 * ACTIVATION_MAX * maxAbs, node.name!).toBeLessThanOrEqual(INT16_MAX);
    }
  });

  it('gives exact integer sums under a pairwise int16-saturating kernel (one real layer)', () => {
    const node = model.graph!.node!.find((n) => n.opType === 'MatMulInteger' && n.name!.startsWith('l0.ffn2'))!;
    const weight = model.graph!.initializer!.find((t) => t.name === node.input![1])!;
    const [inputs, cols] = weight.dims!.map(Number);
    expect(compareKernels(int8Values(weight), inputs, cols, activationRows(inputs)).differing).toBe(0);
  });

  it('would saturate with full 8-bit weights (the emulation detects the problem it guards against)', () => {
    const dense = weights.layers[0].ffnOut;
    const eightBit = quantizePerColumn(dense.weight, dense.inputs, dense.outputs, 127);
    expect(compareKernels(eightBit.values, dense.inputs, dense.outputs, activationRows(dense.inputs)).differing).toBeGreaterThan(0);
  });

  it('keeps ~13 bits of every weight in two 7-bit terms', () => {
    const dense: Dense = weights.layers[1].qkv;
    const { values, scales } = quantizeTwoTerms(dense.weight, dense.inputs, dense.outputs);
    const cols = dense.outputs;
    let worst = 0;
    for (let r = 0; r < dense.inputs; r++) {
      for (let c = 0; c < cols; c++) {
        const w = dense.weight[r * cols + c];
        const approx = values[r * 2 * cols + c] * scales[c] + values[r * 2 * cols + cols + c] * scales[cols + c];
        const maxAbs = scales[c] * WEIGHT_QMAX;
        worst = Math.max(worst, Math.abs(w - approx) / maxAbs);
      }
    }
    expect(values.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeLessThanOrEqual(WEIGHT_QMAX);
    // One 7-bit term is off by up to 1/126 of the column's range; two terms by ~1/126².
    expect(worst).toBeLessThan(1 / (2 * WEIGHT_QMAX) ** 2 + 1e-6);
  });
});
