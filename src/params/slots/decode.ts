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

export interface Marginals {
  /** [T × K] probability of each label at each token. */
  node: Float64Array;
  /** Probability of label j at token t followed by label k at t+1. */
  pair(t: number, j: number, k: number): number;
  /** Probability of label k at token t+1 given label j at token t. */
  next(t: number, j: number, k: number): number;
}

/**
 * Forward-backward in probability space with per-token scaling (no logarithms in the inner loops:
 * potentials are exponentiated once).
 */
export function forwardBackward(l: Lattice): Marginals {
  const { T, K } = l;
  const E = new Float64Array(T * K);
  for (let t = 0; t < T; t++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, l.emit[t * K + k]);
    for (let k = 0; k < K; k++) E[t * K + k] = Math.exp(l.emit[t * K + k] - max);
  }
  const M = Float64Array.from(l.trans, Math.exp);
  const S = Float64Array.from(l.start, Math.exp);
  const F = Float64Array.from(l.end, Math.exp);
  const alpha = new Float64Array(T * K);
  const beta = new Float64Array(T * K);
  const c = new Float64Array(T);
  const normalise = (a: Float64Array, t: number) => {
    let sum = 0;
    for (let k = 0; k < K; k++) sum += a[t * K + k];
    const inv = sum > 0 ? 1 / sum : 0;
    for (let k = 0; k < K; k++) a[t * K + k] *= inv;
    return sum;
  };
  for (let k = 0; k < K; k++) alpha[k] = S[k] * E[k];
  c[0] = normalise(alpha, 0);
  for (let t = 1; t < T; t++) {
    for (let j = 0; j < K; j++) {
      const a = alpha[(t - 1) * K + j];
      if (a === 0) continue;
      for (let k = 0; k < K; k++) alpha[t * K + k] += a * M[j * K + k];
    }
    for (let k = 0; k < K; k++) alpha[t * K + k] *= E[t * K + k];
    c[t] = normalise(alpha, t);
  }
  for (let k = 0; k < K; k++) beta[(T - 1) * K + k] = F[k];
  normalise(beta, T - 1);
  for (let t = T - 2; t >= 0; t--) {
    for (let j = 0; j < K; j++) {
      let sum = 0;
      for (let k = 0; k < K; k++) sum += M[j * K + k] * E[(t + 1) * K + k] * beta[(t + 1) * K + k];
      beta[t * K + j] = sum;
    }
    normalise(beta, t);
  }
  const node = new Float64Array(T * K);
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < K; k++) node[t * K + k] = alpha[t * K + k] * beta[t * K + k];
    normalise(node, t);
  }
  const pairNorm = new Float64Array(Math.max(0, T - 1));
  for (let t = 0; t + 1 < T; t++) {
    let sum = 0;
    for (let j = 0; j < K; j++) for (let k = 0; k < K; k++) sum += alpha[t * K + j] * M[j * K + k] * E[(t + 1) * K + k] * beta[(t + 1) * K + k];
    pairNorm[t] = sum > 0 ? 1 / sum : 0;
  }
  const onward = (t: number, j: number, k: number) => M[j * K + k] * E[(t + 1) * K + k] * beta[(t + 1) * K + k];
  return {
    node,
    pair: (t, j, k) => alpha[t * K + j] * onward(t, j, k) * pairNorm[t],
    next: (t, j, k) => {
      let sum = 0;
      for (let b = 0; b < K; b++) sum += onward(t, j, b);
      return sum > 0 ? onward(t, j, k) / sum : 0;
    },
  };
}
