import { resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { compileWorkflow, ErrorCode, FastWorkflowError, formatIssues, type WorkflowDefinition } from '../src/index.ts';
import { loadWorkflow } from './load-workflow.ts';
import { describeSkipped, readCorrectionsFile } from './read-corrections.ts';
import { createProgress } from './progress.ts';
import { defaultBundleDir } from './paths.ts';
import type { Dtype } from './train/resolve-encoder.ts';
import { trainWorkflow, type TrainSummary } from './train/train.ts';

export const TRAIN_HELP = `Usage: fastworkflow train <workflow> [options]

Generates utterances, trains one intent model per context on a frozen sentence encoder, evaluates it
on a held-out split and writes a static bundle (manifest.json, encoder, heads, workflow metadata).

Options:
  --base-model <id|folder>  encoder: a Hugging Face id (downloaded once into the cache folder),
                            or a local folder in Hugging Face layout (config.json, tokenizer.json,
                            tokenizer_config.json, onnx/model_quantized.onnx or onnx/model.onnx).
                            Default: the built-in offline encoder (USE-Lite, prepared into the cache:
                            $XDG_CACHE_HOME/fastworkflow, else node_modules/.cache/fastworkflow)
  --out <dir>               output folder (default: ./bundles/<workflow>)
  --dtype <q8|fp32>         encoder weights to use and ship (default q8)
  --seed <n>                random seed (default 42); the same inputs give a byte-identical bundle
  --utterances <file.json>  extra utterances per command, {"command_name": ["…", …]} (e.g. cached LLM
                            paraphrases): added to the seeds, so re-training stays offline and deterministic
  --corrections <file.json> corrections as the page downloads them or \`fastworkflow corrections export\`
                            writes them ([{"workflow", "context", "utterance", "command", "at"?}]): each becomes a
                            training utterance of its command in its context (deterministic). A file naming an
                            unknown workflow, context or command, or not in that format, is refused with the
                            line and the reason, and nothing is trained
  --llm                     add LLM paraphrases of each command's seeds, cached in --paraphrases-dir keyed by
                            the command's definition and the model: a re-training reuses them offline
                            (FASTWORKFLOW_LLM_BASE_URL / _API_KEY / _MODEL, or --llm-base-url / --llm-model)
  --paraphrases-dir <dir>   the paraphrase cache (default: <cache folder>/paraphrases/<workflow>)
  --strict                  also estimate accuracy on whole unseen seed templates (a second head fit
                            per context: slower)
  --false-execution <share> opt-in, strict: execute only with enough support (probability × cosine to
                            the nearest example), chosen so that at most this share of unseen-intent
                            stand-ins would run, e.g. 0.05 (many more "did you mean …?" questions).
                            Default: support thresholds that give up at most 2% of the held-out
                            in-scope requests executed right
  --no-cache                do not read or write the embedding cache ($XDG_CACHE_HOME/fastworkflow,
                            else node_modules/.cache/fastworkflow)
  --quiet                   no progress output
  -h, --help                this text`;

export async function trainCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'base-model': { type: 'string' },
      out: { type: 'string' },
      dtype: { type: 'string', default: 'q8' },
      seed: { type: 'string', default: '42' },
      utterances: { type: 'string' },
      corrections: { type: 'string' },
      llm: { type: 'boolean', default: false },
      'llm-base-url': { type: 'string' },
      'llm-model': { type: 'string' },
      'paraphrases-dir': { type: 'string' },
      strict: { type: 'boolean', default: false },
      'false-execution': { type: 'string' },
      'no-cache': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.log(TRAIN_HELP);
    return values.help ? 0 : 2;
  }
  if (values.dtype !== 'q8' && values.dtype !== 'fp32') {
    console.error(`--dtype takes q8 or fp32, not "${values.dtype}".`);
    return 2;
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) {
    console.error(`--seed takes a whole number, not "${values.seed}".`);
    return 2;
  }
  const falseExecution = values['false-execution'] === undefined ? undefined : Number(values['false-execution']);
  if (falseExecution !== undefined && !(falseExecution > 0 && falseExecution < 1)) {
    console.error(`--false-execution takes a share between 0 and 1 (e.g. 0.05), not "${values['false-execution']}".`);
    return 2;
  }
  const { workflow } = await loadWorkflow(positionals[0]);
  let extraUtterances = values.utterances ? await readUtterances(values.utterances, workflow) : undefined;
  const corrections = values.corrections ? await readCorrectionsFile(values.corrections, workflow) : undefined;
  if (values.llm) {
    const { llmParaphrases } = await import('./train/llm-paraphrases.ts');
    const paraphrases = await llmParaphrases(workflow, { baseURL: values['llm-base-url'], model: values['llm-model'], dir: values['paraphrases-dir'] });
    extraUtterances = mergeUtterances(extraUtterances, paraphrases);
  }
  const outDir = resolve(values.out ?? defaultBundleDir(workflow.name));
  const summary = await trainWorkflow({ workflow, outDir, baseModel: values['base-model'], dtype: values.dtype as Dtype, seed, extraUtterances, ...(corrections ? { contextUtterances: correctionUtterances(corrections.used) } : {}), strictEstimate: values.strict, ...(falseExecution !== undefined ? { falseExecution } : {}), ...(values['no-cache'] ? { cacheDir: false as const } : {}), progress: createProgress(process.stderr, !values.quiet) });
  console.log(formatSummary(summary));
  if (corrections) {
    const { used, skipped } = corrections;
    console.log(`Corrections: ${used.length} used from ${values.corrections} as training utterances${skipped.length ? `; ${skipped.length} skipped (a phrase another command was trained on):` : '.'}`);
    for (const line of describeSkipped(values.corrections!, skipped)) console.log(`  ${line}`);
  }
  return 0;
}

/** Corrections → context → command → utterances. */
function correctionUtterances(used: readonly { context: string; command: string; utterance: string }[]): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  for (const c of used) ((out[c.context] ??= {})[c.command] ??= []).push(c.utterance);
  return out;
}

function mergeUtterances(a: Record<string, string[]> | undefined, b: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = { ...(a ?? {}) };
  for (const [k, list] of Object.entries(b)) out[k] = [...(out[k] ?? []), ...list];
  return out;
}

const utterancesFile = z.record(z.string(), z.array(z.string().min(1)));

/** Read an extra-utterances file; every key must be a command of the workflow. */
export async function readUtterances(file: string, workflow: WorkflowDefinition<any>): Promise<Record<string, string[]>> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new FastWorkflowError(ErrorCode.InvalidWorkflow, `--utterances ${file} could not be read as JSON (${(err as Error).message}). Expected {"command_name": ["utterance", …]}.`);
  }
  const parsed = utterancesFile.safeParse(json);
  if (!parsed.success) throw new FastWorkflowError(ErrorCode.InvalidWorkflow, `--utterances ${file} must look like {"command_name": ["utterance", …]}: ${formatIssues(parsed.error.issues, 1)}.`);
  const compiled = compileWorkflow(workflow);
  const known = new Set(compiled.contextNames().flatMap((c) => compiled.commandsIn(c).map((x) => x.name)));
  const unknown = Object.keys(parsed.data).filter((k) => !known.has(k));
  if (unknown.length) throw new FastWorkflowError(ErrorCode.UnknownCommand, `--utterances ${file} names ${unknown.join(', ')}, not command(s) of "${compiled.name}" (it has ${[...known].join(', ')}).`, { commands: unknown });
  return parsed.data;
}

/** Where the training time went: one line. */
export function formatTimings(s: TrainSummary): string {
  const t = s.timings;
  const f = (v: number) => `${v.toFixed(1)} s`;
  const share = t.slotTaggerCpu > 0 && t.cpuSeconds > 0 ? `, ${Math.round((100 * t.slotTaggerCpu) / t.cpuSeconds)}% of the CPU` : '';
  const tagger = t.slotTaggerThread ? `slot tagger ${f(t.slotTagger)}${share} on a second thread (waited ${f(t.slotTaggerWait)} for it)` : `slot tagger ${f(t.slotTagger)}${share}`;
  const threads = t.mainThreadCpu !== undefined ? ` CPU by thread: main ${f(t.mainThreadCpu)}${t.slotTaggerThread ? `, slot tagger ${f(t.slotTaggerCpu)}` : ''} (the rest: the encoder's threads).` : '';
  return `Time: ${f(s.seconds)} wall, ${f(t.cpuSeconds)} CPU — encoder load ${f(t.encoderLoad)}, encoding ${f(t.encode)}, heads ${f(t.heads)}, ${tagger}, bundle ${f(t.write)}.${threads}`;
}

export function formatSummary(s: TrainSummary): string {
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const strict = s.contexts.some((c) => c.unseenTemplates);
  const header = ['context', 'labels', 'examples (written/generated/negative)', 'held-out', 'accuracy', 'macro-F1', 'in scope: right/wrong/asked/rejected', 'out of scope: executed/asked/rejected', 'threshold', ...(strict ? ['unseen templates'] : [])];
  const rows = s.contexts.map((c) => {
    const { inScope, outOfScope } = c.heldOut.outcomes;
    return [
      c.context,
      String(c.labels),
      `${c.examples} (${c.utterances.written}/${c.utterances.generated}/${c.utterances.negative})`,
      String(c.heldOut.examples),
      pct(c.heldOut.accuracy),
      pct(c.heldOut.macroF1),
      [inScope.executedRight, inScope.executedWrong, inScope.asked, inScope.rejected].map(pct).join(' / '),
      outOfScope.rows ? [outOfScope.executed, outOfScope.asked, outOfScope.rejected].map(pct).join(' / ') : '-',
      c.thresholds.confident.toFixed(2),
      ...(strict ? [c.unseenTemplates ? `${pct(c.unseenTemplates.accuracy)} of ${c.unseenTemplates.examples}` : '-'] : []),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  const e = s.encoding;
  return [
    `Trained "${s.workflow}" with ${s.encoder} in ${s.seconds.toFixed(1)} s → ${s.outDir}`,
    `Encoded ${e.texts - e.cached} utterances in ${e.seconds.toFixed(1)} s (${e.cached} from the cache${e.cacheFile ? ` ${e.cacheFile}` : ''}).`,
    formatTimings(s),
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    'examples: every written utterance is used; generated ones (slot fillings, augmentations) fill each command up to the cap; negatives are other contexts\' utterances and junk.',
    'held-out: a stratified 20% of the examples, with the outcomes under the chosen thresholds' + (strict ? '; unseen templates: accuracy when whole seed templates are held out (stricter).' : '.'),
    ...(s.conflicts.length ? [`${s.conflicts.length} conflicting utterance(s) were reported above and kept for one command only.`] : []),
  ].join('\n');
}
