/**
 * The int8 ("q8") variant of the graph: dynamic quantisation of every weight MatMul with 7-bit
 * weights in two terms, exact on every CPU.
 *
 *   (xq, xs, xz) = DynamicQuantizeLinear(x)                    uint8 activations, one scale per call
 *   [p1 | p2]    = MatMulInteger(xq, [W1 | W2], xz)            one call, the two terms side by side
 *   y = float(p1) · (xs · s1) + float(p2) · (xs · s2) + b
 *
 * W ≈ s1·W1 + s2·W2: W1 is the weight rounded to 7 bits (|w| ≤ 63) with one scale per output column,
 * W2 the rounding error rounded to 7 bits again (s2 ≈ s1 / 126), so the weight keeps ~13 bits.
 *
 * Why 7 bits: x86 u8×s8 kernels without VNNI (AVX2 `vpmaddubsw`) add pairs of u8·s8 products in
 * int16 with saturation; 2 · 255 · 63 = 32,130 < 32,767, so no pair can saturate and every kernel
 * (AVX2, AVX-512, VNNI, WebAssembly) computes the same exact integer sums. With 8-bit weights
 * (2 · 255 · 127 = 64,770) AVX2 CPUs saturated and drifted from fp32 (min cosine 0.981).
 *
 * The embedding table is int8 with one scale per row (a Gather, not a matrix product: no kernel
 * saturates it). Padded positions are zeroed before quantising per-token activations so that they do
 * not widen the activation range.
 */
import type { GraphVariant } from './build-graph.ts';
import { DataType } from './onnx-builder.ts';

/** Largest magnitude of a quantised MatMulInteger weight: 7 bits, so u8·s8 pair sums fit in int16. */
export const WEIGHT_QMAX = 63;
/** Largest magnitude of a quantised embedding row (int8; gathered, never multiplied in integers). */
export const EMBEDDING_QMAX = 127;
/** Largest uint8 activation DynamicQuantizeLinear emits. */
export const ACTIVATION_MAX = 255;

export interface Quantized {
  readonly values: Int8Array;
  readonly scales: Float32Array;
}

/** Symmetric quantisation to ±qmax of a row-major [rows, cols] matrix with one scale per column. */
export function quantizePerColumn(matrix: Float32Array, rows: number, cols: number, qmax = WEIGHT_QMAX): Quantized {
  const maxAbs = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) maxAbs[c] = Math.max(maxAbs[c], Math.abs(matrix[r * cols + c]));
  }
  const scales = Float32Array.from(maxAbs, (m) => scaleFor(m, qmax));
  const values = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) values[r * cols + c] = quantizeValue(matrix[r * cols + c], scales[c], qmax);
  }
  return { values, scales };
}

/** Symmetric quantisation to ±qmax of a row-major [rows, cols] matrix with one scale per row. */
export function quantizePerRow(matrix: Float32Array, rows: number, cols: number, qmax = EMBEDDING_QMAX): Quantized {
  const scales = new Float32Array(rows);
  const values = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = matrix.subarray(r * cols, (r + 1) * cols);
    scales[r] = scaleFor(row.reduce((m, v) => Math.max(m, Math.abs(v)), 0), qmax);
    for (let c = 0; c < cols; c++) values[r * cols + c] = quantizeValue(row[c], scales[r], qmax);
  }
  return { values, scales };
}

/**
 * W ≈ s1·W1 + s2·W2 per column (both 7-bit): W1 = round(W / s1), W2 = round((W − s1·W1) / s2).
 * Returned as one [rows, 2·cols] matrix [W1 | W2] with scales [s1 | s2], for a single MatMulInteger.
 */
export function quantizeTwoTerms(matrix: Float32Array, rows: number, cols: number): Quantized {
  const first = quantizePerColumn(matrix, rows, cols);
  const residual = new Float32Array(matrix.length);
  for (let i = 0; i < residual.length; i++) residual[i] = matrix[i] - first.values[i] * first.scales[i % cols];
  const second = quantizePerColumn(residual, rows, cols);
  const values = new Int8Array(rows * cols * 2);
  for (let r = 0; r < rows; r++) {
    values.set(first.values.subarray(r * cols, (r + 1) * cols), r * 2 * cols);
    values.set(second.values.subarray(r * cols, (r + 1) * cols), r * 2 * cols + cols);
  }
  const scales = new Float32Array(cols * 2);
  scales.set(first.scales);
  scales.set(second.scales, cols);
  return { values, scales };
}

/** The float32 scale that maps ±maxAbs to ±qmax (1 for an all-zero column, whose values are all 0). */
function scaleFor(maxAbs: number, qmax: number): number {
  return maxAbs > 0 ? Math.fround(maxAbs / qmax) : 1;
}

/** Round half to even, as numpy/onnxruntime quantisers do, then clamp to ±qmax. */
function quantizeValue(value: number, scale: number, qmax: number): number {
  const scaled = value / scale;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  const rounded = diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
  return Math.min(qmax, Math.max(-qmax, rounded));
}

export const int8Variant: GraphVariant = {
  label: 'int8 dynamic quantisation (DynamicQuantizeLinear + MatMulInteger, two-term 7-bit per-column weights)',
  linear: (g, input, name, dense, tokenMask) => {
    const { values, scales } = quantizeTwoTerms(dense.weight, dense.inputs, dense.outputs);
    const weight = g.int8Tensor(`${name}.weight_quantized`, [dense.inputs, 2 * dense.outputs], values);
    const weightScale = g.floatTensor(`${name}.weight_scale`, [2 * dense.outputs], scales);
    // Zeroing padded positions keeps them out of the activation range; their outputs are never used.
    const x = tokenMask ? g.node('Mul', [input, tokenMask], `${name}/mask`) : input;
    const [xq, xScale, xZero] = g.nodeOutputs('DynamicQuantizeLinear', [x], `${name}/quantize`, ['x', 'scale', 'zero_point']);
    const product = g.node('MatMulInteger', [xq, weight, xZero], `${name}/MatMulInteger`);
    const productF = g.node('Cast', [product], `${name}/Cast`, { to: { int: DataType.FLOAT } });
    const scale = g.node('Mul', [xScale, weightScale], `${name}/scale`);
    const terms = g.node('Mul', [productF, scale], `${name}/dequantize`);
    const [first, second] = g.nodeOutputs('Split', [terms, g.int64s([dense.outputs, dense.outputs])], `${name}/terms`, ['first', 'second'], {
      axis: { int: -1 },
    });
    const y = g.node('Add', [first, second], `${name}/sum`);
    return g.node('Add', [y, g.floatTensor(`${name}.bias`, [dense.outputs], dense.bias)], `${name}/Add`);
  },
  embedding: (g, ids, embeddings) => {
    const { values, scales } = quantizePerRow(embeddings.table, embeddings.rows, embeddings.dim);
    const table = g.int8Tensor('embeddings.weight_quantized', [embeddings.rows, embeddings.dim], values);
    const rowScale = g.floatTensor('embeddings.row_scale', [embeddings.rows], scales);
    const rows = g.node('Cast', [g.node('Gather', [table, ids], 'embed/Gather', { axis: { int: 0 } })], 'embed/Cast', {
      to: { int: DataType.FLOAT },
    });
    const rowScales = g.node('Gather', [rowScale, ids], 'embed/scale/Gather', { axis: { int: 0 } });
    return g.node('Mul', [rows, g.node('Unsqueeze', [rowScales, g.int64s([-1])], 'embed/scale/Unsqueeze')], 'embed/dequantize');
  },
};
