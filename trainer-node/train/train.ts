import { join, resolve } from 'node:path';
import { CompiledWorkflow, OUT_OF_SCOPE, type IntentThresholds, type WorkflowDefinition } from '../../src/index.ts';
import { createTransformersEncoder, lexicalFeatures, scoreEmbedding, type ContextModel, type SentenceEncoder } from '../../src/bundle/index.ts';
import type { Progress } from '../progress.ts';
import { buildDatasets, hash, type Conflict, type ContextDataset } from './dataset.ts';
import { chooseThresholds, evaluate, type EvaluationReport, type Prediction } from './evaluate.ts';
import { FIT_DEFAULTS, fitSoftmaxHead, fitTemperature, type Matrix } from './fit-head.ts';
import { MODELS_DIR, resolveEncoder, type Dtype, type ResolvedEncoder } from './resolve-encoder.ts';
import { stratifiedSplit } from './split.ts';
import { writeBundle, type ContextArtifacts } from './write-bundle.ts';

export interface TrainOptions {
  workflow: WorkflowDefinition<any>;
  outDir: string;
  /** Hugging Face id, local folder, or undefined for the built-in offline encoder. */
  baseModel?: string;
  dtype?: Dtype;
  seed?: number;
  maxPerLabel?: number;
  heldOutFraction?: number;
  /** Nearest-neighbour rows kept per label in the bundle. */
  memoryPerLabel?: number;
  /** Extra utterances per command (cached LLM paraphrases). */
  extraUtterances?: Record<string, string[]>;
  progress?: Progress;
  /** Tests inject an already-loaded encoder to save the load time. */
  encoder?: { resolved: ResolvedEncoder; instance: SentenceEncoder };
}

export interface ContextSummary {
  context: string;
  labels: number;
  examples: number;
  epochs: number;
  knnWeight: number;
  thresholds: IntentThresholds;
  heldOut: EvaluationReport;
}

export interface TrainSummary {
  workflow: string;
  outDir: string;
  encoder: string;
  seconds: number;
  contexts: ContextSummary[];
  conflicts: Conflict[];
  warnings: string[];
}

/** How heads are trained (see trainHead). Measured on Banking77 and the example workflows. */
export const HEAD = {
  fit: { ...FIT_DEFAULTS },
  /** Temperature scaling on the held-out rows. */
  calibrate: true,
  /** Candidate weights of the nearest-neighbour memory against the head. */
  knnWeights: [0, 0.25, 0.5],
  knnTemperature: 0.05,
  /** Choose the nearest-neighbour weight by held-out accuracy or by held-out log loss. */
  knnBy: 'accuracy' as 'accuracy' | 'loss',
};
/** Hashed lexical features next to the embedding (measured on the examples: better on unseen paraphrases). */
export const LEXICAL = { size: 1024, scale: 1 };

/** utterances → embeddings → per-context heads (evaluated on a held-out split) → a static bundle. */
export async function trainWorkflow(options: TrainOptions): Promise<TrainSummary> {
  const started = performance.now();
  const progress = options.progress;
  const seed = options.seed ?? 42;
  const dtype = options.dtype ?? 'q8';
  const workflow = new CompiledWorkflow(options.workflow);

  progress?.log(`Training "${workflow.name}" (${workflow.contextNames().length} contexts)`);
  const { datasets, conflicts } = buildDatasets(workflow, { seed, maxPerLabel: options.maxPerLabel ?? 60, extra: options.extraUtterances });
  const warnings = seedWarnings(workflow);
  for (const c of conflicts) progress?.log(`conflict in ${c.context}: "${c.text}" is an utterance of ${c.labels.join(' and ')} — kept for ${c.labels[0]} only`);
  for (const w of warnings) progress?.log(`warning: ${w}`);

  const { resolved, instance: encoder } = options.encoder ?? (await loadEncoder(options.baseModel, dtype, progress));

  const texts = [...new Set(datasets.flatMap((d) => d.examples.map((e) => e.text)))].sort();
  progress?.stage('encode', texts.length, `${texts.length} utterances`);
  const embeddings = new Map<string, Float32Array>();
  for (let i = 0; i < texts.length; i += 128) {
    const batch = texts.slice(i, i + 128);
    const vectors = await encoder.embed(batch);
    batch.forEach((t, k) => embeddings.set(t, stabilise(vectors[k])));
    progress?.advance(batch.length);
  }
  progress?.done();

  const artifacts: ContextArtifacts[] = [];
  const summaries: ContextSummary[] = [];
  progress?.stage('train', datasets.length);
  for (const ds of datasets) {
    progress?.advance(0, `context ${ds.context}`);
    const { artifact, summary } = trainContext(ds, embeddings, encoder.dim, {
      seed: seed + hash(ds.context),
      heldOutFraction: options.heldOutFraction ?? 0.2,
      memoryPerLabel: options.memoryPerLabel ?? 24,
    });
    artifacts.push(artifact);
    summaries.push(summary);
    progress?.advance(1);
  }
  progress?.done();

  const metadata = { workflow: workflow.name, description: workflow.definition.description, ...workflow.metadata() };
  const report = { workflow: workflow.name, encoder: resolved.source, contexts: summaries, conflicts, warnings };
  await writeBundle(options.outDir, { workflow: workflow.name, encoder: resolved, dtype, dim: encoder.dim, lexical: LEXICAL, contexts: artifacts, metadata, report });
  return { workflow: workflow.name, outDir: options.outDir, encoder: resolved.source, seconds: (performance.now() - started) / 1000, contexts: summaries, conflicts, warnings };
}

export async function loadEncoder(baseModel: string | undefined, dtype: Dtype, progress?: Progress): Promise<{ resolved: ResolvedEncoder; instance: SentenceEncoder }> {
  progress?.stage('encoder', 1, baseModel ?? 'built-in use-lite-en');
  const resolved = await resolveEncoder(baseModel, dtype, {
    prepareDefault: async () => {
      const { prepareUseLite } = await import('../models/use-lite/prepare.ts');
      const result = await prepareUseLite({ outDir: join(MODELS_DIR, 'use-lite-en'), onProgress: (m: string) => progress?.log(m) });
      return result.dir;
    },
    download: async (id, d) => {
      const cacheDir = join(MODELS_DIR, 'hf-cache');
      progress?.log(`Downloading ${id} (${d}) into ${cacheDir} (once)…`);
      await createTransformersEncoder({ model: id, dtype: d, allowRemote: true, cacheDir });
      return join(cacheDir, id);
    },
  });
  // An absolute folder is used as it is (a bare folder name would have to look like a hub id).
  const instance = await createTransformersEncoder({ model: resolve(resolved.dir), dtype });
  progress?.advance(1);
  progress?.done(`Encoder: ${resolved.source} (${resolved.dir}, ${dtype}, dim ${instance.dim})`);
  return { resolved, instance };
}

function trainContext(
  ds: ContextDataset,
  embeddings: Map<string, Float32Array>,
  dim: number,
  opts: { seed: number; heldOutFraction: number; memoryPerLabel: number },
): { artifact: ContextArtifacts; summary: ContextSummary } {
  const labelIndex = new Map(ds.labels.map((l, i) => [l, i]));
  const rows = ds.examples.map((e) => ({ label: labelIndex.get(e.label)!, x: embeddings.get(e.text)!, lex: lexicalFeatures(e.text, LEXICAL.size, LEXICAL.scale) }));
  const head = trainHead(ds.labels, rows, dim, opts);
  const { heldOut, thresholds } = head;
  const summary: ContextSummary = { context: ds.context, labels: ds.labels.length, examples: rows.length, epochs: head.epochs, knnWeight: head.knnWeight, thresholds, heldOut };
  return {
    summary,
    artifact: {
      context: ds.context,
      labels: ds.labels,
      weights: head.model.weights,
      bias: head.model.bias,
      memory: head.model.memory,
      memoryLabels: head.model.memoryLabels,
      thresholds,
      knnWeight: head.knnWeight,
      knnTemperature: head.model.knnTemperature,
      metrics: { accuracy: round(heldOut.accuracy), macroF1: round(heldOut.macroF1), heldOut: heldOut.examples, outOfScope: { precision: round(heldOut.outOfScope.precision), recall: round(heldOut.outOfScope.recall) } },
    },
  };
}

/** One training row of a head: label index, normalised embedding, lexical features (LEXICAL). */
export interface HeadRow {
  label: number;
  x: Float32Array;
  lex: Float32Array;
}

export interface HeadOptions {
  seed: number;
  heldOutFraction: number;
  /** Nearest-neighbour rows kept per label (the first ones in `rows` order). */
  memoryPerLabel: number;
}

export interface TrainedHead {
  /** The final model (head trained on all rows, memory from all rows), as the bundle will hold it. */
  model: ContextModel;
  epochs: number;
  temperature: number;
  knnWeight: number;
  thresholds: IntentThresholds;
  heldOut: EvaluationReport;
  /** The held-out rows' predictions the thresholds were chosen on. */
  heldOutPredictions: Prediction[];
}

/**
 * One context's classifier from its rows (order matters: earlier rows go to the memory first).
 * Held-out split → head with early stopping → temperature and nearest-neighbour weight and
 * thresholds chosen on the held-out rows → the head re-trained on all rows for the chosen number
 * of epochs. Deterministic for the same rows and seed. The trainer and bench/intent-eval.ts use it.
 */
export function trainHead(labels: string[], rows: readonly HeadRow[], dim: number, opts: HeadOptions): TrainedHead {
  const indexed = rows.map((r, i) => ({ ...r, i }));
  const width = dim + LEXICAL.size;
  const features = (rs: readonly HeadRow[]) => matrix(rs.map((r) => concat(r.x, r.lex)), width);
  const { train, test } = stratifiedSplit(indexed, (r) => r.label, opts.heldOutFraction, opts.seed);
  const classWeights = balancedWeights(indexed.map((r) => r.label), labels.length);
  const fitOptions = { classes: labels.length, seed: opts.seed, classWeights, denseCols: dim, ...HEAD.fit };

  const fit = fitSoftmaxHead(features(train), Int32Array.from(train.map((r) => r.label)), { x: features(test), y: Int32Array.from(test.map((r) => r.label)) }, fitOptions);
  // Temperature scaling on the held-out rows, folded into the weights (the runtime needs no change).
  const temperature = HEAD.calibrate && test.length ? round(fitTemperature(test.map((r) => logits(fit.weights, fit.bias, r, dim, labels.length)), test.map((r) => r.label))) : 1;

  // Pick the nearest-neighbour weight and the thresholds on the held-out split.
  const trainMemory = memoryOf(train, dim, opts.memoryPerLabel);
  let best: { w: number; predictions: Prediction[]; accuracy: number; loss: number } | undefined;
  for (const w of HEAD.knnWeights) {
    const model = contextModel(labels, dim, scaled(fit.weights, temperature), scaled(fit.bias, temperature), trainMemory, w);
    const predictions = test.map((r) => ({ truth: labels[r.label], ranked: scoreEmbedding(model, r.x, r.lex) }));
    const accuracy = predictions.filter((p) => p.ranked[0].label === p.truth).length / Math.max(1, predictions.length);
    const loss = logLoss(predictions);
    if (!best || (HEAD.knnBy === 'loss' ? loss < best.loss - 1e-9 : accuracy > best.accuracy + 1e-9)) best = { w, predictions, accuracy, loss };
  }
  const thresholds = chooseThresholds(best!.predictions);
  const heldOut = evaluate(best!.predictions, labels, thresholds);

  // Final head on all the data, for the number of epochs early stopping chose.
  const all = fitSoftmaxHead(features(indexed), Int32Array.from(indexed.map((r) => r.label)), undefined, { ...fitOptions, maxEpochs: Math.max(1, fit.epochs) });
  const memory = memoryOf(indexed, dim, opts.memoryPerLabel);
  const model = { ...contextModel(labels, dim, scaled(all.weights, temperature), scaled(all.bias, temperature), memory, best!.w), thresholds };
  return { model, epochs: fit.epochs, temperature, knnWeight: best!.w, thresholds, heldOut, heldOutPredictions: best!.predictions };
}

function contextModel(labels: string[], dim: number, weights: Float32Array, bias: Float32Array, memory: { vectors: Float32Array; labels: Uint16Array }, knnWeight: number): ContextModel {
  return { labels, dim, lexical: LEXICAL, weights, bias, memory: memory.vectors, memoryLabels: memory.labels, thresholds: { confident: 0.5, margin: 0.1, minimum: 0.15 }, knnWeight, knnTemperature: HEAD.knnTemperature, learned: [] };
}

function logits(weights: Float32Array, bias: Float32Array, r: HeadRow, dim: number, classes: number): Float64Array {
  const width = dim + r.lex.length;
  const out = new Float64Array(classes);
  for (let c = 0; c < classes; c++) {
    let s = bias[c];
    for (let d = 0; d < dim; d++) s += weights[c * width + d] * r.x[d];
    for (let k = 0; k < r.lex.length; k++) if (r.lex[k] !== 0) s += weights[c * width + dim + k] * r.lex[k];
    out[c] = s;
  }
  return out;
}

function scaled(v: Float32Array, temperature: number): Float32Array {
  return temperature === 1 ? v : v.map((x) => x / temperature);
}

function logLoss(predictions: readonly Prediction[]): number {
  let s = 0;
  for (const p of predictions) s -= Math.log(Math.max(1e-12, p.ranked.find((r) => r.label === p.truth)?.score ?? 0));
  return s / Math.max(1, predictions.length);
}

/** The first `perLabel` rows of each label (the seeds come first), as the int8-quantised bundle will hold them. */
function memoryOf(rows: readonly { i: number; label: number; x: Float32Array }[], dim: number, perLabel: number): { vectors: Float32Array; labels: Uint16Array } {
  const count = new Map<number, number>();
  const chosen = [...rows]
    .sort((a, b) => a.i - b.i)
    .filter((r) => {
      const n = count.get(r.label) ?? 0;
      count.set(r.label, n + 1);
      return n < perLabel;
    });
  const vectors = new Float32Array(chosen.length * dim);
  chosen.forEach((r, k) => {
    for (let d = 0; d < dim; d++) vectors[k * dim + d] = Math.max(-127, Math.min(127, Math.round(r.x[d] * 127))) / 127;
  });
  return { vectors, labels: Uint16Array.from(chosen.map((r) => r.label)) };
}

/** Inverse-frequency class weights so the large out-of-scope class does not drown the commands. */
function balancedWeights(labels: readonly number[], classes: number): Float64Array {
  const counts = new Float64Array(classes);
  for (const l of labels) counts[l]++;
  const w = new Float64Array(classes);
  for (let c = 0; c < classes; c++) w[c] = counts[c] ? labels.length / (classes * counts[c]) : 0;
  return w;
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function matrix(vectors: readonly Float32Array[], dim: number): Matrix {
  const data = new Float32Array(vectors.length * dim);
  vectors.forEach((v, i) => data.set(v, i * dim));
  return { rows: vectors.length, cols: dim, data };
}

/** Round embeddings so that last-bit differences between runs cannot change the bundle's bytes. */
function stabilise(v: Float32Array): Float32Array {
  return v.map((x) => Math.round(x * 1e5) / 1e5);
}

function seedWarnings(workflow: CompiledWorkflow<any>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const ctx of workflow.contextNames()) {
    for (const c of workflow.commandsIn(ctx)) {
      if (seen.has(c.name)) continue;
      seen.add(c.name);
      const n = c.definition.utterances?.length ?? 0;
      if (n < 5) out.push(`${c.name} has ${n} seed utterance${n === 1 ? '' : 's'}; 5–10 varied ones make intent detection much more reliable.`);
    }
  }
  return out;
}

function round(v: number): number {
  return Math.round(v * 10000) / 10000;
}

export { OUT_OF_SCOPE };
