/**
 * Dense layers y = x·W + b for the built-in encoder: weights packed once into a WebAssembly
 * memory, products computed by the SIMD kernel in matmul.wat (about 20 multiply-adds per
 * nanosecond on one core here), or by the same loops in JavaScript where WebAssembly SIMD is
 * missing (the same float32 operations in the same order, so the same results; much slower).
 */
import { MATMUL_WASM } from './matmul-wasm.ts';
import type { Dense } from './use-lite-weights.ts';

/** Output columns per packed strip (the kernel's width). */
export const STRIP = 16;
const FLOAT = 4;
const PAGE = 65536;

/** A dense layer whose weights live in the kernel's memory. */
export interface PackedDense {
  readonly inputs: number;
  readonly outputs: number;
  /** Float offsets of the packed weights and of the bias in the memory. */
  readonly weightAt: number;
  readonly biasAt: number;
}

type MatmulFn = (x: number, w: number, b: number, y: number, rows: number, k: number, n: number) => void;
type PackFn = (src: number, scales: number, dst: number, k: number, n: number) => void;
interface KernelExports {
  matmul: MatmulFn;
  pack_two_term: PackFn;
}

let simdModule: WebAssembly.Module | null | undefined;

/** The compiled kernel, or null where the engine lacks WebAssembly SIMD. Compiled once per thread. */
function kernelModule(): WebAssembly.Module | null {
  if (simdModule === undefined) {
    const bytes = Uint8Array.from(atob(MATMUL_WASM), (c) => c.charCodeAt(0));
    simdModule = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  return simdModule;
}

export class MatmulKernel {
  readonly simd: boolean;
  readonly layers: readonly PackedDense[];
  private readonly memory: WebAssembly.Memory;
  private readonly heap: Float32Array;
  private readonly matmul: MatmulFn;
  private readonly inputAt: number;
  private readonly outputAt: number;
  private readonly maxRows: number;

  /**
   * Packs `denses` (each N a multiple of 16) and reserves room for `maxRows` rows of input and
   * output. `simd: false` forces the JavaScript loops (tests compare the two).
   */
  constructor(denses: readonly Dense[], maxRows: number, options: { simd?: boolean } = {}) {
    const module = options.simd === false ? null : kernelModule();
    this.simd = module !== null;
    this.maxRows = maxRows;
    let at = 0;
    const layout = denses.map((d) => {
      if (d.outputs % STRIP !== 0) throw new RangeError(`a dense layer of ${d.outputs} outputs: the kernel needs a multiple of ${STRIP}`);
      const layer = { inputs: d.inputs, outputs: d.outputs, weightAt: at, biasAt: at + d.inputs * d.outputs };
      at = layer.biasAt + d.outputs;
      return layer;
    });
    const widest = Math.max(...denses.map((d) => Math.max(d.inputs, d.outputs)));
    this.inputAt = at;
    this.outputAt = at + maxRows * widest;
    // A q8 layer's int8 values and scales are copied here for the kernel to dequantise.
    const stagingAt = this.outputAt + maxRows * widest;
    const staging = Math.max(0, ...denses.map((d) => (d.twoTerm ? Math.ceil(d.twoTerm.values.length / FLOAT) + d.twoTerm.scales.length : 0)));
    const floats = stagingAt + staging;
    this.memory = new WebAssembly.Memory({ initial: Math.ceil((floats * FLOAT) / PAGE) });
    this.heap = new Float32Array(this.memory.buffer, 0, floats);
    const kernel = module ? (new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as KernelExports) : undefined;
    denses.forEach((d, i) => {
      const { weightAt, biasAt } = layout[i];
      if (kernel && d.twoTerm) {
        const scalesAt = stagingAt + Math.ceil(d.twoTerm.values.length / FLOAT);
        new Int8Array(this.memory.buffer, stagingAt * FLOAT, d.twoTerm.values.length).set(d.twoTerm.values);
        this.heap.set(d.twoTerm.scales, scalesAt);
        kernel.pack_two_term(stagingAt * FLOAT, scalesAt * FLOAT, weightAt * FLOAT, d.inputs, d.outputs);
      } else {
        packStrips(d, this.heap, weightAt);
      }
      this.heap.set(d.bias, biasAt);
    });
    this.layers = layout;
    this.matmul = kernel ? kernel.matmul : (x, w, b, y, rows, k, n) => matmulJs(this.heap, x / FLOAT, w / FLOAT, b / FLOAT, y / FLOAT, rows, k, n);
  }

  /** y = x·W + b for `rows` rows of x (row-major, `inputs` wide); writes rows × outputs floats into `out`. */
  run(layer: PackedDense, x: Float32Array, rows: number, out: Float32Array): void {
    if (rows > this.maxRows) throw new RangeError(`${rows} rows: the kernel was sized for ${this.maxRows}`);
    if (rows === 0) return;
    this.heap.set(x.subarray(0, rows * layer.inputs), this.inputAt);
    this.matmul(this.inputAt * FLOAT, layer.weightAt * FLOAT, layer.biasAt * FLOAT, this.outputAt * FLOAT, rows, layer.inputs, layer.outputs);
    out.set(this.heap.subarray(this.outputAt, this.outputAt + rows * layer.outputs));
  }
}

/** W [K, N] → strips of 16 columns, each [K][16] contiguous (without SIMD; the kernel packs q8 layers itself). */
function packStrips(dense: Dense, heap: Float32Array, at: number): void {
  const { inputs: k, outputs: n, weight } = dense;
  let i = at;
  for (let s = 0; s < n; s += STRIP) {
    for (let r = 0; r < k; r++) for (let c = s; c < s + STRIP; c++) heap[i++] = weight[r * n + c];
  }
}

/** The kernel's computation in JavaScript, over the same packed layout (float offsets): the same float32 results. */
function matmulJs(heap: Float32Array, x: number, w: number, b: number, y: number, rows: number, k: number, n: number): void {
  const acc = new Float32Array(STRIP);
  for (let s = 0; s < n / STRIP; s++) {
    const strip = w + s * k * STRIP;
    for (let m = 0; m < rows; m++) {
      for (let c = 0; c < STRIP; c++) acc[c] = heap[b + s * STRIP + c];
      for (let r = 0; r < k; r++) {
        const xv = heap[x + m * k + r];
        const wr = strip + r * STRIP;
        // The product rounded to float32, then the sum (acc is float32): the kernel's two operations.
        for (let c = 0; c < STRIP; c++) acc[c] += Math.fround(xv * heap[wr + c]);
      }
      heap.set(acc, y + m * n + s * STRIP);
    }
  }
}
