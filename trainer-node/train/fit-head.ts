import { seededRandom } from '../../src/util/rng.ts';

export interface Matrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

export interface HeadWeights {
  weights: Float32Array;
  bias: Float32Array;
}

export interface FitOptions {
  classes: number;
  seed: number;
  learningRate?: number;
  l2?: number;
  maxEpochs?: number;
  /** Stop when the held-out loss has not improved for this many epochs. */
  patience?: number;
  /** Rows per mini-batch (full batch when the data is smaller). */
  batchSize?: number;
  /** Weight per class (e.g. to keep a large out-of-scope class from dominating). */
  classWeights?: Float64Array;
  onEpoch?: (epoch: number, validLoss: number) => void;
}

export interface FitResult extends HeadWeights {
  epochs: number;
  validLoss: number;
}

/**
 * Softmax regression on frozen embeddings, trained with Adam and L2, early-stopped on a held-out
 * set. Deterministic: seeded initialisation and batch order, float64 accumulation.
 */
export function fitSoftmaxHead(x: Matrix, y: Int32Array, valid: { x: Matrix; y: Int32Array } | undefined, options: FitOptions): FitResult {
  const C = options.classes;
  const D = x.cols;
  const lr = options.learningRate ?? 0.05;
  const l2 = options.l2 ?? 1e-4;
  const maxEpochs = options.maxEpochs ?? 300;
  const patience = options.patience ?? 20;
  const batch = Math.min(options.batchSize ?? 512, x.rows);
  const cw = options.classWeights ?? new Float64Array(C).fill(1);
  const random = seededRandom(options.seed);

  const W = new Float64Array(C * D);
  const b = new Float64Array(C);
  for (let i = 0; i < W.length; i++) W[i] = (random() - 0.5) * 0.01;
  const mW = new Float64Array(W.length);
  const vW = new Float64Array(W.length);
  const mb = new Float64Array(C);
  const vb = new Float64Array(C);
  const gW = new Float64Array(W.length);
  const gb = new Float64Array(C);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const eps = 1e-8;
  let step = 0;

  let best = { loss: Infinity, epoch: 0, W: W.slice(), b: b.slice() };
  const order = Int32Array.from({ length: x.rows }, (_, i) => i);
  // Rows are partly sparse (hashed lexical features): visit only the non-zero columns.
  const nz = nonZeroColumns(x);
  const logits = new Float64Array(C);

  for (let epoch = 1; epoch <= maxEpochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let start = 0; start < order.length; start += batch) {
      const end = Math.min(order.length, start + batch);
      gW.fill(0);
      gb.fill(0);
      let weightSum = 0;
      for (let k = start; k < end; k++) {
        const r = order[k];
        const row = r * D;
        const cols = nz[r];
        forwardSparse(W, b, x.data, row, cols, D, C, logits);
        const w = cw[y[r]];
        weightSum += w;
        for (let c = 0; c < C; c++) {
          const g = (logits[c] - (c === y[r] ? 1 : 0)) * w;
          if (g === 0) continue;
          gb[c] += g;
          const wr = c * D;
          for (let k = 0; k < cols.length; k++) gW[wr + cols[k]] += g * x.data[row + cols[k]];
        }
      }
      step++;
      const c1 = 1 - Math.pow(beta1, step);
      const c2 = 1 - Math.pow(beta2, step);
      for (let i = 0; i < W.length; i++) {
        const g = gW[i] / weightSum + l2 * W[i];
        mW[i] = beta1 * mW[i] + (1 - beta1) * g;
        vW[i] = beta2 * vW[i] + (1 - beta2) * g * g;
        W[i] -= (lr * (mW[i] / c1)) / (Math.sqrt(vW[i] / c2) + eps);
      }
      for (let c = 0; c < C; c++) {
        const g = gb[c] / weightSum;
        mb[c] = beta1 * mb[c] + (1 - beta1) * g;
        vb[c] = beta2 * vb[c] + (1 - beta2) * g * g;
        b[c] -= (lr * (mb[c] / c1)) / (Math.sqrt(vb[c] / c2) + eps);
      }
    }
    if (valid && valid.x.rows > 0) {
      const loss = crossEntropy(W, b, valid.x, valid.y, C);
      options.onEpoch?.(epoch, loss);
      if (loss < best.loss - 1e-5) best = { loss, epoch, W: W.slice(), b: b.slice() };
      else if (epoch - best.epoch >= patience) break;
    } else {
      best = { loss: NaN, epoch, W, b };
    }
  }
  return { weights: Float32Array.from(best.W), bias: Float32Array.from(best.b), epochs: best.epoch, validLoss: best.loss };
}

function nonZeroColumns(x: Matrix): Int32Array[] {
  const out: Int32Array[] = [];
  for (let r = 0; r < x.rows; r++) {
    const cols: number[] = [];
    for (let d = 0; d < x.cols; d++) if (x.data[r * x.cols + d] !== 0) cols.push(d);
    out.push(Int32Array.from(cols));
  }
  return out;
}

function forwardSparse(W: Float64Array, b: Float64Array, data: Float32Array, row: number, cols: Int32Array, D: number, C: number, out: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < C; c++) {
    let s = b[c];
    const wr = c * D;
    for (let k = 0; k < cols.length; k++) s += W[wr + cols[k]] * data[row + cols[k]];
    out[c] = s;
    if (s > max) max = s;
  }
  let sum = 0;
  for (let c = 0; c < C; c++) {
    out[c] = Math.exp(out[c] - max);
    sum += out[c];
  }
  for (let c = 0; c < C; c++) out[c] /= sum;
}

function forward(W: Float64Array, b: Float64Array, data: Float32Array, row: number, D: number, C: number, out: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < C; c++) {
    let s = b[c];
    const wr = c * D;
    for (let d = 0; d < D; d++) s += W[wr + d] * data[row + d];
    out[c] = s;
    if (s > max) max = s;
  }
  let sum = 0;
  for (let c = 0; c < C; c++) {
    out[c] = Math.exp(out[c] - max);
    sum += out[c];
  }
  for (let c = 0; c < C; c++) out[c] /= sum;
}

function crossEntropy(W: Float64Array, b: Float64Array, x: Matrix, y: Int32Array, C: number): number {
  const p = new Float64Array(C);
  let loss = 0;
  for (let r = 0; r < x.rows; r++) {
    forward(W, b, x.data, r * x.cols, x.cols, C, p);
    loss -= Math.log(Math.max(p[y[r]], 1e-12));
  }
  return loss / x.rows;
}
