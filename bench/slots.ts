/**
 * npx tsx bench/slots.ts — parameter extraction on SNIPS (slot filling), before/after the slot tagger.
 *
 * Protocol (issue 12): each intent is a command whose slots are optional string fields; its seed
 * utterances are SEEDS_PER_INTENT train texts (a seeded sample) with the slot spans turned into
 * `{slot}` placeholders; each field's examples are its 8 most frequent train values. Every test row
 * is extracted with its gold intent. A slot counts as right when the value equals the gold value
 * (case and surrounding punctuation ignored). Reads ../shared/intent-eval/snips in place
 * (INTENT_EVAL_DIR overrides the folder). Also times the extraction in a Chromium page
 * (bench/slots-browser.ts). Writes bench/results-slots.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FieldKind, type FieldInfo, type ParameterExtractor } from '../src/index.ts';
import { DeterministicExtractor } from '../src/params/extract.ts';
import { TaggedExtractor } from '../src/params/slots/tagged-extractor.ts';
import { SlotTagger } from '../src/params/slots/tagger.ts';
import { seededRandom, shuffled } from '../src/util/rng.ts';
import { trainSlotTagger, type SlotCommand } from '../trainer-node/train/slot-train.ts';
import { benchSlotsInPage, type PageTimes } from './slots-browser.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = process.env.INTENT_EVAL_DIR ? resolve(process.env.INTENT_EVAL_DIR) : resolve(ROOT, '..', 'shared', 'intent-eval');
const SEED = 42;
const SEEDS_PER_INTENT = 300;
const EXAMPLES_PER_FIELD = 8;
const DEV_PER_INTENT = 100;
export const SLOT_GOAL = { f1: 0.85, precision: 0.92, msPerUtterance: 2 };

interface Span {
  slot: string;
  value: string;
  start: number;
  end: number;
}
export interface Row {
  text: string;
  intent: string;
  spans: Span[];
}

export interface SlotScores {
  extractor: string;
  precision: number;
  recall: number;
  f1: number;
  exactMatch: number;
  msPerUtterance: number;
  /** CPU time of this process per utterance (less sensitive to a shared machine than wall time). */
  cpuMsPerUtterance: number;
  trainSeconds?: number;
  trainCpuSeconds?: number;
  /** The same extraction in a Chromium page (ms per utterance), or why it could not be measured. */
  page?: PageTimes | { error: string };
}

export function read(split: 'train' | 'test'): Row[] {
  return readFileSync(join(DATA, 'snips', `${split}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Row);
}

/** A train text with its slot spans turned into `{slot}` placeholders. */
function toTemplate(row: Row): string {
  let out = '';
  let at = 0;
  for (const s of [...row.spans].sort((a, b) => a.start - b.start)) {
    out += row.text.slice(at, s.start) + `{${s.slot}}`;
    at = s.end;
  }
  return out + row.text.slice(at);
}

/** The benchmark's commands: one per intent, built from the train split only. */
export function snipsCommands(train: readonly Row[]): SlotCommand[] {
  return snipsSplit(train).commands;
}

/**
 * The commands, and train rows that are not seeds (`heldOut`, DEV_PER_INTENT per intent): tuning is
 * done on these (SLOT_DEV=1), never on the test rows.
 */
export function snipsSplit(train: readonly Row[]): { commands: SlotCommand[]; heldOut: Row[] } {
  const random = seededRandom(SEED);
  const intents = [...new Set(train.map((r) => r.intent))].sort();
  const heldOut: Row[] = [];
  const commands = intents.map((intent) => {
    const rows = train.filter((r) => r.intent === intent);
    const counts = new Map<string, Map<string, number>>();
    for (const r of rows) for (const s of r.spans) counts.set(s.slot, (counts.get(s.slot) ?? new Map()).set(s.value, (counts.get(s.slot)?.get(s.value) ?? 0) + 1));
    const fields: FieldInfo[] = [...counts.keys()].sort().map((slot) => {
      const top = [...counts.get(slot)!].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, EXAMPLES_PER_FIELD);
      return { name: slot, label: slot.replace(/_/g, ' '), kind: FieldKind.String, required: false, examples: top.map(([v]) => v) };
    });
    const order = shuffled(rows, random);
    const seeds = order.slice(0, SEEDS_PER_INTENT).map(toTemplate);
    heldOut.push(...order.slice(SEEDS_PER_INTENT, SEEDS_PER_INTENT + DEV_PER_INTENT));
    return { command: intent, fields, utterances: [...new Set(seeds)] };
  });
  return { commands, heldOut };
}

export const norm = (v: unknown) => String(v).toLowerCase().replace(/^[\s"'“”.,!?]+|[\s"'“”.,!?]+$/g, '').replace(/\s+/g, ' ');

type Extracted = { values: Record<string, unknown>; confidence: Record<string, number> };

export async function scoreExtractor(name: string, extractor: ParameterExtractor, commands: readonly SlotCommand[], test: readonly Row[]): Promise<SlotScores> {
  const byName = new Map(commands.map((c) => [c.command, c]));
  // Warm-up (JIT) on a few rows, untimed.
  for (const row of test.slice(0, 50)) await extractor.extract({ text: row.text, command: row.intent, fields: byName.get(row.intent)!.fields, utterances: byName.get(row.intent)!.utterances });
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const outputs: Extracted[] = [];
  for (const row of test) {
    const cmd = byName.get(row.intent)!;
    outputs.push({ values: await extractor.extract({ text: row.text, command: row.intent, fields: cmd.fields, utterances: cmd.utterances }), confidence: {} });
  }
  const ms = (performance.now() - started) / test.length;
  const cpu = process.cpuUsage(cpu0);
  return { extractor: name, ...score(outputs, test, 0), msPerUtterance: ms, cpuMsPerUtterance: (cpu.user + cpu.system) / 1000 / test.length };
}

/** Tagger values under `threshold` are dropped (deterministic ones have confidence 1). */
function score(outputs: readonly Extracted[], test: readonly Row[], threshold: number): Pick<SlotScores, 'precision' | 'recall' | 'f1' | 'exactMatch'> {
  let tp = 0;
  let predicted = 0;
  let gold = 0;
  let exact = 0;
  test.forEach((row, i) => {
    const values = Object.fromEntries(Object.entries(outputs[i].values).filter(([k]) => (outputs[i].confidence[k] ?? 1) >= threshold));
    const want = new Map<string, string[]>();
    for (const s of row.spans) want.set(s.slot, [...(want.get(s.slot) ?? []), norm(s.value)]);
    const got = Object.entries(values).filter(([, v]) => v !== undefined && norm(v) !== '');
    let right = 0;
    for (const [slot, v] of got) if (want.get(slot)?.includes(norm(v))) right++;
    tp += right;
    predicted += got.length;
    gold += row.spans.length;
    if (right === got.length && right === row.spans.length) exact++;
  });
  const precision = predicted ? tp / predicted : 0;
  const recall = gold ? tp / gold : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, exactMatch: exact / test.length };
}

/** Precision/recall at several thresholds (one tagging pass): how precision is traded for recall. */
export function thresholdSweep(extractor: TaggedExtractor, commands: readonly SlotCommand[], test: readonly Row[]): (ReturnType<typeof score> & { threshold: number })[] {
  const byName = new Map(commands.map((c) => [c.command, c]));
  const outputs = test.map((row) => {
    const cmd = byName.get(row.intent)!;
    const d = extractor.explain({ text: row.text, command: row.intent, fields: cmd.fields, utterances: cmd.utterances });
    const all = { ...d.uncertain, ...d.evidence };
    return { values: Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v.value])), confidence: Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v.confidence])) };
  });
  return [0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9].map((threshold) => ({ threshold, ...score(outputs, test, threshold) }));
}

export async function benchSlots(): Promise<SlotScores[] | undefined> {
  if (!existsSync(join(DATA, 'snips', 'train.jsonl'))) {
    console.error(`Slot benchmark skipped: ${join(DATA, 'snips')} is missing (set INTENT_EVAL_DIR).`);
    return undefined;
  }
  const train = read('train');
  const test = read('test');
  const commands = snipsCommands(train);
  const before = await scoreExtractor('deterministic (before)', new DeterministicExtractor(), commands, test);
  const t0 = performance.now();
  const trainCpu0 = process.cpuUsage();
  const env = (k: string) => (process.env[k] ? Number(process.env[k]) : undefined);
  const file = trainSlotTagger(commands, { seed: SEED, variants: env('SLOT_VARIANTS'), epochs: env('SLOT_EPOCHS') })!;
  const trainSeconds = (performance.now() - t0) / 1000;
  const trainCpu = process.cpuUsage(trainCpu0);
  const tagger = new SlotTagger(file);
  const byName = new Map(commands.map((c) => [c.command, c]));
  const requests = test.map((row) => ({ text: row.text, command: row.intent, fields: byName.get(row.intent)!.fields, utterances: byName.get(row.intent)!.utterances }));
  const page = await benchSlotsInPage(file, requests).catch((err: Error) => ({ error: err.message }));
  const after = { ...(await scoreExtractor('deterministic + slot tagger (after)', new TaggedExtractor(tagger), commands, test)), trainSeconds, trainCpuSeconds: (trainCpu.user + trainCpu.system) / 1e6, page };
  if (process.env.SLOT_SWEEP) console.table(thresholdSweep(new TaggedExtractor(tagger, { threshold: 0 }), commands, test));
  return [before, after];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const rows = await benchSlots();
  if (!rows) process.exit(1);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(`CPU: ${cpus()[0]?.model}`);
  console.table(rows.map((r) => ({ extractor: r.extractor, precision: pct(r.precision), recall: pct(r.recall), F1: pct(r.f1), 'exact match': pct(r.exactMatch), 'ms/utterance': r.msPerUtterance.toFixed(3), 'CPU ms/utterance': r.cpuMsPerUtterance.toFixed(3), 'train s': r.trainSeconds?.toFixed(1) ?? '', 'train CPU s': r.trainCpuSeconds?.toFixed(1) ?? '' })));
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores`);
  const after = rows[1];
  const ok = after.f1 >= SLOT_GOAL.f1 && after.precision >= SLOT_GOAL.precision;
  const page = after.page;
  if (page && 'best' in page) {
    console.log(`in Chromium (a page, rules + tagger, ${page.best.n} test rows × 3 passes): all runs p50 ${page.all.p50} / p95 ${page.all.p95} / mean ${page.all.mean} ms; fastest of 3 per utterance p50 ${page.best.p50} / p95 ${page.best.p95} / mean ${page.best.mean} ms; tagger load ${page.loadMs} ms`);
  } else console.error(`Chromium extraction timing: ${page?.error ?? 'not run'}`);
  // p95 of each utterance's fastest pass: on a shared machine other jobs preempt single runs (as CPU time in Node above).
  const fast = !!page && 'best' in page && page.best.p95 <= SLOT_GOAL.msPerUtterance;
  console.log(`goal F1 >= 85% at precision >= 92%: ${ok ? 'met' : 'MISSED'}; extraction <= 2 ms/utterance in the page (p95, fastest of 3): ${fast ? 'met' : 'MISSED'}`);
  await writeFile(new URL('./results-slots.json', import.meta.url), `${JSON.stringify({ cpu: cpus()[0]?.model, loadAverage: loadavg(), rows }, null, 2)}\n`);
  // A missed goal is reported by the exit code (2; the figures are written either way); run.ts prints it in its goals table.
  process.exitCode = ok && fast ? 0 : 2;
}
