import type { IntentScore, IntentThresholds } from '../intent/classifier.ts';
import { OUT_OF_SCOPE } from '../workflow/builtin-names.ts';

/** One context's trained classifier: a softmax head plus a nearest-neighbour memory. */
export interface ContextModel {
  labels: string[];
  /** Embedding size. */
  dim: number;
  /** Hashed lexical features appended to the embedding for the head (size 0: none). */
  lexical: { size: number; scale: number };
  /** Row-major [labels × (dim + lexical.size)]. */
  weights: Float32Array;
  bias: Float32Array;
  /** Row-major [count × dim], normalised embeddings. */
  memory: Float32Array;
  memoryLabels: Uint16Array;
  thresholds: IntentThresholds;
  knnWeight: number;
  knnTemperature: number;
  /** Examples added at run time (corrections): they take effect without re-training. */
  learned: { vector: Float32Array; label: number }[];
}

/** Cosine at or above which a learned example decides its label. */
export const LEARNED_MATCH = 0.9;

/** How many of the best labels get their nearest-neighbour similarity (the decision reads the first). */
export const SIMILARITY_LABELS = 3;

/**
 * Label probabilities for one text: its normalised embedding and its lexical features, best first;
 * the best SIMILARITY_LABELS labels (out of scope excepted) carry their similarity (cosine to their
 * nearest memory row or learned example). `similarities`: neighbourSimilarities(model, x), when the
 * caller already has them (the trainer scores its held-out rows twice).
 */
export function scoreEmbedding(model: ContextModel, x: Float32Array, lexical?: Float32Array, similarities?: Float64Array): IntentScore[] {
  const probs = headProbabilities(model, x, lexical);
  const all = model.knnWeight > 0 && model.memoryLabels.length > 0 ? (similarities ?? neighbourSimilarities(model, x)) : undefined;
  if (all) mixNeighbours(probs, all, model.knnWeight, model.knnTemperature);
  const learned = applyLearned(model, x, probs);
  const ranked = rankScores(model.labels, probs);
  if (model.memoryLabels.length === 0 && model.learned.length === 0) return ranked;
  const best = ranked.filter((r) => r.label !== OUT_OF_SCOPE).slice(0, SIMILARITY_LABELS);
  const sims = all ?? similarities ?? neighbourSimilarities(model, x, new Set(best.map((r) => model.labels.indexOf(r.label))));
  for (const r of best) {
    const i = model.labels.indexOf(r.label);
    r.similarity = Math.max(sims[i], learned && learned.label === i ? learned.similarity : -1);
  }
  return ranked;
}

export function headProbabilities(model: ContextModel, x: Float32Array, lexical?: Float32Array): Float64Array {
  const { labels, dim, weights, bias } = model;
  const size = model.lexical.size;
  if (size > 0 && (!lexical || lexical.length !== size)) throw new Error(`This head needs ${size} lexical features next to the embedding.`);
  const width = dim + size;
  const active: number[] = [];
  for (let k = 0; k < size; k++) if (lexical![k] !== 0) active.push(k);
  const logits = new Float64Array(labels.length);
  for (let c = 0; c < labels.length; c++) {
    let s = bias[c];
    const row = c * width;
    s += dot(weights, row, x, dim);
    for (const k of active) s += weights[row + dim + k] * lexical![k];
    logits[c] = s;
  }
  return softmaxInPlace(logits);
}

/**
 * Σ a[at + d]·x[d] for d < n, as four interleaved partial sums added pairwise at the end (no long
 * chain of dependent additions: 2–3× faster than one running sum; every caller sums the same way).
 */
function dot(a: Float32Array, at: number, x: Float32Array, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let d = 0;
  for (; d + 3 < n; d += 4) {
    s0 += a[at + d] * x[d];
    s1 += a[at + d + 1] * x[d + 1];
    s2 += a[at + d + 2] * x[d + 2];
    s3 += a[at + d + 3] * x[d + 3];
  }
  for (; d < n; d++) s0 += a[at + d] * x[d];
  return s0 + s1 + (s2 + s3);
}

/**
 * Per label, the best cosine between x and the label's memory rows (-1 for a label without rows, or
 * outside `only` when given).
 */
/** What neighbourSimilarities reads of a model. */
export type NeighbourMemory = Pick<ContextModel, 'labels' | 'dim' | 'memory' | 'memoryLabels'>;

export function neighbourSimilarities(model: NeighbourMemory, x: Float32Array, only?: ReadonlySet<number>): Float64Array {
  const best = new Float64Array(model.labels.length).fill(-1);
  const { dim, memory, memoryLabels } = model;
  for (let r = 0; r < memoryLabels.length; r++) {
    const l = memoryLabels[r];
    if (only && !only.has(l)) continue;
    const s = dot(memory, r * dim, x, dim);
    if (s > best[l]) best[l] = s;
  }
  return best;
}

/**
 * probs ← (1 − weight)·probs + weight·softmax(similarities / temperature), in place. The trainer
 * calls it too when it chooses the weight and temperature, so both score the same way.
 */
export function mixNeighbours(probs: Float64Array, similarities: Float64Array, weight: number, temperature: number): Float64Array {
  const knn = new Float64Array(similarities.length);
  for (let c = 0; c < knn.length; c++) knn[c] = similarities[c] / temperature;
  softmaxInPlace(knn);
  for (let c = 0; c < probs.length; c++) probs[c] = (1 - weight) * probs[c] + weight * knn[c];
  return probs;
}

/** Labels with their probabilities, best first (ties by label). */
export function rankScores(labels: readonly string[], probs: Float64Array): IntentScore[] {
  return labels.map((label, i) => ({ label, score: probs[i] })).sort((a, b) => b.score - a.score || (a.label < b.label ? -1 : 1));
}

/** A learned example at LEARNED_MATCH or closer decides its label: returns it with its cosine. */
function applyLearned(model: ContextModel, x: Float32Array, probs: Float64Array): { label: number; similarity: number } | undefined {
  let bestLabel = -1;
  let bestSim = LEARNED_MATCH;
  for (const ex of model.learned) {
    const s = dot(ex.vector, 0, x, model.dim);
    if (s >= bestSim) {
      bestSim = s;
      bestLabel = ex.label;
    }
  }
  if (bestLabel < 0) return undefined;
  const found = { label: bestLabel, similarity: bestSim };
  if (probs[bestLabel] >= bestSim) return found;
  const rest = 1 - probs[bestLabel];
  const scale = rest > 0 ? (1 - bestSim) / rest : 0;
  for (let c = 0; c < probs.length; c++) probs[c] = c === bestLabel ? bestSim : probs[c] * scale;
  return found;
}

export function softmaxInPlace(v: Float64Array): Float64Array {
  let max = -Infinity;
  for (const x of v) if (x > max) max = x;
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    v[i] = Math.exp(v[i] - max);
    sum += v[i];
  }
  for (let i = 0; i < v.length; i++) v[i] /= sum;
  return v;
}
