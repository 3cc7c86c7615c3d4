import type { Gazetteer } from '../../src/params/slots/features.ts';
import { labelIds, SLOT_TAGGER_FORMAT, SLOT_TAGGER_VERSION, type SlotTaggerFile, type TaggerWeights } from '../../src/params/slots/model.ts';
import { seededRandom, shuffled } from '../../src/util/rng.ts';

/** One labelled sentence: token features, BIO labels, and the fields its command can have. */
export interface SlotExample {
  features: string[][];
  labels: string[];
  fields: readonly string[];
}

export interface SlotFitOptions {
  seed: number;
  epochs?: number;
  /** L2 strength over the whole training set (default max(0.4, 1e-4 × sentences)). */
  l2?: number;
  /** Initial step size. */
  eta?: number;
  threshold?: number;
}

const SCALE = 1000;

/**
 * A linear-chain CRF trained by stochastic gradient descent (log-likelihood, lazy L2 decay),
 * examples visited in a seeded order: the same examples give the same file. Emission weights exist
 * for the (feature, label) pairs seen in the data (as CRFsuite does), which keeps the model small.
 */
export function fitSlotCrf(examples: readonly SlotExample[], gazetteer: Gazetteer, commands: Record<string, string[]>, options: SlotFitOptions): SlotTaggerFile {
  const fields = [...new Set(Object.values(commands).flat())].sort();
  const labels = ['O', ...fields.flatMap((f) => [`B-${f}`, `I-${f}`])];
  const L = labels.length;
  const labelId = new Map(labels.map((l, i) => [l, i]));

  const featureIndex = new Map<string, number>();
  // seen[feature × L + label]: the (feature, label) pairs that get a weight.
  let seen = new Uint8Array(4096 * L);
  const data = examples.map((ex) => {
    const gold = Int32Array.from(ex.labels, (l) => labelId.get(l) ?? 0);
    const feats = ex.features.map((fs, t) => {
      const out = new Int32Array(fs.length);
      for (let j = 0; j < fs.length; j++) {
        let id = featureIndex.get(fs[j]);
        if (id === undefined) {
          id = featureIndex.size;
          featureIndex.set(fs[j], id);
          if ((id + 1) * L > seen.length) {
            const grown = new Uint8Array(seen.length * 2);
            grown.set(seen);
            seen = grown;
          }
        }
        seen[id * L + gold[t]] = 1;
        out[j] = id;
      }
      return out;
    });
    return { gold, feats, ids: labelIds(labels, ex.fields) };
  });

  const rows = new Int32Array(featureIndex.size + 1);
  const colList: number[] = [];
  for (let i = 0; i < featureIndex.size; i++) {
    rows[i] = colList.length;
    for (let l = 0; l < L; l++) if (seen[i * L + l]) colList.push(l);
  }
  rows[featureIndex.size] = colList.length;
  const w: TaggerWeights = {
    labels,
    featureIndex,
    rows,
    cols: Int32Array.from(colList),
    weights: new Float64Array(colList.length),
    multiplier: 1,
    transitions: new Float64Array(L * L),
    start: new Float64Array(L),
    end: new Float64Array(L),
  };

  const preparedOf = data.map((d) => prepare(w, d.feats, d.gold, d.ids));
  const prepared = preparedOf.filter((p): p is Prepared => !!p);
  // At most 12 epochs and about 100k sentence updates (SNIPS on held-out train rows: 12 epochs as
  // good as 20, 8 lost 2 points of precision at the same threshold).
  const epochs = options.epochs ?? Math.max(4, Math.min(12, Math.round(100_000 / Math.max(1, data.length))));
  const eta0 = options.eta ?? 1;
  // L2 grows with the data (1e-4 per sentence, at least 0.4): confidences stay calibrated on a large
  // seed set, and a small workflow is sure of its clear cases but not of sentences unlike its seeds.
  const decayPerExample = (options.l2 ?? Math.max(0.4, 1e-4 * data.length)) / Math.max(1, data.length);
  const random = seededRandom(options.seed);
  const scratch = new Scratch(Math.max(1, ...prepared.map((p) => p.T)), Math.max(1, ...prepared.map((p) => p.K)));
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const i of shuffled([...data.keys()], random)) {
      const ex = preparedOf[i];
      if (!ex) continue;
      const eta = eta0 / (1 + step++ / data.length);
      w.multiplier *= 1 - eta * decayPerExample;
      if (w.multiplier < 1e-6) {
        for (let p = 0; p < w.weights.length; p++) w.weights[p] *= w.multiplier;
        w.multiplier = 1;
      }
      sgdStep(w, ex, eta, scratch);
    }
  }
  return serialise(w, gazetteer, commands, options.threshold ?? 0.75);
}

/**
 * One sentence ready for updates: for every token, the emission weights that concern the labels its
 * command can have (their positions in `weights` and the local label), and which transitions are allowed.
 */
interface Prepared {
  T: number;
  K: number;
  /** Global label ids of the local labels. */
  ids: Int32Array;
  gold: Int32Array;
  goldLocal: Int32Array;
  /** Token t's emission entries are pos/lab[tokenStart[t]..tokenStart[t+1]). */
  tokenStart: Int32Array;
  pos: Int32Array;
  lab: Int32Array;
  /** [K × K] 1 where label b may follow label a (BIO), and [K] labels that may start a sentence. */
  allowed: Uint8Array;
  mayStart: Uint8Array;
}

function prepare(w: TaggerWeights, feats: readonly Int32Array[], gold: Int32Array, ids: readonly number[]): Prepared | undefined {
  const T = feats.length;
  if (T === 0 || [...gold].some((g) => !ids.includes(g))) return undefined;
  const K = ids.length;
  const local = new Int32Array(w.labels.length).fill(-1);
  ids.forEach((g, k) => (local[g] = k));
  const tokenStart = new Int32Array(T + 1);
  const pos: number[] = [];
  const lab: number[] = [];
  for (let t = 0; t < T; t++) {
    tokenStart[t] = pos.length;
    for (const f of feats[t]) {
      for (let p = w.rows[f]; p < w.rows[f + 1]; p++) {
        const k = local[w.cols[p]];
        if (k < 0) continue;
        pos.push(p);
        lab.push(k);
      }
    }
  }
  tokenStart[T] = pos.length;
  // Labels are O, then B-f, I-f pairs: I-f (even id) may only follow B-f or I-f, and never starts.
  const inside = (g: number) => g > 0 && g % 2 === 0;
  const allowed = new Uint8Array(K * K);
  for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) allowed[a * K + b] = !inside(ids[b]) || ids[a] === ids[b] || ids[a] === ids[b] - 1 ? 1 : 0;
  return {
    T,
    K,
    ids: Int32Array.from(ids),
    gold,
    goldLocal: Int32Array.from(gold, (g) => local[g]),
    tokenStart,
    pos: Int32Array.from(pos),
    lab: Int32Array.from(lab),
    allowed,
    mayStart: Uint8Array.from(ids, (g) => (inside(g) ? 0 : 1)),
  };
}

/** Buffers reused by every update (the longest sentence, the most labels). */
class Scratch {
  readonly emit: Float64Array;
  readonly E: Float64Array;
  readonly alpha: Float64Array;
  readonly beta: Float64Array;
  readonly node: Float64Array;
  readonly M: Float64Array;
  constructor(T: number, K: number) {
    this.emit = new Float64Array(T * K);
    this.E = new Float64Array(T * K);
    this.alpha = new Float64Array(T * K);
    this.beta = new Float64Array(T * K);
    this.node = new Float64Array(T * K);
    this.M = new Float64Array(K * K);
  }
}

function normalise(a: Float64Array, at: number, K: number): void {
  let sum = 0;
  for (let k = 0; k < K; k++) sum += a[at + k];
  const inv = sum > 0 ? 1 / sum : 0;
  for (let k = 0; k < K; k++) a[at + k] *= inv;
}

/**
 * One stochastic gradient step of the log-likelihood on one sentence: forward-backward (scaled, in
 * probability space) over the sentence's labels, then gold counts minus expected counts.
 */
function sgdStep(w: TaggerWeights, ex: Prepared, eta: number, s: Scratch): void {
  const { T, K, ids, gold, goldLocal, tokenStart, pos, lab, allowed, mayStart } = ex;
  const L = w.labels.length;
  const { emit, E, alpha, beta, node, M } = s;
  emit.fill(0, 0, T * K);
  const mult = w.multiplier;
  for (let t = 0; t < T; t++) for (let q = tokenStart[t]; q < tokenStart[t + 1]; q++) emit[t * K + lab[q]] += w.weights[pos[q]] * mult;
  for (let t = 0; t < T; t++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, emit[t * K + k]);
    for (let k = 0; k < K; k++) E[t * K + k] = Math.exp(emit[t * K + k] - max);
  }
  for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) M[a * K + b] = allowed[a * K + b] ? Math.exp(w.transitions[ids[a] * L + ids[b]]) : 0;
  for (let k = 0; k < K; k++) alpha[k] = mayStart[k] ? Math.exp(w.start[ids[k]]) * E[k] : 0;
  normalise(alpha, 0, K);
  for (let t = 1; t < T; t++) {
    const at = t * K;
    for (let k = 0; k < K; k++) alpha[at + k] = 0;
    for (let j = 0; j < K; j++) {
      const a = alpha[at - K + j];
      if (a === 0) continue;
      for (let k = 0; k < K; k++) alpha[at + k] += a * M[j * K + k];
    }
    for (let k = 0; k < K; k++) alpha[at + k] *= E[at + k];
    normalise(alpha, at, K);
  }
  for (let k = 0; k < K; k++) beta[(T - 1) * K + k] = Math.exp(w.end[ids[k]]);
  normalise(beta, (T - 1) * K, K);
  for (let t = T - 2; t >= 0; t--) {
    const next = (t + 1) * K;
    for (let j = 0; j < K; j++) {
      let sum = 0;
      for (let k = 0; k < K; k++) sum += M[j * K + k] * E[next + k] * beta[next + k];
      beta[t * K + j] = sum;
    }
    normalise(beta, t * K, K);
  }
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < K; k++) node[t * K + k] = alpha[t * K + k] * beta[t * K + k];
    normalise(node, t * K, K);
  }
  // Emission weights (lazy L2: a step of eta is eta / multiplier in stored units).
  const up = eta / mult;
  for (let t = 0; t < T; t++) {
    const g = goldLocal[t];
    for (let q = tokenStart[t]; q < tokenStart[t + 1]; q++) {
      const k = lab[q];
      w.weights[pos[q]] += up * ((k === g ? 1 : 0) - node[t * K + k]);
    }
  }
  w.start[gold[0]] += eta;
  w.end[gold[T - 1]] += eta;
  for (let k = 0; k < K; k++) {
    w.start[ids[k]] -= eta * node[k];
    w.end[ids[k]] -= eta * node[(T - 1) * K + k];
  }
  // Transitions: pairwise marginals alpha[t,a]·M[a,b]·E[t+1,b]·beta[t+1,b], normalised per t.
  for (let t = 0; t + 1 < T; t++) {
    w.transitions[gold[t] * L + gold[t + 1]] += eta;
    const next = (t + 1) * K;
    let sum = 0;
    for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) sum += alpha[t * K + a] * M[a * K + b] * E[next + b] * beta[next + b];
    const inv = sum > 0 ? eta / sum : 0;
    for (let a = 0; a < K; a++) {
      const al = alpha[t * K + a] * inv;
      if (al === 0) continue;
      for (let b = 0; b < K; b++) if (allowed[a * K + b]) w.transitions[ids[a] * L + ids[b]] -= al * M[a * K + b] * E[next + b] * beta[next + b];
    }
  }
}

/** Integer weights; (feature, label) pairs whose weight rounds to 0 and features left empty are dropped. */
function serialise(w: TaggerWeights, gazetteer: Gazetteer, commands: Record<string, string[]>, threshold: number): SlotTaggerFile {
  const q = (v: number) => Math.round(v * SCALE) || 0;
  const features: string[] = [];
  const rows: number[] = [0];
  const cols: number[] = [];
  const weights: number[] = [];
  for (const [name, i] of w.featureIndex) {
    const before = cols.length;
    for (let p = w.rows[i]; p < w.rows[i + 1]; p++) {
      const v = q(w.weights[p] * w.multiplier);
      if (v !== 0) {
        cols.push(w.cols[p]);
        weights.push(v);
      }
    }
    if (cols.length > before) {
      features.push(name);
      rows.push(cols.length);
    }
  }
  return {
    format: SLOT_TAGGER_FORMAT,
    version: SLOT_TAGGER_VERSION,
    labels: [...w.labels],
    commands,
    gazetteer,
    threshold,
    thresholds: {},
    scale: SCALE,
    transitions: [...w.transitions].map(q),
    start: [...w.start].map(q),
    end: [...w.end].map(q),
    features,
    rows,
    cols,
    weights,
  };
}
