/**
 * Linear-chain inference over K labels and T tokens: Viterbi (best path) and forward-backward
 * (per-token marginals, and pairwise marginals for training). Scores are log-potentials.
 */
export interface Lattice {
  T: number;
  K: number;
  /** [T × K] per-token label scores. */
  emit: Float64Array;
  /** [K × K] score of label `to` after label `from`, at from*K + to; -Infinity forbids. */
  trans: Float64Array;
  /** [K] scores of the first and the last label. */
  start: Float64Array;
  end: Float64Array;
}

export function viterbi(l: Lattice): number[] {
  const { T, K, emit, trans, start, end } = l;
  if (T === 0) return [];
  const score = new Float64Array(T * K);
  const back = new Int32Array(T * K);
  for (let k = 0; k < K; k++) score[k] = start[k] + emit[k];
  for (let t = 1; t < T; t++) {
    for (let k = 0; k < K; k++) {
      let best = -Infinity;
      let arg = 0;
      for (let j = 0; j < K; j++) {
        const s = score[(t - 1) * K + j] + trans[j * K + k];
        if (s > best) {
          best = s;
          arg = j;
        }
      }
      score[t * K + k] = best + emit[t * K + k];
      back[t * K + k] = arg;
    }
  }
  let best = -Infinity;
  let arg = 0;
  for (let k = 0; k < K; k++) {
    const s = score[(T - 1) * K + k] + end[k];
    if (s > best) {
      best = s;
      arg = k;
    }
  }
  const path = new Array<number>(T);
  path[T - 1] = arg;
  for (let t = T - 1; t > 0; t--) path[t - 1] = back[t * K + path[t]];
  return path;
}

function logSumExp(values: Float64Array | number[], from: number, n: number): number {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (values[from + i] > max) max = values[from + i];
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(values[from + i] - max);
  return max + Math.log(sum);
}

export interface Marginals {
  /** [T × K] probability of each label at each token. */
  node: Float64Array;
  /** log of the partition function. */
  logZ: number;
  alpha: Float64Array;
  beta: Float64Array;
}

export function forwardBackward(l: Lattice): Marginals {
  const { T, K, emit, trans, start, end } = l;
  const alpha = new Float64Array(T * K);
  const beta = new Float64Array(T * K);
  const tmp = new Float64Array(K);
  for (let k = 0; k < K; k++) alpha[k] = start[k] + emit[k];
  for (let t = 1; t < T; t++) {
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < K; j++) tmp[j] = alpha[(t - 1) * K + j] + trans[j * K + k];
      alpha[t * K + k] = logSumExp(tmp, 0, K) + emit[t * K + k];
    }
  }
  for (let k = 0; k < K; k++) beta[(T - 1) * K + k] = end[k];
  for (let t = T - 2; t >= 0; t--) {
    for (let j = 0; j < K; j++) {
      for (let k = 0; k < K; k++) tmp[k] = trans[j * K + k] + emit[(t + 1) * K + k] + beta[(t + 1) * K + k];
      beta[t * K + j] = logSumExp(tmp, 0, K);
    }
  }
  for (let k = 0; k < K; k++) tmp[k] = alpha[(T - 1) * K + k] + end[k];
  const logZ = T ? logSumExp(tmp, 0, K) : 0;
  const node = new Float64Array(T * K);
  for (let i = 0; i < T * K; i++) node[i] = Math.exp(alpha[i] + beta[i] - logZ);
  return { node, logZ, alpha, beta };
}

/** Probability of label `k` at t followed by label `k2` at t+1. */
export function pairMarginal(l: Lattice, m: Marginals, t: number, j: number, k: number): number {
  const { K } = l;
  return Math.exp(m.alpha[t * K + j] + l.trans[j * K + k] + l.emit[(t + 1) * K + k] + m.beta[(t + 1) * K + k] - m.logZ);
}
