/**
 * npx tsx bench/intent-eval.ts — the trainer's intent head on public data nobody here wrote.
 *
 * Datasets: ../shared/intent-eval/{banking77,snips}/{train,test}.jsonl relative to the repository
 * (override with INTENT_EVAL_DIR); they are read in place, never copied into the repository.
 * Everything goes through the trainer's own code: the built-in encoder (USE-Lite, q8) with the
 * trainer's rounding, its hashed lexical features, trainHead (held-out split → softmax head with early
 * stopping → nearest-neighbour weight → thresholds via chooseThresholds → final head on all rows)
 * and, on the test split, the runtime's scoreEmbedding and decideIntent (through evaluate).
 *
 * Runs:
 * - banking77: all 77 intents; test accuracy, macro-F1, calibration, ask rate.
 * - banking77-oos: rejection. OOS_UNSEEN (10 intents, fixed below) are left out of training entirely;
 *   their test rows are the out-of-scope test rows. The out-of-scope class is trained as the workflow
 *   trainer does it: JUNK_UTTERANCES, plus the *train* rows of OOS_KNOWN (5 other intents, the
 *   analogue of other contexts' commands). No test row is ever trained on; OOS_KNOWN test rows are
 *   not scored (they were seen as out of scope). 62 intents + out-of-scope remain.
 * - snips: all 7 intents.
 * Writes bench/results-intent.json (with the goals and which were missed). Exit code 2 when a goal is missed (GOAL), 1 on a crash.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OUT_OF_SCOPE, decideIntent, supportOf } from '../src/index.ts';
import { lexicalFeatures, scoreEmbedding } from '../src/bundle/index.ts';
import { chooseThresholds, DEFAULT_SUPPORT_CHOICE, evaluate, outcomes, SUPPORT_POLICY, type EvaluationReport, type Prediction, type SupportChoice } from '../trainer-node/train/evaluate.ts';
import { cacheRoot } from '../trainer-node/paths.ts';
import { HEAD, LEXICAL, embedAll, loadEncoder, trainHead, type HeadRow } from '../trainer-node/train/train.ts';
import { JUNK_UTTERANCES } from '../trainer-node/train/utterances.ts';
import { OOS_KNOWN, OOS_UNSEEN } from './oos-sets.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = process.env.INTENT_EVAL_DIR ? resolve(process.env.INTENT_EVAL_DIR) : resolve(ROOT, '..', 'shared', 'intent-eval');
const SEED = 42;
/** A held-out slice of each train split: early stopping, the nearest-neighbour weight and the thresholds. */
const HELD_OUT_FRACTION = 0.1;
/** The trainer's defaults: memory rows per label and how the out-of-scope thresholds are chosen. */
const MEMORY_PER_LABEL = HEAD.memoryPerLabel;
const SUPPORT: SupportChoice = DEFAULT_SUPPORT_CHOICE;
/**
 * Goals (issue 11): Banking77 accuracy; on banking77-oos, out-of-scope rows rejected / executed and
 * the in-scope executed-right share at most 2 points under the same model's probability thresholds
 * alone (the cost of the out-of-scope detector); the run time.
 * A missed goal is printed and recorded in results-intent.json (exit code 2); the figures are kept.
 */
const GOAL = { banking77Accuracy: 0.91, oosRejected: 0.6, oosExecuted: 0.05, inScopeDropPoints: 2, seconds: 240 };

interface Row {
  text: string;
  intent: string;
}

function readSplit(name: string, split: 'train' | 'test'): Row[] {
  const file = join(DATA, name, `${split}.jsonl`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const { text, intent } = JSON.parse(l) as Row;
      return { text, intent };
    });
}

const missing = ['banking77', 'snips'].flatMap((d) => ['train', 'test'].map((s) => join(DATA, d, `${s}.jsonl`))).filter((f) => !existsSync(f));
if (missing.length) {
  console.error(
    `Intent benchmark skipped: the public datasets are missing (${missing.join(', ')}).\n` +
      `It reads ${DATA} (../shared/intent-eval next to the repository; set INTENT_EVAL_DIR to use another folder) ` +
      'holding banking77/ and snips/ with train.jsonl and test.jsonl ({"text", "intent"} per line).',
  );
  process.exit(1);
}

const started = performance.now();
const data = {
  banking77: { train: readSplit('banking77', 'train'), test: readSplit('banking77', 'test') },
  snips: { train: readSplit('snips', 'train'), test: readSplit('snips', 'test') },
};
const known = new Set(data.banking77.train.map((r) => r.intent));
for (const i of [...OOS_UNSEEN, ...OOS_KNOWN]) if (!known.has(i)) throw new Error(`Banking77 has no intent "${i}"`);

const { resolved, instance: encoder } = await loadEncoder(undefined, 'q8');
const loaded = performance.now();

// Encode every distinct text once, in a stable order, as the trainer does (batches of 128, rounded),
// through the trainer's embedding cache unless INTENT_EVAL_NO_CACHE is set (then the encoding speed is measured).
const texts = [...new Set([...Object.values(data).flatMap((d) => [...d.train, ...d.test].map((r) => r.text)), ...JUNK_UTTERANCES])].sort();
const { embeddings, cached } = await embedAll(texts, encoder, process.env.INTENT_EVAL_NO_CACHE ? undefined : { dir: cacheRoot(), resolved, dtype: 'q8' });
const encoded = performance.now();
const encodeSeconds = (encoded - loaded) / 1000;
const encodedTexts = texts.length - cached;
console.error(`Encoded ${encodedTexts} texts in ${encodeSeconds.toFixed(1)} s (${Math.round(encodedTexts / Math.max(1e-9, encodeSeconds))}/s; ${cached} from the cache)`);

const headRow = (text: string, label: number): HeadRow => ({ label, x: embeddings.get(text)!, lex: lexicalFeatures(text, LEXICAL.size, LEXICAL.scale) });

interface RunResult {
  run: string;
  labels: number;
  trainRows: number;
  testRows: number;
  trainSeconds: number;
  epochs: number;
  knnWeight: number;
  knnTemperature: number;
  thresholds: { confident: number; margin: number; minimum: number };
  heldOutAccuracy: number;
  test: EvaluationReport;
  /** Only for banking77-oos. */
  outOfScope?: Record<string, number>;
}

/** Train on `train` (label = intent, or OUT_OF_SCOPE) and score `test` with the runtime's functions. */
async function run(name: string, labels: string[], train: { text: string; label: string }[], test: { text: string; label: string }[]): Promise<{ result: RunResult; predictions: Prediction[]; heldOut: Prediction[] }> {
  const index = new Map(labels.map((l, i) => [l, i]));
  const t0 = performance.now();
  const head = await trainHead(labels, train.map((r) => headRow(r.text, index.get(r.label)!)), encoder.dim, { seed: SEED, heldOutFraction: HELD_OUT_FRACTION, memoryPerLabel: MEMORY_PER_LABEL, support: SUPPORT });
  const trainSeconds = (performance.now() - t0) / 1000;
  const predictions = test.map((r) => {
    const row = headRow(r.text, index.get(r.label)!);
    return { truth: r.label, ranked: scoreEmbedding(head.model, row.x, row.lex) };
  });
  const report = evaluate(predictions, labels, head.thresholds);
  console.error(`${name}: trained in ${trainSeconds.toFixed(1)} s (${head.epochs} epochs), test accuracy ${(report.accuracy * 100).toFixed(2)}%`);
  return {
    predictions,
    heldOut: head.heldOutPredictions,
    result: {
      run: name,
      labels: labels.length,
      trainRows: train.length,
      testRows: test.length,
      trainSeconds: round(trainSeconds, 2),
      epochs: head.epochs,
      knnWeight: head.knnWeight,
      knnTemperature: head.knnTemperature,
      thresholds: head.thresholds,
      heldOutAccuracy: round(head.heldOut.accuracy),
      test: report,
    },
  };
}

const sortedIntents = (rows: Row[]) => [...new Set(rows.map((r) => r.intent))].sort();
const asLabelled = (rows: Row[]) => rows.map((r) => ({ text: r.text, label: r.intent }));
const results: RunResult[] = [];
/** banking77-oos under other false-execution targets (thresholds re-chosen on the same held-out rows). */
let tradeOff: ReturnType<typeof tradeOffCurve> = [];

// 1. Banking77, all 77 intents.
results.push((await run('banking77', sortedIntents(data.banking77.train), asLabelled(data.banking77.train), asLabelled(data.banking77.test))).result);

// 2. Banking77 with out-of-scope rows.
{
  const excluded = new Set([...OOS_UNSEEN, ...OOS_KNOWN]);
  const inScope = sortedIntents(data.banking77.train).filter((i) => !excluded.has(i));
  const labels = [...inScope, OUT_OF_SCOPE];
  const train = [
    ...asLabelled(data.banking77.train.filter((r) => !excluded.has(r.intent))),
    ...JUNK_UTTERANCES.map((text) => ({ text, label: OUT_OF_SCOPE })),
    ...data.banking77.train.filter((r) => OOS_KNOWN.includes(r.intent)).map((r) => ({ text: r.text, label: OUT_OF_SCOPE })),
  ];
  const test = [
    ...asLabelled(data.banking77.test.filter((r) => !excluded.has(r.intent))),
    ...data.banking77.test.filter((r) => OOS_UNSEEN.includes(r.intent)).map((r) => ({ text: r.text, label: OUT_OF_SCOPE })),
  ];
  const { result, predictions, heldOut } = await run('banking77-oos', labels, train, test);
  tradeOff = tradeOffCurve(heldOut, predictions);
  const thresholds = result.thresholds;
  const tally = (ps: Prediction[]) => {
    const n = { answered: 0, answeredRight: 0, asked: 0, rejected: 0 };
    for (const p of ps) {
      const d = decideIntent({ ranked: p.ranked, thresholds });
      if (d.kind === 'confident') {
        n.answered++;
        if (d.label === p.truth) n.answeredRight++;
      } else if (d.kind === 'ambiguous') n.asked++;
      else n.rejected++;
    }
    const total = Math.max(1, ps.length);
    return { rows: ps.length, answered: round(n.answered / total), answeredRight: round(n.answeredRight / total), asked: round(n.asked / total), rejected: round(n.rejected / total) };
  };
  const oos = tally(predictions.filter((p) => p.truth === OUT_OF_SCOPE));
  const ins = tally(predictions.filter((p) => p.truth !== OUT_OF_SCOPE));
  const inScopeRows = predictions.filter((p) => p.truth !== OUT_OF_SCOPE);
  result.outOfScope = {
    precision: round(result.test.outOfScope.precision),
    recall: round(result.test.outOfScope.recall),
    auroc: round(auroc(predictions)),
    supportAuroc: round(auroc(predictions, (p) => { const top = p.ranked.find((r) => r.label !== OUT_OF_SCOPE); return top ? (supportOf(top) ?? top.score) : 0; })),
    oosRows: oos.rows,
    oosRejected: oos.rejected,
    oosAsked: oos.asked,
    oosAnsweredWrongly: oos.answered,
    inScopeRows: ins.rows,
    inScopeAccuracy: round(inScopeRows.filter((p) => p.ranked[0].label === p.truth).length / Math.max(1, inScopeRows.length)),
    inScopeAnsweredRight: ins.answeredRight,
    inScopeAnsweredWrongly: round(ins.answered - ins.answeredRight),
    inScopeAsked: ins.asked,
    inScopeRejected: ins.rejected,
  };
  results.push(result);
}

// 3. SNIPS, all 7 intents.
results.push((await run('snips', sortedIntents(data.snips.train), asLabelled(data.snips.train), asLabelled(data.snips.test))).result);

const seconds = (performance.now() - started) / 1000;
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
console.log(`Intent benchmark (${cpus().length} cores, ${cpus()[0]?.model}, encoder ${resolved.source} q8, ${encodedTexts} texts encoded in ${encodeSeconds.toFixed(1)} s, ${cached} cached, total ${seconds.toFixed(1)} s)`);
console.table(
  results.map((r) => {
    const { inScope, outOfScope } = r.test.outcomes;
    return {
      run: r.run,
      labels: r.labels,
      'train/test': `${r.trainRows}/${r.testRows}`,
      accuracy: pct(r.test.accuracy),
      'macro-F1': pct(r.test.macroF1),
      'in scope right/wrong/asked/rejected': [inScope.executedRight, inScope.executedWrong, inScope.asked, inScope.rejected].map(pct).join(' / '),
      'OOS executed/asked/rejected': outOfScope.rows ? [outOfScope.executed, outOfScope.asked, outOfScope.rejected].map(pct).join(' / ') : '-',
      ECE: r.test.calibration.ece.toFixed(3),
      confident: r.thresholds.confident,
      'train s': r.trainSeconds,
      'train rows/s': Math.round(r.trainRows / Math.max(1e-9, r.trainSeconds)),
    };
  }),
);
const oos = results.find((r) => r.outOfScope)!.outOfScope!;
console.log(
  `Out of scope (${OOS_UNSEEN.length} unseen Banking77 intents, ${oos.oosRows} test rows; AUROC of the best in-scope score ${oos.auroc.toFixed(3)}, of its support ${oos.supportAuroc.toFixed(3)}): rejected ${pct(oos.oosRejected)}, asked ${pct(oos.oosAsked)}, executed ${pct(oos.oosAnsweredWrongly)}. ` +
    `In scope (${oos.inScopeRows} rows): executed right ${pct(oos.inScopeAnsweredRight)}, executed wrong ${pct(oos.inScopeAnsweredWrongly)}, asked ${pct(oos.inScopeAsked)}, rejected ${pct(oos.inScopeRejected)}.`,
);

console.log(`Trade-off on banking77-oos (thresholds re-chosen on the same held-out rows for each policy; runs above: the trainer default, ${SUPPORT.kind}${'share' in SUPPORT ? ` ${pct(SUPPORT.share)}` : ''}, ${MEMORY_PER_LABEL} memory rows per label):`);
const pctOrDash = (v: number) => (Number.isNaN(v) ? '-' : pct(v));
console.table(
  tradeOff.map((r) => ({
    policy: r.policy,
    execute: r.thresholds.support?.execute ?? '-',
    reject: r.thresholds.support?.reject ?? '-',
    'OOS executed': pct(r.oosExecuted),
    'OOS rejected': pctOrDash(r.oosRejected),
    'in scope executed right': pct(r.inScopeExecutedRight),
    'in scope executed wrong': pct(r.inScopeExecutedWrong),
    'in scope asked, right listed': pctOrDash(r.inScopeAskedRightListed),
    'in scope rejected': pctOrDash(r.inScopeRejected),
    'right command reached': pctOrDash(r.inScopeExecutedRight + r.inScopeAskedRightListed),
  })),
);
console.log('(right command reached = executed right + asked with the right command among the listed ones: what the user gets to without retyping.)');
{
  const strict = tradeOff.find((r) => r.policy === `false execution ${SUPPORT_POLICY.falseExecution * 100}%`);
  if (strict) {
    const base = probabilityOnlyRow();
    const reachedDrop = (base.inScopeExecutedRight + base.inScopeAskedRightListed - strict.inScopeExecutedRight - strict.inScopeAskedRightListed) * 100;
    console.log(
      `The opt-in falseExecution ${SUPPORT_POLICY.falseExecution}: unseen intents executed ${pct(strict.oosExecuted)}, rejected ${pct(strict.oosRejected)}; in scope the right command is reached ` +
        `${reachedDrop <= 0 ? `${(-reachedDrop).toFixed(1)} points more` : `${reachedDrop.toFixed(1)} points less`} than under probability thresholds alone, but executed right ` +
        `${((base.inScopeExecutedRight - strict.inScopeExecutedRight) * 100).toFixed(1)} points less (asked instead).`,
    );
  }
}

const banking = results[0].test;
const probabilityOnly = probabilityOnlyRow();
const inScopeDrop = (probabilityOnly.inScopeExecutedRight - oos.inScopeAnsweredRight) * 100;
const goals = [
  { goal: `Banking77 accuracy >= ${pct(GOAL.banking77Accuracy)}`, value: round(banking.accuracy), ok: banking.accuracy >= GOAL.banking77Accuracy },
  { goal: `banking77-oos: >= ${pct(GOAL.oosRejected)} of unseen-intent rows rejected`, value: oos.oosRejected, ok: oos.oosRejected >= GOAL.oosRejected },
  { goal: `banking77-oos: <= ${pct(GOAL.oosExecuted)} of unseen-intent rows executed`, value: oos.oosAnsweredWrongly, ok: oos.oosAnsweredWrongly <= GOAL.oosExecuted },
  { goal: `banking77-oos: in-scope executed-right at most ${GOAL.inScopeDropPoints} points under probability thresholds alone`, value: round(inScopeDrop, 2), ok: inScopeDrop <= GOAL.inScopeDropPoints },
  { goal: `intent benchmark <= ${GOAL.seconds} s`, value: round(seconds, 1), ok: seconds <= GOAL.seconds },
];
console.table(goals);

const output = {
  machine: { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version },
  encoder: { source: resolved.source, dtype: 'q8', dim: encoder.dim, loadSeconds: round((loaded - started) / 1000, 2) },
  encode: { texts: texts.length, cached, seconds: round(encodeSeconds, 2), perSecond: encodedTexts ? Math.round(encodedTexts / Math.max(1e-9, encodeSeconds)) : null },
  seconds: round(seconds, 2),
  settings: { seed: SEED, heldOutFraction: HELD_OUT_FRACTION, memoryPerLabel: MEMORY_PER_LABEL, support: SUPPORT, head: HEAD, lexical: LEXICAL, supportPolicy: SUPPORT_POLICY },
  outOfScopeIntents: { unseen: OOS_UNSEEN, trainedAsOutOfScope: OOS_KNOWN, junkUtterances: JUNK_UTTERANCES.length },
  goal: GOAL,
  goals,
  goalsMissed: goals.filter((g) => !g.ok).map((g) => g.goal),
  tradeOff,
  runs: results.map((r) => ({ ...r, test: roundDeep(r.test) })),
};
await writeFile(join(ROOT, 'bench', 'results-intent.json'), `${JSON.stringify(output, null, 2)}\n`);
for (const g of goals.filter((x) => !x.ok)) console.error(`Goal missed: ${g.goal} (${g.value}).`);
// 2: finished with its figures written, a goal missed (1 is left for a crash).
if (goals.some((g) => !g.ok)) process.exitCode = 2;

/** The trade-off row of probability thresholds alone: what the out-of-scope detector's cost is measured against. */
function probabilityOnlyRow() {
  return tradeOff.find((r) => r.policy === 'probability only')!;
}

/**
 * Out-of-scope executed/rejected and in-scope executed right/wrong on the test rows, for several
 * false-execution targets of SUPPORT_POLICY, and for the probability thresholds alone.
 */
function tradeOffCurve(heldOut: readonly Prediction[], test: readonly Prediction[]) {
  const choices: { policy: string; choice: SupportChoice }[] = [
    ...[0.01, 0.02, 0.03].flatMap((share) =>
      [0.3, 0.45].map((rejectCap) => ({
        policy: `in-scope cost ${share * 100}%, reject cap ${rejectCap}${share === SUPPORT_POLICY.inScopeCost && rejectCap === SUPPORT_POLICY.inScopeCostRejectCap ? ' (trainer default)' : ''}`,
        choice: { kind: 'in-scope-cost', share, rejectCap } as const,
      })),
    ),
    ...[0.02, 0.05, 0.1, 0.2, 0.3].map((share) => ({ policy: `false execution ${share * 100}%`, choice: { kind: 'false-execution', share } as const })),
    { policy: 'probability only', choice: { kind: 'probability' } as const },
  ];
  const rows = choices.map(({ policy, choice }) => {
    const thresholds = chooseThresholds(heldOut, choice);
    const o = outcomes(test, thresholds);
    return {
      policy,
      thresholds,
      oosExecuted: round(o.outOfScope.executed),
      oosRejected: round(o.outOfScope.rejected),
      inScopeExecutedRight: round(o.inScope.executedRight),
      inScopeExecutedWrong: round(o.inScope.executedWrong),
      inScopeAskedRightListed: round(o.inScope.askedRightListed),
      inScopeRejected: round(o.inScope.rejected),
    };
  });
  return [...rows, ceiling(heldOut, test)];
}

/**
 * Not a policy: the most in-scope rows executed right with at most GOAL.oosExecuted of the unseen-intent
 * rows executed, the execute threshold on the support tuned on the test rows themselves (the
 * probability thresholds as the default chose them): how far any threshold on this score can go.
 */
function ceiling(heldOut: readonly Prediction[], test: readonly Prediction[]) {
  const probability = { ...chooseThresholds(heldOut, SUPPORT), support: { execute: 0, reject: 0 } };
  const rows = test.map((p) => {
    const d = decideIntent({ ranked: p.ranked, thresholds: probability });
    return { oos: p.truth === OUT_OF_SCOPE, executed: d.kind === 'confident', right: d.kind === 'confident' && d.label === p.truth, support: d.kind === 'confident' ? (supportOf(d.ranked[0]) ?? 1) : 0 };
  });
  const oos = rows.filter((r) => r.oos);
  const ins = rows.filter((r) => !r.oos);
  const supports = [...new Set(oos.filter((r) => r.executed).map((r) => r.support))].sort((a, b) => a - b);
  const execute = supports.find((e) => oos.filter((r) => r.executed && r.support >= e).length <= GOAL.oosExecuted * oos.length) ?? 1;
  const share = (rs: typeof rows, f: (r: (typeof rows)[number]) => boolean) => round(rs.filter(f).length / Math.max(1, rs.length));
  return {
    policy: `ceiling: support tuned on the test rows for <= ${GOAL.oosExecuted * 100}% executed`,
    thresholds: { ...probability, support: { execute: round(execute, 3), reject: 0 } },
    oosExecuted: share(oos, (r) => r.executed && r.support >= execute),
    oosRejected: NaN,
    inScopeExecutedRight: share(ins, (r) => r.right && r.support >= execute),
    inScopeExecutedWrong: share(ins, (r) => r.executed && !r.right && r.support >= execute),
    inScopeAskedRightListed: NaN,
    inScopeRejected: NaN,
  };
}

/**
 * Threshold-free separability of out-of-scope rows: the probability that an out-of-scope row has a
 * lower best in-scope score than an in-scope row (ties count half).
 */
function auroc(predictions: readonly Prediction[], best: (p: Prediction) => number = (p) => p.ranked.find((r) => r.label !== OUT_OF_SCOPE)?.score ?? 0): number {
  const scored = predictions.map((p) => ({ s: best(p), oos: p.truth === OUT_OF_SCOPE })).sort((a, b) => a.s - b.s);
  let oosSeen = 0;
  let pairs = 0;
  for (let i = 0; i < scored.length; ) {
    let j = i;
    let oos = 0;
    while (j < scored.length && scored[j].s === scored[i].s) if (scored[j++].oos) oos++;
    const ins = j - i - oos;
    pairs += ins * (oosSeen + oos / 2);
    oosSeen += oos;
    i = j;
  }
  const nOos = scored.filter((x) => x.oos).length;
  return pairs / Math.max(1, nOos * (scored.length - nOos));
}

function round(v: number, digits = 4): number {
  const k = 10 ** digits;
  return Math.round(v * k) / k;
}

function roundDeep<T>(v: T): T {
  if (typeof v === 'number') return round(v) as T;
  if (Array.isArray(v)) return v.map(roundDeep) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, roundDeep(x)])) as T;
  return v;
}
