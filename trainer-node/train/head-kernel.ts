/**
 * The softmax head's weights, Adam state and mini-batch scratch in one WebAssembly memory, with the
 * SIMD loops of head.wat over them (logits, weight gradient, Adam step). Float32 throughout; the
 * layouts are head.wat's. Node ≥ 20 always has WebAssembly SIMD, so there is no JavaScript twin.
 */
import { HEAD_WASM } from './head-wasm.ts';

interface HeadExports {
  logits(W: number, wStride: number, X: number, dp: number, L: number, rows: number, C: number): void;
  gradient(G: number, X: number, dp: number, gW: number, wStride: number, rows: number, C: number): void;
  adam(W: number, gW: number, m: number, v: number, n: number, invSum: number, l2: number, lr: number, beta1: number, ob1: number, beta2: number, ob2: number, c1: number, c2: number, eps: number): void;
}

let compiled: WebAssembly.Module | undefined;
function headModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Buffer.from(HEAD_WASM, 'base64'));
  return compiled;
}

const PAGE = 65536;
const roundUp4 = (n: number) => Math.ceil(n / 4) * 4;

export interface AdamStep {
  invSum: number;
  l2: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  /** The bias corrections 1 − β^t. */
  c1: number;
  c2: number;
  eps: number;
}

export class HeadKernel {
  /** Dense columns padded to a multiple of 4 (X's and each class's dense weight row). */
  readonly dp: number;
  /**
   * Where the sparse columns' weights start in W: after the dense rows ([C × dp]), feature by
   * feature ([(D − dense) × C]), so one feature's weights for every class are contiguous (the
   * JavaScript loops over a row's few non-zero sparse columns read and write them in order).
   */
  readonly sparseAt: number;
  /** Rows of X and L (the batch rounded up to 4). */
  readonly rows: number;
  readonly W: Float32Array;
  readonly gW: Float32Array;
  /** The mini-batch's dense columns (head.wat's interleaved layout; see `setRow`). */
  readonly X: Float32Array;
  /** Logits of the mini-batch ([rows × C]), then the gradients of the logits. */
  readonly L: Float32Array;
  private readonly at: { W: number; gW: number; m: number; v: number; X: number; L: number };
  private readonly k: HeadExports;

  constructor(
    readonly classes: number,
    readonly cols: number,
    readonly dense: number,
    batch: number,
  ) {
    this.dp = roundUp4(dense);
    this.sparseAt = classes * this.dp;
    this.rows = roundUp4(batch);
    const weights = roundUp4(this.sparseAt + (cols - dense) * classes) * 4;
    const sizes = { W: weights, gW: weights, m: weights, v: weights, X: this.rows * this.dp * 4, L: this.rows * classes * 4 };
    let offset = 0;
    const at = {} as Record<keyof typeof sizes, number>;
    for (const [name, size] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
      at[name] = offset;
      offset += roundUp4(size) + 64;
    }
    this.at = at;
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(offset / PAGE)) });
    this.k = new WebAssembly.Instance(headModule(), { env: { memory } }).exports as unknown as HeadExports;
    const view = (name: keyof typeof sizes) => new Float32Array(memory.buffer, at[name], sizes[name] / 4);
    this.W = view('W');
    this.gW = view('gW');
    this.X = view('X');
    this.L = view('L');
  }

  /** Index in W (or gW) of class c's column `col` of the original [C × D] layout. */
  index(c: number, col: number): number {
    return col < this.dense ? c * this.dp + col : this.sparseAt + (col - this.dense) * this.classes + c;
  }

  /** Copies the dense columns of `data` row `r` into X as batch row k. */
  setRow(k: number, data: Float32Array, r: number): void {
    const base = (k >> 2) * this.dp * 4 + (k & 3) * 4;
    const from = r * this.cols;
    for (let d = 0; d < this.dense; d++) this.X[base + (d >> 2) * 16 + (d & 3)] = data[from + d];
  }

  /** Zeroes X's rows from k on (the padding of a short batch). */
  clearRowsFrom(k: number): void {
    for (; k < this.rows; k++) {
      const base = (k >> 2) * this.dp * 4 + (k & 3) * 4;
      for (let j = 0; j < this.dp; j += 4) this.X.fill(0, base + j * 4, base + j * 4 + 4);
    }
  }

  /** L ← the dense part of the logits for every row of X. */
  logits(): void {
    if (this.dp === 0) this.L.fill(0); // no dense columns (the kernel leaves L alone)
    else this.k.logits(this.at.W, this.dp * 4, this.at.X, this.dp, this.at.L, this.rows, this.classes);
  }

  /** gW += the dense part of Lᵀ·X (L holding the gradients of the logits; padded rows must be 0). */
  gradient(): void {
    this.k.gradient(this.at.L, this.at.X, this.dp, this.at.gW, this.dp * 4, this.rows, this.classes);
  }

  adam(s: AdamStep): void {
    this.k.adam(this.at.W, this.at.gW, this.at.m, this.at.v, this.W.length, s.invSum, s.l2, s.learningRate, s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, s.c1, s.c2, s.eps);
  }

  /** The weights in the original [C × D] layout. */
  weights(W: Float32Array = this.W): Float32Array {
    const out = new Float32Array(this.classes * this.cols);
    for (let c = 0; c < this.classes; c++) for (let d = 0; d < this.cols; d++) out[c * this.cols + d] = W[this.index(c, d)];
    return out;
  }
}
