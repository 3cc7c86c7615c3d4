import { join, resolve } from 'node:path';
import { CompiledWorkflow, ErrorCode, FastWorkflowError, OUT_OF_SCOPE, type IntentThresholds, type WorkflowDefinition } from '../../src/index.ts';
import { lexicalFeatures, type ContextModel, type SentenceEncoder } from '../../src/bundle/index.ts';
import { headProbabilities, mixNeighbours, scoreEmbedding } from '../../src/bundle/context-model.ts';
import type { Progress } from '../progress.ts';
import { buildDatasets, countSources, hash, type Conflict, type ContextDataset } from './dataset.ts';
import { encoderCacheKey, openEmbeddingCache } from './embedding-cache.ts';
import { chooseThresholds, DEFAULT_SUPPORT_CHOICE, evaluate, lookAlikes, type EvaluationReport, type Prediction, type SupportChoice } from './evaluate.ts';
import { FIT_DEFAULTS, fitSoftmaxHead, type Matrix } from './fit-head.ts';
import { createNodeEncoder, nativeRuntimeTip } from '../node-encoder.ts';
import { downloadHfModel } from '../hf-download.ts';
import { cacheRoot, defaultEncoderDir, modelsDir } from '../paths.ts';
import { resolveEncoder, type Dtype, type ResolvedEncoder } from './resolve-encoder.ts';
import { stratifiedSplit } from './split.ts';
import { slotCommandsOf } from './slot-train.ts';
import { startSlotTagger } from './tagger-thread.ts';
import { startHeldOutSimilarities } from './similarity-thread.ts';
import { threadCpuSeconds } from './thread-cpu.ts';
import { writeBundle, type ContextArtifacts } from './write-bundle.ts';

export interface TrainOptions {
  workflow: WorkflowDefinition<any>;
  outDir: string;
  /** Hugging Face id, local folder, or undefined for the built-in offline encoder. */
  baseModel?: string;
  dtype?: Dtype;
  seed?: number;
  /** Generated utterances fill each label up to this many (default 60); written ones are all used. */
  maxPerLabel?: number;
  heldOutFraction?: number;
  /**
   * Folder for embeddings cached by content between runs (one file per encoder); false: no cache.
   * Default: cacheRoot() (the user's cache folder, never the installed package).
   */
  cacheDir?: string | false;
  /** Also estimate accuracy on whole unseen seed templates (a second head fit per context; slower). */
  strictEstimate?: boolean;
  /**
   * Opt-in, strict: the most a request for something no command does may be executed, estimated on
   * unseen-intent stand-ins (SUPPORT_POLICY; 0.05 is its measured operating point): executing then
   * needs much more support (probability × cosine to the nearest example). Lower asks more often.
   * Unset: DEFAULT_SUPPORT_CHOICE (support thresholds that give up at most 2% of the held-out
   * in-scope requests executed right).
   */
  falseExecution?: number;
  /** Nearest-neighbour rows kept per label in the bundle (default HEAD.memoryPerLabel). */
  memoryPerLabel?: number;
  /** Extra utterances per command (cached LLM paraphrases). */
  extraUtterances?: Record<string, string[]>;
  /** Extra utterances of a command in one context only (corrections): context → command → utterances. */
  contextUtterances?: Record<string, Record<string, string[]>>;
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
  /** Training examples by source: written by the developer (all used), generated (capped), negatives. */
  utterances: { written: number; generated: number; negative: number };
  /**
   * With strictEstimate: held-out rows are whole seed templates the model never saw in any form
   * (the split above keeps augmentations of one seed on both sides, which flatters accuracy).
   */
  unseenTemplates?: { examples: number; accuracy: number; macroF1: number };
}

export interface TrainSummary {
  workflow: string;
  outDir: string;
  encoder: string;
  seconds: number;
  /** Distinct texts embedded, how many came from the cache, and the encoding time. */
  encoding: { texts: number; cached: number; seconds: number; cacheFile?: string };
  /** Where the time went (seconds; the slot tagger trains on a second thread while the rest runs). */
  timings: TrainTimings;
  contexts: ContextSummary[];
  conflicts: Conflict[];
  warnings: string[];
}

/**
 * Seconds per stage of trainWorkflow. `slotTagger` runs on a worker thread beside encoder load,
 * encoding and heads (`slotTaggerThread`), so the stages add up to more than `seconds` on two cores;
 * `slotTaggerWait` is how long the rest then waited for it. `cpuSeconds`: this process, all threads.
 */
export interface TrainTimings {
  encoderLoad: number;
  encode: number;
  heads: number;
  slotTagger: number;
  /** The slot tagger's CPU seconds: its thread's (Linux), else its seconds (inline, one thread); 0 without free-text fields. */
  slotTaggerCpu: number;
  slotTaggerThread: boolean;
  slotTaggerWait: number;
  write: number;
  cpuSeconds: number;
  /** Linux only: CPU seconds of the main thread (from the start of trainWorkflow). */
  mainThreadCpu?: number;
}

/**
 * How heads are trained (see trainHead); measured on Banking77 / SNIPS (bench/intent-eval.ts) and the
 * example workflows (bench/train.ts).
 */
export const HEAD = {
  fit: { ...FIT_DEFAULTS },
  /**
   * L2 as a Gaussian prior on the weights: l2 = l2Prior / training rows. Strong enough on a small
   * workflow to stop early (a few hundred rows of augmented seeds would otherwise keep lowering the
   * held-out loss for hundreds of epochs), negligible on a 10k-row data set.
   */
  l2Prior: 0.02,
  /** Candidate weights of the nearest-neighbour memory against the head … */
  knnWeights: [0, 0.1, 0.25, 0.5],
  /** … and temperatures of its softmax over cosine similarities; the pair with the lowest held-out log loss wins. */
  knnTemperatures: [0.02, 0.05],
  /**
   * The final head continues the early-stopped one on all rows (held-out rows included) for this
   * share of its epochs (at least 1), at this share of the learning rate: one fit per context plus a
   * short continuation, instead of a second fit from scratch.
   */
  continueEpochs: 0.25,
  continueMaxEpochs: 3,
  continueLearningRate: 0.3,
  /** Held-out rows the nearest-neighbour weight and temperature are chosen on, at most (evenly spaced). */
  knnChoiceRows: 1000,
  /** Nearest-neighbour memory rows kept per label (the first ones: written seeds first). */
  memoryPerLabel: 24,
  /**
   * … and with support thresholds (TrainOptions.falseExecution), which read the cosine to the nearest
   * of them: 64 instead of 24 on Banking77 with 10 unseen intents (bench/intent-eval.ts) executed
   * 66.7% instead of 61.4% of in-scope messages right at a similar share of unseen ones executed
   * (3.0% / 1.8%).
   */
  supportMemoryPerLabel: 64,
};
/** Hashed lexical features next to the embedding (measured on the examples: better on unseen paraphrases). */
export const LEXICAL = { size: 1024, scale: 1 };

/** utterances → embeddings → per-context heads (evaluated on a held-out split) → a static bundle. */
export async function trainWorkflow(options: TrainOptions): Promise<TrainSummary> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const mainCpuStarted = threadCpuSeconds();
  const progress = options.progress;
  const seed = options.seed ?? 42;
  const falseExecution = falseExecutionOf(options);
  const dtype = options.dtype ?? 'q8';
  const workflow = new CompiledWorkflow(options.workflow);

  const contextCount = workflow.contextNames().length;
  progress?.log(`Training "${workflow.name}" (${contextCount} ${contextCount === 1 ? 'context' : 'contexts'})`);
  const { datasets, conflicts } = buildDatasets(workflow, { seed, maxPerLabel: options.maxPerLabel ?? 60, extra: options.extraUtterances, contextExtra: options.contextUtterances });
  const warnings = seedWarnings(workflow);
  for (const c of conflicts) progress?.log(describeConflict(c));
  for (const w of warnings) progress?.log(`warning: ${w}`);

  // The slot tagger needs only the commands: it trains on a second thread while the encoder loads,
  // the texts are encoded and the heads are fitted.
  const slotJob = startSlotTagger(slotCommandsOf(workflow.contextNames().flatMap((c) => workflow.commandsIn(c, { includeHidden: true }))), { seed });

  const loadStarted = performance.now();
  const { resolved, instance: encoder } = options.encoder ?? (await loadEncoder(options.baseModel, dtype, progress));
  const encoderLoad = (performance.now() - loadStarted) / 1000;

  const texts = [...new Set(datasets.flatMap((d) => d.examples.map((e) => e.text)))].sort();
  const encodeStarted = performance.now();
  const { embeddings, cached, cacheFile } = await embedAll(texts, encoder, options.cacheDir === false ? undefined : { dir: options.cacheDir ?? cacheRoot(), resolved, dtype }, progress);
  const encoding = { texts: texts.length, cached, seconds: (performance.now() - encodeStarted) / 1000, cacheFile };

  const artifacts: ContextArtifacts[] = [];
  const summaries: ContextSummary[] = [];
  const headsStarted = performance.now();
  progress?.stage('train', datasets.length);
  for (const ds of datasets) {
    progress?.advance(0, `context ${ds.context}`);
    const { artifact, summary, warning } = await trainContext(ds, embeddings, encoder.dim, {
      seed: seed + hash(ds.context),
      heldOutFraction: options.heldOutFraction ?? 0.2,
      memoryPerLabel: options.memoryPerLabel ?? (falseExecution !== undefined ? HEAD.supportMemoryPerLabel : HEAD.memoryPerLabel),
      strictEstimate: options.strictEstimate === true,
      support: falseExecution !== undefined ? { kind: 'false-execution', share: falseExecution } : DEFAULT_SUPPORT_CHOICE,
    });
    artifacts.push(artifact);
    summaries.push(summary);
    if (warning) {
      warnings.push(warning);
      progress?.log(`warning: ${warning}`);
    }
    progress?.advance(1);
  }
  progress?.done();
  const heads = (performance.now() - headsStarted) / 1000;

  const waitStarted = performance.now();
  const { tagger: slotTagger, seconds: slotSeconds, thread, cpuSeconds: slotThreadCpu } = await slotJob.result;
  const slotTaggerWait = (performance.now() - waitStarted) / 1000;
  if (slotTagger) progress?.log(`Slot tagger: ${Object.keys(slotTagger.commands).length} commands, ${slotTagger.features.length} features, ${slotSeconds.toFixed(1)} s${thread ? ' (on a second thread)' : ''}`);
  const writeStarted = performance.now();
  const metadata = { workflow: workflow.name, description: workflow.definition.description, ...workflow.metadata() };
  const report = { workflow: workflow.name, encoder: resolved.source, contexts: summaries, conflicts, warnings };
  await writeBundle(options.outDir, { workflow: workflow.name, encoder: resolved, dtype, dim: encoder.dim, lexical: LEXICAL, contexts: artifacts, metadata, report, slotTagger });
  const cpu = process.cpuUsage(cpuStarted);
  const mainThreadCpu = mainCpuStarted === undefined ? undefined : threadCpuSeconds()! - mainCpuStarted;
  const timings: TrainTimings = {
    encoderLoad,
    encode: encoding.seconds,
    heads,
    slotTagger: slotSeconds,
    slotTaggerCpu: slotTagger ? (slotThreadCpu ?? slotSeconds) : 0,
    slotTaggerThread: thread,
    slotTaggerWait,
    write: (performance.now() - writeStarted) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    ...(mainThreadCpu !== undefined ? { mainThreadCpu } : {}),
  };
  return { workflow: workflow.name, outDir: options.outDir, encoder: resolved.source, seconds: (performance.now() - started) / 1000, encoding, timings, contexts: summaries, conflicts, warnings };
}

/** One line per conflict, saying which label keeps the text. */
export function describeConflict(c: Conflict): string {
  const commands = c.labels.filter((l) => l !== OUT_OF_SCOPE);
  if (commands.length < c.labels.length) {
    return `conflict in ${c.context}: "${c.text}" is one of the workflow's out-of-scope examples and an utterance of ${commands.join(' and ')} — kept for ${c.labels[0]} only; remove it from outOfScope or from the command`;
  }
  return `conflict in ${c.context}: "${c.text}" is an utterance of ${c.labels.join(' and ')} — kept for ${c.labels[0]} only`;
}

/**
 * Texts handed to the encoder per call: it sorts each call's texts by length into batches, so a large
 * call pads little (chunks of 128 in alphabetical order padded every batch to its longest text:
 * ~350 texts/s on the 150-command benchmark instead of ~1,000).
 */
const ENCODE_CHUNK = 2048;

/**
 * The stabilised embedding of every text, in chunks of ENCODE_CHUNK in sorted order; with a cache,
 * only texts it does not hold are encoded, and the new ones are saved.
 */
export async function embedAll(
  texts: readonly string[],
  encoder: SentenceEncoder,
  cache: { dir: string; resolved: ResolvedEncoder; dtype: Dtype } | undefined,
  progress?: Progress,
): Promise<{ embeddings: Map<string, Float32Array>; cached: number; cacheFile?: string }> {
  const store = cache ? openEmbeddingCache(join(cache.dir, 'embeddings'), encoderCacheKey(cache.resolved.dir, cache.resolved.files, cache.dtype), encoder.dim) : undefined;
  const embeddings = new Map<string, Float32Array>();
  const missing: string[] = [];
  for (const t of texts) {
    const hit = store?.get(t);
    if (hit) embeddings.set(t, hit);
    else missing.push(t);
  }
  const tip = nativeRuntimeTip(encoder, missing.length);
  if (tip) progress?.log(tip);
  progress?.stage('encode', missing.length, `${missing.length} utterances (${texts.length - missing.length} cached)`);
  for (let i = 0; i < missing.length; i += ENCODE_CHUNK) {
    const batch = missing.slice(i, i + ENCODE_CHUNK);
    const vectors = await encoder.embed(batch);
    batch.forEach((t, k) => {
      const v = stabilise(vectors[k]);
      embeddings.set(t, v);
      store?.set(t, v);
    });
    progress?.advance(batch.length);
  }
  progress?.done();
  await store?.save();
  return { embeddings, cached: texts.length - missing.length, cacheFile: store?.file };
}

export async function loadEncoder(baseModel: string | undefined, dtype: Dtype, progress?: Progress): Promise<{ resolved: ResolvedEncoder; instance: SentenceEncoder }> {
  progress?.stage('encoder', 1, baseModel ?? 'built-in use-lite-en');
  const resolved = await resolveEncoder(baseModel, dtype, {
    prepareDefault: async () => {
      const { prepareUseLite } = await import('../models/use-lite/prepare.ts');
      const result = await prepareUseLite({ outDir: defaultEncoderDir(), onProgress: (m: string) => progress?.log(m) });
      return result.dir;
    },
    download: async (id, d) => {
      const cacheDir = join(modelsDir(), 'hf');
      progress?.log(`Downloading ${id} (${d}) into ${cacheDir} (once)…`);
      return downloadHfModel(id, d, cacheDir, (m) => progress?.log(m));
    },
  });
  const instance = await createNodeEncoder(resolve(resolved.dir), dtype);
  progress?.advance(1);
  progress?.done(`Encoder: ${resolved.source} (${resolved.dir}, ${dtype}, dim ${instance.dim}, ${instance.runtime}${instance.threads > 1 ? ` on ${instance.threads} threads` : ''})`);
  return { resolved, instance };
}

async function trainContext(
  ds: ContextDataset,
  embeddings: Map<string, Float32Array>,
  dim: number,
  opts: { seed: number; heldOutFraction: number; memoryPerLabel: number; strictEstimate: boolean; support: SupportChoice },
): Promise<{ artifact: ContextArtifacts; summary: ContextSummary; warning?: string }> {
  const labelIndex = new Map(ds.labels.map((l, i) => [l, i]));
  const rows = ds.examples.map((e) => ({ label: labelIndex.get(e.label)!, x: embeddings.get(e.text)!, lex: lexicalFeatures(e.text, LEXICAL.size, LEXICAL.scale), group: e.group }));
  const head = await trainHead(ds.labels, rows, dim, opts);
  const { heldOut, thresholds } = head;
  const lookAlike = opts.support.kind === 'false-execution' ? falseExecutionWarning(ds.context, opts.support.share, heldOut.outcomes.inScope, thresholds, head.heldOutPredictions) : undefined;
  const strict = opts.strictEstimate ? (await trainHead(ds.labels, rows, dim, { ...opts, groupedSplit: true })).heldOut : undefined;
  const unseenTemplates = strict && { examples: strict.examples, accuracy: round(strict.accuracy), macroF1: round(strict.macroF1) };
  const summary: ContextSummary = {
    context: ds.context,
    labels: ds.labels.length,
    examples: rows.length,
    epochs: head.epochs,
    knnWeight: head.knnWeight,
    thresholds,
    heldOut,
    utterances: countSources(ds.examples),
    ...(unseenTemplates ? { unseenTemplates } : {}),
  };
  return {
    summary,
    ...(lookAlike ? { warning: lookAlike } : {}),
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

/** Held-out in-scope requests asked about or rejected from which a false-execution budget is worth a warning. */
const FALSE_EXECUTION_WARN_FROM = 0.3;

/**
 * Under a false-execution budget, a context that asks about or rejects many of its own held-out
 * requests gets a warning naming the commands that look alike (lookAlikes) and what to do.
 */
function falseExecutionWarning(context: string, share: number, inScope: { asked: number; rejected: number }, thresholds: IntentThresholds, predictions: readonly Prediction[]): string | undefined {
  if (inScope.asked + inScope.rejected < FALSE_EXECUTION_WARN_FROM) return undefined;
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  const pairs = lookAlikes(predictions, thresholds);
  const why = pairs.length
    ? ` Requests for one command look like another's, so each stands in for a request to a command that does not exist: ${pairs.map((p) => `${p.command} → ${p.lookAlike} (${p.rows})`).join(', ')}. Give them more distinct seed utterances, or make them one command with a parameter, or`
    : ' Its commands\' requests are close to each other or to other contexts\'. Add more varied seed utterances, or';
  return `${context}: with falseExecution ${share}, ${pct(inScope.asked)} of its held-out requests are asked about and ${pct(inScope.rejected)} rejected (execute threshold ${thresholds.support?.execute ?? '-'}).${why} train without falseExecution.`;
}

/** One training row of a head: label index, normalised embedding, lexical features (LEXICAL). */
export interface HeadRow {
  label: number;
  x: Float32Array;
  lex: Float32Array;
  /** Rows of one group stay on the same side of the held-out split. */
  group?: string;
}

export interface HeadOptions {
  seed: number;
  heldOutFraction: number;
  /** Nearest-neighbour rows kept per label (the first ones in `rows` order). */
  memoryPerLabel: number;
  /** Hold out whole groups (seed templates) instead of single rows. */
  groupedSplit?: boolean;
  /** How the out-of-scope thresholds are chosen (default DEFAULT_SUPPORT_CHOICE). */
  support?: SupportChoice;
}

export interface TrainedHead {
  /** The final model (head trained on all rows, memory from all rows), as the bundle will hold it. */
  model: ContextModel;
  /** Epochs early stopping chose (the final head is trained for as many on all rows). */
  epochs: number;
  knnWeight: number;
  knnTemperature: number;
  thresholds: IntentThresholds;
  heldOut: EvaluationReport;
  /** The held-out rows' predictions the weight and the thresholds were chosen on. */
  heldOutPredictions: Prediction[];
  /** The model that scored them (head fitted without the held-out rows, memory from the training split) and the rows. */
  heldOutModel: ContextModel;
  heldOutRows: HeadRow[];
}

/**
 * One context's classifier from its rows (order matters: earlier rows go to the memory first).
 * Stratified held-out split → softmax head with early stopping on the held-out log loss → the
 * nearest-neighbour weight and temperature with the lowest held-out log loss (a proper score: it
 * rewards calibrated probabilities, where held-out accuracy picked mixtures that were 7–25 points
 * under-confident on Banking77) → thresholds from the held-out confidences → the early-stopped head
 * continued briefly on all rows (HEAD.continueEpochs; one fit, not two). Deterministic for the same
 * rows and seed. Used by the trainer and by bench/intent-eval.ts.
 */
export async function trainHead(labels: string[], rows: readonly HeadRow[], dim: number, opts: HeadOptions): Promise<TrainedHead> {
  const indexed = rows.map((r, i) => ({ ...r, i }));
  const width = dim + LEXICAL.size;
  const features = (rs: readonly HeadRow[]) => matrix(rs.map((r) => concat(r.x, r.lex)), width);
  const grouped = opts.groupedSplit === true && indexed.every((r) => r.group !== undefined);
  const { train, test } = stratifiedSplit(indexed, (r) => r.label, opts.heldOutFraction, opts.seed, grouped ? (r) => r.group! : undefined);
  const classWeights = balancedWeights(indexed.map((r) => r.label), labels.length);
  const fitOptions = (n: number) => ({ ...HEAD.fit, classes: labels.length, seed: opts.seed, classWeights, denseCols: dim, l2: HEAD.fit.l2 + HEAD.l2Prior / Math.max(1, n) });

  // The held-out rows' similarities to the memory (rows × memory × dim: a large share of the head
  // time on a big context) need no head: on a second thread while this one fits it.
  const heldOutMemory = memoryOf(train, dim, opts.memoryPerLabel);
  const similarityJob = startHeldOutSimilarities({ labels, dim, memory: heldOutMemory.vectors, memoryLabels: heldOutMemory.labels }, test.map((r) => r.x));
  const fit = fitSoftmaxHead(features(train), Int32Array.from(train.map((r) => r.label)), { x: features(test), y: Int32Array.from(test.map((r) => r.label)) }, fitOptions(train.length));

  // The nearest-neighbour weight/temperature and the thresholds, on the held-out split. Scored with the
  // runtime's own functions (scoreEmbedding = head → mixNeighbours → rankScores).
  const heldOutModel = contextModel(labels, dim, fit.weights, fit.bias, heldOutMemory, 0, HEAD.knnTemperatures[0]);
  const { similarities } = await similarityJob.result;
  // The weight is chosen on at most HEAD.knnChoiceRows held-out rows (evenly spaced).
  const step = Math.max(1, Math.ceil(test.length / HEAD.knnChoiceRows));
  const choice = test.flatMap((r, i) => (i % step === 0 ? [{ truth: r.label, head: headProbabilities(heldOutModel, r.x, r.lex), similarities: similarities[i] }] : []));
  let best: { w: number; t: number; loss: number } | undefined;
  for (const w of HEAD.knnWeights) {
    for (const t of w > 0 ? HEAD.knnTemperatures : [HEAD.knnTemperatures[0]]) {
      let loss = 0;
      for (const p of choice) {
        const probs = w > 0 && heldOutModel.memoryLabels.length > 0 ? mixNeighbours(p.head.slice(), p.similarities, w, t) : p.head;
        loss -= Math.log(Math.max(1e-12, probs[p.truth]));
      }
      if (!best || loss < best.loss - 1e-9) best = { w, t, loss };
    }
  }
  const { w: knnWeight, t: knnTemperature } = best!;
  // The held-out rows scored exactly as the runtime will (with the similarities the support reads).
  const chosenModel = { ...heldOutModel, knnWeight, knnTemperature };
  const heldOutPredictions: Prediction[] = test.map((r, i) => ({ truth: labels[r.label], ranked: scoreEmbedding(chosenModel, r.x, r.lex, similarities[i]) }));
  const thresholds = chooseThresholds(heldOutPredictions, opts.support ?? DEFAULT_SUPPORT_CHOICE);
  const heldOut = evaluate(heldOutPredictions, labels, thresholds);

  // Final head: the early-stopped one, continued briefly on all the rows (HEAD.continueEpochs).
  const all = fitSoftmaxHead(features(indexed), Int32Array.from(indexed.map((r) => r.label)), undefined, {
    ...fitOptions(indexed.length),
    init: fit,
    maxEpochs: Math.min(HEAD.continueMaxEpochs, Math.max(1, Math.ceil(fit.epochs * HEAD.continueEpochs))),
    learningRate: HEAD.fit.learningRate * HEAD.continueLearningRate,
  });
  const model = { ...contextModel(labels, dim, all.weights, all.bias, memoryOf(indexed, dim, opts.memoryPerLabel), knnWeight, knnTemperature), thresholds };
  return { model, epochs: fit.epochs, knnWeight, knnTemperature, thresholds, heldOut, heldOutPredictions, heldOutModel: chosenModel, heldOutRows: test };
}

function contextModel(labels: string[], dim: number, weights: Float32Array, bias: Float32Array, memory: { vectors: Float32Array; labels: Uint16Array }, knnWeight: number, knnTemperature: number): ContextModel {
  return { labels, dim, lexical: LEXICAL, weights, bias, memory: memory.vectors, memoryLabels: memory.labels, thresholds: { confident: 0.5, margin: 0.1, minimum: 0.15 }, knnWeight, knnTemperature, learned: [] };
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
export function stabilise(v: Float32Array): Float32Array {
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

/** The run's false-execution budget (the option, else the workflow's), checked before any work. */
function falseExecutionOf(options: TrainOptions): number | undefined {
  const value = options.falseExecution ?? options.workflow.falseExecution;
  if (value !== undefined && !(typeof value === 'number' && value > 0 && value < 1)) {
    throw new FastWorkflowError(ErrorCode.InvalidWorkflow, `falseExecution must be a share between 0 and 1 (e.g. 0.05 = at most 5% of out-of-scope requests executed); got ${String(value)}.`);
  }
  return value;
}
