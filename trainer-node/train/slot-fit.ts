import { forwardBackward } from '../../src/params/slots/decode.ts';
import type { Gazetteer } from '../../src/params/slots/features.ts';
import { buildLattice, labelIds, SLOT_TAGGER_FORMAT, SLOT_TAGGER_VERSION, type SlotTaggerFile, type TaggerWeights } from '../../src/params/slots/model.ts';
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
  const pairs: Set<number>[] = [];
  const data = examples.map((ex) => {
    const gold = Int32Array.from(ex.labels, (l) => labelId.get(l) ?? 0);
    const feats = ex.features.map((fs, t) =>
      Int32Array.from(fs, (f) => {
        let id = featureIndex.get(f);
        if (id === undefined) {
          id = featureIndex.size;
          featureIndex.set(f, id);
          pairs.push(new Set());
        }
        pairs[id].add(gold[t]);
        return id;
      }),
    );
    return { gold, feats, ids: labelIds(labels, ex.fields) };
  });

  const rows = new Int32Array(featureIndex.size + 1);
  const colList: number[] = [];
  pairs.forEach((set, i) => {
    rows[i] = colList.length;
    colList.push(...[...set].sort((a, b) => a - b));
  });
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

  // About 170k sentence updates in all, at most 20 epochs: a small workflow trains in about a second.
  const epochs = options.epochs ?? Math.max(4, Math.min(20, Math.round(170_000 / Math.max(1, data.length))));
  const eta0 = options.eta ?? 1;
  // L2 grows with the data (1e-4 per sentence, at least 0.4): confidences stay calibrated on a large
  // seed set, and a small workflow is sure of its clear cases but not of sentences unlike its seeds.
  const decayPerExample = (options.l2 ?? Math.max(0.4, 1e-4 * data.length)) / Math.max(1, data.length);
  const random = seededRandom(options.seed);
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const i of shuffled([...data.keys()], random)) {
      const { gold, feats, ids } = data[i];
      const T = feats.length;
      if (T === 0 || [...gold].some((g) => !ids.includes(g))) continue;
      const eta = eta0 / (1 + step++ / data.length);
      w.multiplier *= 1 - eta * decayPerExample;
      if (w.multiplier < 1e-6) {
        for (let p = 0; p < w.weights.length; p++) w.weights[p] *= w.multiplier;
        w.multiplier = 1;
      }
      const lattice = buildLattice(w, feats, ids);
      const m = forwardBackward(lattice);
      const K = ids.length;
      const local = new Int32Array(L).fill(-1);
      ids.forEach((g, k) => (local[g] = k));
      const up = eta / w.multiplier;
      for (let t = 0; t < T; t++) {
        for (const f of feats[t]) {
          for (let p = w.rows[f]; p < w.rows[f + 1]; p++) {
            const k = local[w.cols[p]];
            if (k < 0) continue;
            w.weights[p] += up * ((gold[t] === w.cols[p] ? 1 : 0) - m.node[t * K + k]);
          }
        }
      }
      w.start[gold[0]] += eta;
      w.end[gold[T - 1]] += eta;
      for (let k = 0; k < K; k++) {
        w.start[ids[k]] -= eta * m.node[k];
        w.end[ids[k]] -= eta * m.node[(T - 1) * K + k];
      }
      for (let t = 0; t + 1 < T; t++) {
        w.transitions[gold[t] * L + gold[t + 1]] += eta;
        for (let a = 0; a < K; a++) {
          for (let b = 0; b < K; b++) {
            if (lattice.trans[a * K + b] === -Infinity) continue;
            w.transitions[ids[a] * L + ids[b]] -= eta * m.pair(t, a, b);
          }
        }
      }
    }
  }
  return serialise(w, gazetteer, commands, options.threshold ?? 0.75);
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
