/**
 * Dense layers y = x·W + b for the built-in encoder: int16 weights (one power-of-two scale per
 * output column, see `int16Weights`) packed once into a WebAssembly memory, products computed by
 * the SIMD kernel in matmul.wat, or by the same loops in JavaScript where WebAssembly SIMD is
 * missing (the same float32 operations in the same order, so the same results; much slower).
 * Each output is the float32 sum over k, in order, of x·w with w = value·2^e, then + b.
 */
import { MATMUL_WASM } from './matmul-wasm.ts';
import { MATMUL_SHARED_WASM } from './matmul-shared-wasm.ts';
import { int16Weights, powerOfTwoScale, twoTermBounds, type Dense } from './use-lite-weights.ts';
import { CONTROL, SPINS, WEIGHT_FORMATS, canShareKernel, type KernelHelperSpawner } from './kernel-helper.ts';

/** Output columns per packed strip (the kernel's width). */
export const STRIP = 8;
/** Rows the kernel computes together; x is stored in interleaved groups of this many rows. */
const GROUP = 4;
const PAGE = 65536;
/** Multiply-adds (rows × inputs × outputs) from which a layer is split with the helper thread. */
const SPLIT_FROM = 1 << 18;
/** How long the caller waits for the helper's half before computing it itself (and going on alone). */
const HELPER_TIMEOUT_MS = 2000;

/** A dense layer whose weights live in the kernel's memory (byte offsets). */
export interface PackedDense {
  readonly inputs: number;
  readonly outputs: number;
  readonly weightAt: number;
  readonly scaleAt: number;
  readonly biasAt: number;
}

/** Strips [from, to) of y = b + 2^e ⊙ (x·W16) (matmul.wat). */
type MatmulFn = (x: number, w: number, scale: number, b: number, y: number, rows: number, k: number, n: number, from: number, to: number) => void;
interface KernelExports {
  matmul: MatmulFn;
  /** matmul over the same values stored as float32 (derived from matmul by scripts/build-kernels.ts). */
  matmul_f32: MatmulFn;
  two_term_maxima(src: number, out: number, k: number, n: number): void;
  pack_two_term_int16(src: number, scales: number, inverse: number, dst: number, k: number, n: number): void;
}

const modules: { plain?: WebAssembly.Module | null; shared?: WebAssembly.Module | null } = {};

/**
 * The compiled kernel (importing a shared memory or not), or null where the engine lacks WebAssembly
 * SIMD (or shared memories). Compiled once per thread.
 */
function kernelModule(shared: boolean): WebAssembly.Module | null {
  const key = shared ? 'shared' : 'plain';
  if (modules[key] === undefined) {
    const bytes = Uint8Array.from(atob(shared ? MATMUL_SHARED_WASM : MATMUL_WASM), (c) => c.charCodeAt(0));
    modules[key] = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  return modules[key];
}

/** Memory mapped ahead of time by reserveKernelMemory, until a kernel takes it; `touched`: bytes mapped so far. */
let reserved: { memory: WebAssembly.Memory; shared: boolean; touched: number } | undefined;
/** Bytes mapped per task: short enough not to hold up the file reads the page waits for meanwhile. */
const TOUCH_SLICE = 1 << 20;
const OS_PAGE = 4096;

/**
 * Creates `bytes` of kernel memory and writes to each of its pages, a slice per task, for the next
 * kernel that fits to take. The first write to fresh memory costs a page fault per 4 KB page: for
 * the encoder's 13 MB, ~30 ms on a slow virtual machine, which a page can spend while it waits for
 * the bundle's files instead of after them. `shared`: a memory for a kernel with a helper thread.
 */
export function reserveKernelMemory(bytes: number, shared: boolean): void {
  if (shared && !canShareKernel()) return;
  const pages = Math.ceil(bytes / PAGE);
  const memory = new WebAssembly.Memory(shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages });
  const r = (reserved = { memory, shared, touched: 0 });
  const slice = () => {
    if (reserved !== r) return; // taken
    touch(r, r.touched + TOUCH_SLICE);
    if (r.touched < memory.buffer.byteLength) setTimeout(slice, 0);
  };
  setTimeout(slice, 0);
}

function touch(r: NonNullable<typeof reserved>, until: number): void {
  const view = new Uint8Array(r.memory.buffer);
  const end = Math.min(until, view.length);
  for (let at = r.touched; at < end; at += OS_PAGE) view[at] = 0;
  r.touched = Math.max(r.touched, end);
}

/** The reserved memory when it fits (`pages`, shared or not), else undefined; it is taken once. */
function takeReserved(pages: number, shared: boolean): WebAssembly.Memory | undefined {
  const r = reserved;
  if (!r || r.shared !== shared || r.memory.buffer.byteLength < pages * PAGE) return undefined;
  reserved = undefined;
  return r.memory;
}

/**
 * How the kernel keeps its weights: `int16` (half the memory; what a page uses: short texts are
 * memory-bound) or `float32` (the same values widened once: ~40% more multiply-adds per second when
 * computing many texts, as the trainer does; twice the memory). The results are the same bits.
 */
export type WeightFormat = keyof typeof WEIGHT_FORMATS;

export class MatmulKernel {
  readonly simd: boolean;
  /** How the weights are stored (float32 only with the SIMD kernel). */
  readonly weights: WeightFormat;
  readonly layers: readonly PackedDense[];
  private readonly memory: WebAssembly.Memory;
  private readonly floats: Float32Array;
  private readonly matmul: MatmulFn;
  /** Byte offsets of the interleaved input and of the output. */
  private readonly inputAt: number;
  private readonly outputAt: number;
  private readonly maxRows: number;
  private readonly helperTimeoutMs: number;
  /** The kernel built for a shared memory (what a helper thread instantiates), when the memory is shared. */
  private readonly sharedModule: WebAssembly.Module | null;
  /** The helper thread's control block, once it waits for jobs. */
  private helper: Int32Array | undefined;
  private jobs = 0;

  /**
   * Packs `denses` (each N a multiple of 8) and reserves room for `maxRows` rows of input and
   * output. `simd: false` forces the JavaScript loops (tests compare the two). `shared`: where this
   * thread can share memory (canShareKernel), the memory is a shared WebAssembly.Memory, so that
   * startHelper can add a second thread (see kernel-helper.ts); elsewhere the option changes nothing.
   * `weights`: see WeightFormat (default int16; float32 needs the SIMD kernel, else int16).
   */
  constructor(denses: readonly Dense[], maxRows: number, options: { simd?: boolean; shared?: boolean; weights?: WeightFormat; /** How long a job waits for the helper before going on alone (default 2 s). */ helperTimeoutMs?: number } = {}) {
    // A shared memory where asked for and possible; else the plain kernel, alone.
    const sharedModule = options.shared && options.simd !== false && canShareKernel() ? kernelModule(true) : null;
    const module = options.simd === false ? null : (sharedModule ?? kernelModule(false));
    this.sharedModule = sharedModule;
    this.simd = module !== null;
    this.weights = options.weights === 'float32' && module !== null ? 'float32' : 'int16';
    const weightBytes = this.weights === 'float32' ? 4 : 2;
    this.maxRows = maxRows;
    this.helperTimeoutMs = options.helperTimeoutMs ?? HELPER_TIMEOUT_MS;
    let at = 0;
    const layout = denses.map((d) => {
      if (d.outputs % STRIP !== 0) throw new RangeError(`a dense layer of ${d.outputs} outputs: the kernel needs a multiple of ${STRIP}`);
      const weightAt = at;
      const scaleAt = weightAt + d.inputs * d.outputs * weightBytes;
      const biasAt = scaleAt + d.outputs * 4;
      at = biasAt + d.outputs * 4;
      return { inputs: d.inputs, outputs: d.outputs, weightAt, scaleAt, biasAt };
    });
    const widest = Math.max(...denses.map((d) => Math.max(d.inputs, d.outputs)));
    this.inputAt = at;
    this.outputAt = at + Math.ceil(maxRows / GROUP) * GROUP * widest * 4;
    // Where a q8 layer is unpacked by the kernel: its int8 terms and scales, the inverse scales, column maxima.
    const stagingAt = this.outputAt + maxRows * widest * 4;
    const staging = Math.max(0, ...denses.map((d) => (d.twoTerm ? d.twoTerm.values.length + d.twoTerm.scales.length * 4 + d.outputs * 4 + 2 * d.outputs : 0)));
    const pages = Math.ceil((stagingAt + staging) / PAGE);
    this.memory = takeReserved(pages, sharedModule !== null) ?? new WebAssembly.Memory(sharedModule ? { initial: pages, maximum: pages, shared: true } : { initial: pages });
    this.floats = new Float32Array(this.memory.buffer);
    const kernel = module ? (new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as KernelExports) : undefined;
    denses.forEach((d, i) => {
      const layer = layout[i];
      const count = d.inputs * d.outputs;
      // float32: the int16 strips are packed into the upper half of the layer's room, then widened in place.
      const int16At = layer.weightAt + (weightBytes - 2) * count;
      if (kernel && d.twoTerm && d.outputs % 16 === 0) this.packTwoTerm(kernel, d, d.twoTerm, layer, int16At, stagingAt);
      else {
        const { values, scales } = int16Weights(d);
        packStrips(values, d.inputs, d.outputs, new Int16Array(this.memory.buffer, int16At, count));
        this.floats.set(scales, layer.scaleAt / 4);
      }
      if (this.weights === 'float32') widenInPlace(this.memory.buffer, int16At, layer.weightAt, count);
      this.floats.set(d.bias, layer.biasAt / 4);
    });
    this.layers = layout;
    this.matmul = kernel
      ? this.weights === 'float32'
        ? kernel.matmul_f32
        : kernel.matmul
      : (x, w, scale, b, y, rows, k, n, from, to) => matmulJs(this.memory.buffer, x, w, scale, b, y, rows, k, n, from, to);
  }

  /** Threads that compute the large layers: 2 once a helper waits for jobs, else 1. */
  get threads(): number {
    return this.helper ? 2 : 1;
  }

  /**
   * Adds a helper thread (a kernel built with `shared: true`; the caller must be allowed to block
   * in Atomics.wait, i.e. not a page's main thread). Resolves to whether it runs; until then, and
   * if it cannot start, the kernel computes alone.
   */
  async startHelper(spawn: KernelHelperSpawner): Promise<boolean> {
    if (this.helper) return true;
    if (!this.sharedModule) return false;
    const control = new SharedArrayBuffer(CONTROL.size * 4);
    new Int32Array(control)[CONTROL.weights] = WEIGHT_FORMATS[this.weights];
    try {
      await spawn({ module: this.sharedModule, memory: this.memory, control });
    } catch {
      return false;
    }
    this.helper = new Int32Array(control);
    return true;
  }

  /**
   * Waits for the helper's job; false (and the kernel goes on alone) when it does not finish in time:
   * the caller then computes those strips itself, writing the values the helper would.
   */
  private awaitHelper(c: Int32Array, job: number): boolean {
    for (let i = 0; i < SPINS && Atomics.load(c, CONTROL.done) !== job; i++);
    const deadline = Date.now() + this.helperTimeoutMs;
    for (let done = Atomics.load(c, CONTROL.done); done !== job; done = Atomics.load(c, CONTROL.done)) {
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(c, CONTROL.done, done, left) === 'timed-out') {
        this.stopHelper();
        return false;
      }
    }
    return true;
  }

  /** Stops the helper thread (the kernel goes on alone). */
  stopHelper(): void {
    const c = this.helper;
    if (!c) return;
    this.helper = undefined;
    Atomics.store(c, CONTROL.job, -1);
    Atomics.notify(c, CONTROL.job);
  }

  /** int16Weights computed by the kernel (the same values, in two passes over the int8 terms). */
  private packTwoTerm(kernel: KernelExports, d: Dense, twoTerm: NonNullable<Dense['twoTerm']>, layer: PackedDense, int16At: number, at: number): void {
    const { inputs: k, outputs: n } = d;
    const scalesAt = at + twoTerm.values.length;
    const inverseAt = scalesAt + twoTerm.scales.length * 4;
    const maximaAt = inverseAt + n * 4;
    new Int8Array(this.memory.buffer, at, twoTerm.values.length).set(twoTerm.values);
    this.floats.set(twoTerm.scales, scalesAt / 4);
    kernel.two_term_maxima(at, maximaAt, k, n);
    const scales = Float32Array.from(twoTermBounds(new Uint8Array(this.memory.buffer, maximaAt, 2 * n), twoTerm.scales, n), powerOfTwoScale);
    this.floats.set(scales, layer.scaleAt / 4);
    this.floats.set(scales.map((s) => 1 / s), inverseAt / 4);
    kernel.pack_two_term_int16(at, scalesAt, inverseAt, int16At, k, n);
  }

  /** y = x·W + b for `rows` rows of x (row-major, `inputs` wide); writes rows × outputs floats into `out`. */
  run(layer: PackedDense, x: Float32Array, rows: number, out: Float32Array): void {
    if (rows > this.maxRows) throw new RangeError(`${rows} rows: the kernel was sized for ${this.maxRows}`);
    if (rows === 0) return;
    interleave(x, rows, layer.inputs, this.floats, this.inputAt / 4);
    const strips = layer.outputs / STRIP;
    const args = [this.inputAt, layer.weightAt, layer.scaleAt, layer.biasAt, this.outputAt, rows, layer.inputs, layer.outputs] as const;
    const c = this.helper;
    if (c && strips >= 2 && rows * layer.inputs * layer.outputs >= SPLIT_FROM) {
      const mid = strips >> 1;
      c.set([...args, mid, strips], CONTROL.args);
      const job = (this.jobs = (this.jobs + 1) & 0x3fffffff);
      Atomics.store(c, CONTROL.job, job);
      Atomics.notify(c, CONTROL.job);
      this.matmul(...args, 0, mid);
      if (!this.awaitHelper(c, job)) this.matmul(...args, mid, strips);
    } else {
      this.matmul(...args, 0, strips);
    }
    out.set(this.floats.subarray(this.outputAt / 4, this.outputAt / 4 + rows * layer.outputs));
  }
}

/**
 * int16 values at byte `from` → the same values as float32 at byte `to` (≤ from, same order). In
 * place: value i is read before float i is written, and float i never reaches a value not yet read.
 */
function widenInPlace(buffer: ArrayBufferLike, from: number, to: number, count: number): void {
  const values = new Int16Array(buffer, from, count);
  const floats = new Float32Array(buffer, to, count);
  for (let i = 0; i < count; i++) floats[i] = values[i];
}

/** Row-major values [K, N] → strips of 8 columns, each [K][8] contiguous. */
function packStrips(values: Int16Array, k: number, n: number, out: Int16Array): void {
  let i = 0;
  for (let s = 0; s < n; s += STRIP) {
    for (let r = 0; r < k; r++) for (let c = s; c < s + STRIP; c++) out[i++] = values[r * n + c];
  }
}

/** x (rows × k, row-major) → groups of 4 rows, element (k, r) of a group at 4k + r; missing rows are zero. */
function interleave(x: Float32Array, rows: number, k: number, heap: Float32Array, at: number): void {
  const groups = Math.ceil(rows / GROUP);
  for (let g = 0; g < groups; g++) {
    const base = at + g * GROUP * k;
    for (let r = 0; r < GROUP; r++) {
      const m = g * GROUP + r;
      if (m < rows) for (let j = 0; j < k; j++) heap[base + j * GROUP + r] = x[m * k + j];
      else for (let j = 0; j < k; j++) heap[base + j * GROUP + r] = 0;
    }
  }
}

/** The kernel's computation in JavaScript, over the same layout (byte offsets): the same float32 results. */
function matmulJs(buffer: ArrayBufferLike, x: number, w: number, scale: number, b: number, y: number, rows: number, k: number, n: number, from: number, to: number): void {
  const floats = new Float32Array(buffer);
  const weights = new Int16Array(buffer);
  const acc = new Float32Array(STRIP);
  for (let s = from; s < to; s++) {
    const strip = w / 2 + s * k * STRIP;
    for (let m = 0; m < rows; m++) {
      acc.fill(0);
      const xm = x / 4 + Math.floor(m / GROUP) * GROUP * k + (m % GROUP);
      for (let r = 0; r < k; r++) {
        const xv = floats[xm + r * GROUP];
        const wr = strip + r * STRIP;
        // The product rounded to float32, then the sum (acc is float32): the kernel's two operations.
        for (let c = 0; c < STRIP; c++) acc[c] += Math.fround(xv * weights[wr + c]);
      }
      for (let c = 0; c < STRIP; c++) {
        const col = s * STRIP + c;
        floats[y / 4 + m * n + col] = Math.fround(acc[c] * floats[scale / 4 + col]) + floats[b / 4 + col];
      }
    }
  }
}
