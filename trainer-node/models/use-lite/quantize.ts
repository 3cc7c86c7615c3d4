/**
 * The int8 ("q8") variant of the graph: dynamic quantisation of every weight MatMul, the same
 * scheme as the usual transformers.js `model_quantized.onnx` files.
 *
 *   (xq, xs, xz) = DynamicQuantizeLinear(x)           uint8 activations, one scale per call
 *   y = float(MatMulInteger(xq, Wq, xz)) · (xs · w_scale) + b
 *
 * Weights are symmetric int8 with one scale per output column (zero point 0). They use 7 bits
 * (±64), as onnxruntime's `reduce_range` does: with u8×s8 products, x86 CPUs without VNNI add
 * pairs of products in int16, and 255·64·2 stays below 32767 where 255·127·2 would saturate.
 * The embedding table is int8 with one scale per row (full ±127; it is only gathered).
 */
import type { GraphVariant } from './build-graph.ts';
import { DataType } from './onnx-builder.ts';

/** Largest weight magnitude in MatMulInteger inputs (7-bit range, see above). */
export const MATMUL_WEIGHT_QMAX = 64;
/** Largest magnitude in the gathered embedding table. */
export const EMBEDDING_QMAX = 127;

export interface Quantized {
  readonly values: Int8Array;
  readonly scales: Float32Array;
}

/** Symmetric int8 quantisation of a row-major [rows, cols] matrix with one scale per column. */
export function quantizePerColumn(matrix: Float32Array, rows: number, cols: number, qmax: number): Quantized {
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

/** Symmetric int8 quantisation of a row-major [rows, cols] matrix with one scale per row. */
export function quantizePerRow(matrix: Float32Array, rows: number, cols: number, qmax: number): Quantized {
  const scales = new Float32Array(rows);
  const values = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = matrix.subarray(r * cols, (r + 1) * cols);
    scales[r] = scaleFor(row.reduce((m, v) => Math.max(m, Math.abs(v)), 0), qmax);
    for (let c = 0; c < cols; c++) values[r * cols + c] = quantizeValue(row[c], scales[r], qmax);
  }
  return { values, scales };
}

/** An all-zero column or row gets scale 1 (its values quantise to 0 either way). */
function scaleFor(maxAbs: number, qmax: number): number {
  return maxAbs > 0 ? Math.fround(maxAbs / qmax) : 1;
}

/** Round half to even, as numpy/onnxruntime quantisers do, then clamp. */
function quantizeValue(value: number, scale: number, qmax: number): number {
  const scaled = value / scale;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  const rounded = diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
  return Math.min(qmax, Math.max(-qmax, rounded));
}

export const int8Variant: GraphVariant = {
  label: 'int8 dynamic quantisation (DynamicQuantizeLinear + MatMulInteger, per-column int8 weights)',
  linear: (g, input, name, dense) => {
    const { values, scales } = quantizePerColumn(dense.weight, dense.inputs, dense.outputs, MATMUL_WEIGHT_QMAX);
    const weight = g.int8Tensor(`${name}.weight_quantized`, [dense.inputs, dense.outputs], values);
    const weightScale = g.floatTensor(`${name}.weight_scale`, [dense.outputs], scales);
    const [xq, xScale, xZero] = g.nodeOutputs('DynamicQuantizeLinear', [input], `${name}/quantize`, ['x', 'scale', 'zero_point']);
    const product = g.node('MatMulInteger', [xq, weight, xZero], `${name}/MatMulInteger`);
    const productF = g.node('Cast', [product], `${name}/Cast`, { to: { int: DataType.FLOAT } });
    const scale = g.node('Mul', [xScale, weightScale], `${name}/scale`);
    const y = g.node('Mul', [productF, scale], `${name}/dequantize`);
    return g.node('Add', [y, g.floatTensor(`${name}.bias`, [dense.outputs], dense.bias)], `${name}/Add`);
  },
  embedding: (g, ids, embeddings) => {
    const { values, scales } = quantizePerRow(embeddings.table, embeddings.rows, embeddings.dim, EMBEDDING_QMAX);
    const table = g.int8Tensor('embeddings.weight_quantized', [embeddings.rows, embeddings.dim], values);
    const rowScale = g.floatTensor('embeddings.row_scale', [embeddings.rows], scales);
    const rows = g.node('Cast', [g.node('Gather', [table, ids], 'embed/Gather', { axis: { int: 0 } })], 'embed/Cast', {
      to: { int: DataType.FLOAT },
    });
    const rowScales = g.node('Gather', [rowScale, ids], 'embed/scale/Gather', { axis: { int: 0 } });
    return g.node('Mul', [rows, g.node('Unsqueeze', [rowScales, g.int64s([-1])], 'embed/scale/Unsqueeze')], 'embed/dequantize');
  },
};
