/**
 * The int8 ("q8") variant of the graph: dynamic quantisation of every weight MatMul, the same
 * scheme as the usual transformers.js `model_quantized.onnx` files.
 *
 *   (xq, xs, xz) = DynamicQuantizeLinear(x)           uint8 activations, one scale per call
 *   y = float(MatMulInteger(xq, Wq, xz)) · (xs · w_scale) + b
 *
 * Weights are symmetric int8 in [-127, 127] with one scale per output column (zero point 0). The
 * embedding table is int8 with one scale per row. Padded positions are zeroed before quantising
 * per-token activations so that they do not widen the activation range.
 *
 * Note: on x86 CPUs without VNNI, onnxruntime's u8×s8 kernel adds pairs of products in int16 and
 * can saturate; onnxruntime documents this as rarely significant. Its VNNI and WebAssembly kernels
 * accumulate in int32.
 */
import type { GraphVariant } from './build-graph.ts';
import { DataType } from './onnx-builder.ts';

/** Largest magnitude of a quantised weight (symmetric int8). */
export const WEIGHT_QMAX = 127;

export interface Quantized {
  readonly values: Int8Array;
  readonly scales: Float32Array;
}

/** Symmetric int8 quantisation of a row-major [rows, cols] matrix with one scale per column. */
export function quantizePerColumn(matrix: Float32Array, rows: number, cols: number): Quantized {
  const maxAbs = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) maxAbs[c] = Math.max(maxAbs[c], Math.abs(matrix[r * cols + c]));
  }
  const scales = Float32Array.from(maxAbs, scaleFor);
  const values = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) values[r * cols + c] = quantizeValue(matrix[r * cols + c], scales[c]);
  }
  return { values, scales };
}

/** Symmetric int8 quantisation of a row-major [rows, cols] matrix with one scale per row. */
export function quantizePerRow(matrix: Float32Array, rows: number, cols: number): Quantized {
  const scales = new Float32Array(rows);
  const values = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = matrix.subarray(r * cols, (r + 1) * cols);
    scales[r] = scaleFor(row.reduce((m, v) => Math.max(m, Math.abs(v)), 0));
    for (let c = 0; c < cols; c++) values[r * cols + c] = quantizeValue(row[c], scales[r]);
  }
  return { values, scales };
}

/** The float32 scale that maps ±maxAbs to ±WEIGHT_QMAX (no USE-Lite row or column is all zeros). */
function scaleFor(maxAbs: number): number {
  return Math.fround(maxAbs / WEIGHT_QMAX);
}

/** Round half to even, as numpy/onnxruntime quantisers do, then clamp to ±WEIGHT_QMAX. */
function quantizeValue(value: number, scale: number): number {
  const scaled = value / scale;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  const rounded = diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
  return Math.min(WEIGHT_QMAX, Math.max(-WEIGHT_QMAX, rounded));
}

export const int8Variant: GraphVariant = {
  label: 'int8 dynamic quantisation (DynamicQuantizeLinear + MatMulInteger, per-column int8 weights)',
  linear: (g, input, name, dense, tokenMask) => {
    const { values, scales } = quantizePerColumn(dense.weight, dense.inputs, dense.outputs);
    const weight = g.int8Tensor(`${name}.weight_quantized`, [dense.inputs, dense.outputs], values);
    const weightScale = g.floatTensor(`${name}.weight_scale`, [dense.outputs], scales);
    // Zeroing padded positions keeps them out of the activation range; their outputs are never used.
    const x = tokenMask ? g.node('Mul', [input, tokenMask], `${name}/mask`) : input;
    const [xq, xScale, xZero] = g.nodeOutputs('DynamicQuantizeLinear', [x], `${name}/quantize`, ['x', 'scale', 'zero_point']);
    const product = g.node('MatMulInteger', [xq, weight, xZero], `${name}/MatMulInteger`);
    const productF = g.node('Cast', [product], `${name}/Cast`, { to: { int: DataType.FLOAT } });
    const scale = g.node('Mul', [xScale, weightScale], `${name}/scale`);
    const y = g.node('Mul', [productF, scale], `${name}/dequantize`);
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
