/**
 * The intent head on synthetic data (no encoder): softmax regression, the nearest-neighbour choice,
 * determinism, and that the runtime's scoring (also after a bundle round trip) is the trainer's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBundle, scoreEmbedding, type ContextModel } from '../../../src/bundle/index.ts';
import { headProbabilities, mixNeighbours, neighbourSimilarities, rankScores, softmaxInPlace } from '../../../src/bundle/context-model.ts';
import { seededRandom } from '../../../src/util/rng.ts';
import { FsBundleSource } from '../../../trainer-node/bundle-fs-source.ts';
import { evaluate, type Prediction } from '../../../trainer-node/train/evaluate.ts';
import { FIT_DEFAULTS, fitSoftmaxHead, type Matrix } from '../../../trainer-node/train/fit-head.ts';
import { LEXICAL, trainHead, type HeadRow } from '../../../trainer-node/train/train.ts';
import { writeBundle } from '../../../trainer-node/train/write-bundle.ts';

const DIM = 8;
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function normalised(v: number[]): Float32Array {
  const n = Math.hypot(...v) || 1;
  return Float32Array.from(v.map((x) => x / n));
}

/** Noisy points around `classes` random centres (seeded apart from the noise), plus a few sparse "lexical" columns. */
function blobs(classes: number, perClass: number, seed: number, noise = 0.4, noiseSeed = seed): { x: Matrix; y: Int32Array } {
  const centreRandom = seededRandom(seed);
  const centres = Array.from({ length: classes }, () => Array.from({ length: DIM }, () => centreRandom() * 2 - 1));
  const random = seededRandom(noiseSeed + 1000);
  const cols = DIM + 16;
  const data = new Float32Array(classes * perClass * cols);
  const y = new Int32Array(classes * perClass);
  for (let c = 0; c < classes; c++) {
    for (let k = 0; k < perClass; k++) {
      const r = c * perClass + k;
      const v = normalised(centres[c].map((m) => m + (random() - 0.5) * noise));
      data.set(v, r * cols);
      data[r * cols + DIM + ((c * 3 + k) % 16)] = 0.5; // sparse part
      y[r] = c;
    }
  }
  return { x: { rows: y.length, cols, data }, y };
}

/** XOR in the first two coordinates: no linear head separates it, nearest neighbours do. */
function xorRows(n: number, seed: number): HeadRow[] {
  const random = seededRandom(seed);
  const rows: HeadRow[] = [];
  for (let i = 0; i < n; i++) {
    const a = random() * 2 - 1;
    const b = random() * 2 - 1;
    if (Math.abs(a) < 0.15 || Math.abs(b) < 0.15) continue; // a margin around the axes
    const rest = Array.from({ length: DIM - 2 }, () => (random() - 0.5) * 0.05);
    rows.push({ label: a * b > 0 ? 0 : 1, x: normalised([a, b, ...rest]), lex: new Float32Array(LEXICAL.size) });
  }
  return rows;
}

function accuracy(weights: Float32Array, bias: Float32Array, { x, y }: { x: Matrix; y: Int32Array }, classes: number): number {
  let ok = 0;
  for (let r = 0; r < x.rows; r++) {
    let best = -Infinity;
    let arg = -1;
    for (let c = 0; c < classes; c++) {
      let s = bias[c];
      for (let d = 0; d < x.cols; d++) s += weights[c * x.cols + d] * x.data[r * x.cols + d];
      if (s > best) [best, arg] = [s, c];
    }
    if (arg === y[r]) ok++;
  }
  return ok / x.rows;
}

describe('fitSoftmaxHead', () => {
  const train = blobs(5, 40, 1);
  const valid = blobs(5, 10, 1, 0.4, 2); // the same centres, other noise

  it('learns separable classes', () => {
    const fit = fitSoftmaxHead(train.x, train.y, valid, { classes: 5, seed: 3, denseCols: DIM });
    expect(accuracy(fit.weights, fit.bias, train, 5)).toBeGreaterThan(0.97);
    expect(accuracy(fit.weights, fit.bias, valid, 5)).toBeGreaterThan(0.95);
  });

  it('stops early when the held-out loss stops improving (overlapping classes), and keeps the best epoch', () => {
    const noisyTrain = blobs(5, 40, 1, 3);
    const noisyValid = blobs(5, 40, 1, 3, 7);
    const losses: number[] = [];
    const fit = fitSoftmaxHead(noisyTrain.x, noisyTrain.y, noisyValid, { classes: 5, seed: 3, denseCols: DIM, onEpoch: (_, l) => losses.push(l) });
    expect(fit.epochs).toBeGreaterThan(0);
    expect(losses.length).toBeLessThan(200);
    expect(losses.length).toBe(fit.epochs + FIT_DEFAULTS.patience);
    expect(fit.validLoss).toBe(losses[fit.epochs - 1]);
    expect(fit.validLoss).toBeLessThanOrEqual(Math.min(...losses) + 1e-5); // improvements under 1e-5 do not count
  });

  it('is deterministic, and the dense/sparse split of the columns changes only float32 rounding', () => {
    const a = fitSoftmaxHead(train.x, train.y, valid, { classes: 5, seed: 3, denseCols: DIM });
    const b = fitSoftmaxHead(train.x, train.y, valid, { classes: 5, seed: 3, denseCols: DIM });
    expect(Buffer.from(b.weights.buffer)).toEqual(Buffer.from(a.weights.buffer));
    expect(Buffer.from(b.bias.buffer)).toEqual(Buffer.from(a.bias.buffer));
    // The dense columns are summed by the SIMD kernel (four lanes), the sparse ones one by one: the
    // same fit up to rounding (a fixed number of epochs: where early stopping stops may move).
    const fixed = { classes: 5, seed: 3, maxEpochs: 20 };
    const split = fitSoftmaxHead(train.x, train.y, undefined, { ...fixed, denseCols: DIM });
    const sparse = fitSoftmaxHead(train.x, train.y, undefined, { ...fixed, denseCols: 0 });
    const scale = Math.max(...split.weights.map(Math.abs));
    expect(scale).toBeGreaterThan(0.1);
    expect(Math.max(...split.weights.map((w, i) => Math.abs(w - sparse.weights[i])))).toBeLessThan(1e-4 * scale);
    expect(Math.max(...split.bias.map((w, i) => Math.abs(w - sparse.bias[i])))).toBeLessThan(1e-4 * scale);
  });

  it('gives the same bytes for the same rows and seed, with the golden checksum', () => {
    // A fit runs in IEEE float32 (WebAssembly, no fused multiply-add) and float64 JavaScript: the
    // same bytes on every CPU. The checksum was computed once; a CPU or engine computing otherwise fails.
    const fit = fitSoftmaxHead(train.x, train.y, valid, { classes: 5, seed: 3, denseCols: DIM });
    expect((fnv(fit.weights) ^ fnv(fit.bias)) >>> 0).toBe(GOLDEN_FIT);
  });
});

/** FNV-1a over the bytes of a float array. */
function fnv(a: Float32Array): number {
  let h = 0x811c9dc5;
  for (const byte of new Uint8Array(a.buffer, a.byteOffset, a.byteLength)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h;
}
const GOLDEN_FIT = 27764228;

const xor = { rows: xorRows(700, 11), labels: ['same_sign', 'other_sign'] };
const xorHead = await trainHead(xor.labels, xor.rows, DIM, { seed: 5, heldOutFraction: 0.2, memoryPerLabel: 400 });

describe('trainHead', () => {
  const { rows, labels } = xor;
  const head = xorHead;

  it('uses the nearest-neighbour memory where a linear head cannot separate the classes (XOR)', () => {
    expect(head.knnWeight).toBeGreaterThan(0);
    expect(head.heldOut.accuracy).toBeGreaterThan(0.9);
    const fresh = xorRows(300, 99);
    const ok = fresh.filter((r) => scoreEmbedding(head.model, r.x, r.lex)[0].label === labels[r.label]).length;
    expect(ok / fresh.length).toBeGreaterThan(0.9);
  });

  it('is deterministic for the same rows and seed', async () => {
    const again = await trainHead(labels, rows, DIM, { seed: 5, heldOutFraction: 0.2, memoryPerLabel: 400 });
    expect(Buffer.from(again.model.weights.buffer)).toEqual(Buffer.from(head.model.weights.buffer));
    expect(Buffer.from(again.model.bias.buffer)).toEqual(Buffer.from(head.model.bias.buffer));
    expect({ ...again, model: undefined }).toEqual({ ...head, model: undefined });
  });

  it('learns well-separated classes (blobs) with thresholds in range', async () => {
    const { x, y } = blobs(4, 60, 2);
    const blobRows: HeadRow[] = Array.from({ length: x.rows }, (_, r) => ({ label: y[r], x: x.data.slice(r * x.cols, r * x.cols + DIM), lex: new Float32Array(LEXICAL.size) }));
    const h = await trainHead(['a', 'b', 'c', 'd'], blobRows, DIM, { seed: 1, heldOutFraction: 0.2, memoryPerLabel: 24 });
    expect(h.heldOut.accuracy).toBeGreaterThan(0.95);
    expect(h.thresholds.confident).toBeGreaterThanOrEqual(0.45);
  });
});

const scored = { rows: xorRows(400, 21), labels: ['same_sign', 'other_sign'] };
const scoredHead = await trainHead(scored.labels, scored.rows, DIM, { seed: 8, heldOutFraction: 0.2, memoryPerLabel: 50 });

describe('the runtime scores as the trainer does', () => {
  const { labels } = scored;
  const head = scoredHead;
  const model: ContextModel = { ...head.model, knnWeight: 0.3, knnTemperature: 0.05 };
  const probes = xorRows(60, 5).map((r, i) => ({ ...r, lex: lexOf(i) }));

  function lexOf(i: number): Float32Array {
    const v = new Float32Array(LEXICAL.size);
    v[(i * 37) % LEXICAL.size] = 0.6;
    v[(i * 101 + 5) % LEXICAL.size] = 0.8;
    return v;
  }

  it('scoreEmbedding = softmax(W·[x; lexical] + b) mixed with softmax(best cosine per label / T)', () => {
    const width = DIM + LEXICAL.size;
    for (const p of probes) {
      const logits = new Float64Array(labels.length);
      for (let c = 0; c < labels.length; c++) {
        let s = model.bias[c];
        for (let d = 0; d < width; d++) s += model.weights[c * width + d] * (d < DIM ? p.x[d] : p.lex[d - DIM]);
        logits[c] = s;
      }
      const headP = softmaxInPlace(logits);
      const best = new Float64Array(labels.length).fill(-1);
      for (let r = 0; r < model.memoryLabels.length; r++) {
        let s = 0;
        for (let d = 0; d < DIM; d++) s += model.memory[r * DIM + d] * p.x[d];
        best[model.memoryLabels[r]] = Math.max(best[model.memoryLabels[r]], s);
      }
      const knn = softmaxInPlace(best.map((s) => s / model.knnTemperature));
      const scores = scoreEmbedding(model, p.x, p.lex);
      for (const s of scores) {
        const c = labels.indexOf(s.label);
        expect(s.score).toBeCloseTo(0.7 * headP[c] + 0.3 * knn[c], 12);
      }
    }
  });

  it('the trainer’s held-out path (head → mixNeighbours → rankScores) is scoreEmbedding', () => {
    for (const p of probes) {
      const parts = rankScores(labels, mixNeighbours(headProbabilities(model, p.x, p.lex), neighbourSimilarities(model, p.x), model.knnWeight, model.knnTemperature));
      expect(parts).toEqual(scoreEmbedding(model, p.x, p.lex).map(({ label, score }) => ({ label, score })));
    }
  });

  it('a written and loaded bundle gives exactly the trained model’s scores', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fw-head-'));
    dirs.push(dir);
    await writeBundle(dir, {
      workflow: 'xor',
      encoder: { source: 'test:none', dir, files: [] },
      dtype: 'q8',
      dim: DIM,
      lexical: LEXICAL,
      contexts: [{ context: '*', labels, weights: model.weights, bias: model.bias, memory: model.memory, memoryLabels: model.memoryLabels, thresholds: head.thresholds, knnWeight: model.knnWeight, knnTemperature: model.knnTemperature, metrics: {} }],
      metadata: { workflow: 'xor', description: '', contexts: {}, commands: [] },
      report: {},
    });
    const loaded = (await loadBundle(new FsBundleSource(dir))).contexts.get('*')!;
    expect(loaded.thresholds).toEqual(head.thresholds);
    for (const p of probes) expect(scoreEmbedding(loaded, p.x, p.lex)).toEqual(scoreEmbedding(model, p.x, p.lex));
  });
});

describe('evaluate: calibration', () => {
  it('measures mean confidence, expected calibration error and log loss', () => {
    // 10 predictions at 0.8 confidence, 8 of them right: calibrated.
    const predictions: Prediction[] = Array.from({ length: 10 }, (_, i) => ({
      truth: i < 8 ? 'a' : 'b',
      ranked: [
        { label: 'a', score: 0.8 },
        { label: 'b', score: 0.2 },
      ],
    }));
    const report = evaluate(predictions, ['a', 'b'], { confident: 0.5, margin: 0.1, minimum: 0.15 });
    expect(report.accuracy).toBeCloseTo(0.8, 12);
    expect(report.calibration.meanConfidence).toBeCloseTo(0.8, 12);
    expect(report.calibration.ece).toBeCloseTo(0, 12);
    expect(report.calibration.logLoss).toBeCloseTo(-(0.8 * Math.log(0.8) + 0.2 * Math.log(0.2)), 12);
  });
});
