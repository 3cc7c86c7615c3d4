import { ErrorCode, FastWorkflowError } from '../../errors.ts';
import type { Gazetteer } from './features.ts';
import type { Lattice } from './decode.ts';

export const SLOT_TAGGER_FORMAT = 'fastworkflow-slot-tagger';
/** 3: built-in date/time and place features (src/params/slots/builtin); 4: capitalised-run features. An older model's features differ. */
export const SLOT_TAGGER_VERSION = 4;

/**
 * The slot tagger as stored in a bundle (`slots/tagger.json`): a linear-chain CRF over BIO labels of
 * every free-text field of the workflow's commands. Weights are integers; the real weight is
 * value / scale. Emission weights are sparse (CSR): feature i has weights for labels
 * cols[rows[i]..rows[i+1]).
 */
export interface SlotTaggerFile {
  format: typeof SLOT_TAGGER_FORMAT;
  version: typeof SLOT_TAGGER_VERSION;
  /** 'O', then 'B-field', 'I-field' per field. */
  labels: string[];
  /** The fields each command's text is tagged for. */
  commands: Record<string, string[]>;
  gazetteer: Gazetteer;
  /** Default minimum span confidence. */
  threshold: number;
  /** Minimum span confidence per field (fields written in many seed templates; version 2). */
  thresholds: Record<string, number>;
  scale: number;
  /** [labels × labels], from × to. */
  transitions: number[];
  start: number[];
  end: number[];
  features: string[];
  rows: number[];
  cols: number[];
  weights: number[];
}

/** Weights in memory (training works on the same shape, in Float64). */
export interface TaggerWeights {
  labels: readonly string[];
  featureIndex: ReadonlyMap<string, number>;
  rows: Int32Array;
  cols: Int32Array;
  weights: Float64Array;
  /** Multiplier of `weights` (lazy L2 decay while training; 1 otherwise). */
  multiplier: number;
  transitions: Float64Array;
  start: Float64Array;
  end: Float64Array;
}

/** Global label ids usable for a set of fields: O, then B/I of each field the model knows. */
export function labelIds(labels: readonly string[], fields: readonly string[]): number[] {
  const ids = [0];
  for (const f of fields) {
    const b = labels.indexOf(`B-${f}`);
    if (b > 0) ids.push(b, b + 1);
  }
  return ids;
}

/** Feature ids of each token (unknown features dropped). */
export function featureIds(features: readonly string[][], index: ReadonlyMap<string, number>): Int32Array[] {
  return features.map((fs) => Int32Array.from(fs.map((f) => index.get(f) ?? -1).filter((i) => i >= 0)));
}

/** The lattice of one sentence restricted to the label ids `ids`, with BIO constraints. */
export function buildLattice(w: TaggerWeights, feats: readonly Int32Array[], ids: readonly number[]): Lattice {
  const T = feats.length;
  const K = ids.length;
  const L = w.labels.length;
  const local = new Int32Array(L).fill(-1);
  ids.forEach((g, k) => (local[g] = k));
  const emit = new Float64Array(T * K);
  for (let t = 0; t < T; t++) {
    for (const f of feats[t]) {
      for (let p = w.rows[f]; p < w.rows[f + 1]; p++) {
        const k = local[w.cols[p]];
        if (k >= 0) emit[t * K + k] += w.weights[p] * w.multiplier;
      }
    }
  }
  const trans = new Float64Array(K * K);
  const start = new Float64Array(K);
  const end = new Float64Array(K);
  // Labels are O, then B-f, I-f pairs: I-f (even id) may only follow B-f or I-f.
  const inside = (g: number) => g > 0 && g % 2 === 0;
  for (let a = 0; a < K; a++) {
    start[a] = inside(ids[a]) ? -Infinity : w.start[ids[a]];
    end[a] = w.end[ids[a]];
    for (let b = 0; b < K; b++) {
      const to = ids[b];
      const ok = !inside(to) || ids[a] === to || ids[a] === to - 1;
      trans[a * K + b] = ok ? w.transitions[ids[a] * L + to] : -Infinity;
    }
  }
  return { T, K, emit, trans, start, end };
}

export function weightsFromFile(file: SlotTaggerFile): TaggerWeights {
  const s = 1 / file.scale;
  return {
    labels: file.labels,
    featureIndex: new Map(file.features.map((f, i) => [f, i])),
    rows: Int32Array.from(file.rows),
    cols: Int32Array.from(file.cols),
    weights: Float64Array.from(file.weights, (v) => v * s),
    multiplier: 1,
    transitions: Float64Array.from(file.transitions, (v) => v * s),
    start: Float64Array.from(file.start, (v) => v * s),
    end: Float64Array.from(file.end, (v) => v * s),
  };
}

/** Check a tagger file's format and version; a clear error otherwise. */
export function parseSlotTaggerFile(json: unknown, where = 'slots/tagger.json'): SlotTaggerFile {
  const f = json as Partial<SlotTaggerFile> | null;
  if (f?.format !== SLOT_TAGGER_FORMAT) throw new FastWorkflowError(ErrorCode.BundleInvalid, `${where} is not a slot tagger (format ${JSON.stringify(f?.format)}). Re-train the bundle.`);
  if (f.version !== SLOT_TAGGER_VERSION) {
    throw new FastWorkflowError(ErrorCode.BundleInvalid, `${where} has slot tagger version ${JSON.stringify(f.version)}; this runtime reads version ${SLOT_TAGGER_VERSION}. Re-train the bundle.`);
  }
  const L = f.labels?.length ?? 0;
  const ok =
    L > 0 &&
    f.transitions?.length === L * L &&
    f.start?.length === L &&
    f.end?.length === L &&
    f.rows?.length === (f.features?.length ?? -1) + 1 &&
    f.cols?.length === f.weights?.length &&
    f.rows[f.rows.length - 1] === f.cols?.length &&
    typeof f.scale === 'number' &&
    typeof f.threshold === 'number' &&
    !!f.thresholds &&
    Object.values(f.thresholds).every((t) => typeof t === 'number') &&
    !!f.commands &&
    !!f.gazetteer;
  if (!ok) throw new FastWorkflowError(ErrorCode.BundleInvalid, `${where} is malformed (array sizes do not agree). Re-train the bundle.`);
  return f as SlotTaggerFile;
}
