import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { describeAgentStep, MemoryCorrectionStore, OutputKind, WorkflowSession, type CommandOutput, type IntentClassifier, type StartupAction, type WorkflowDefinition } from '../src/index.ts';
import { defaultCorrectionsFile, FileCorrectionStore } from './file-correction-store.ts';
import { llmConfigFromEnv } from './llm-env.ts';
import { loadWorkflow } from './load-workflow.ts';
import { defaultBundleDir as bundleDirFor } from './paths.ts';

export const RUN_HELP = `Usage: fastworkflow run <workflow> [options]

<workflow> is an example name (see \`fastworkflow examples list\`), a folder holding workflow.ts,
or a module file whose default export is defineWorkflow({ … }).

Options:
  --startup-command "<text>"   send this message first
  --startup-action '<json>'    run {"command": "...", "parameters": {...}} first, without NLU
  --keep-alive <true|false>    stay interactive after the startup message (default true)
  --bundle <dir|none>          the trained intent bundle (default: bundles/<workflow> when it exists,
                               else the training-free lexical classifier; \`none\` forces the latter)
  --corrections-store <file|none>
                               where corrections ("you misunderstood" → the right command) are kept:
                               every run of the workflow learns from them (default:
                               <cache folder>/corrections/<workflow>.json; \`none\`: this run only).
                               \`fastworkflow corrections export|import\` read and write them
  --verbose                    show the detected intent, its confidence and the candidates
  --agent                      agent mode: an LLM drives the commands through tool calls (each one
                               validated; a write with confirmation still asks you); /command bypasses it
  --llm-base-url <url>         OpenAI-compatible endpoint (default: FASTWORKFLOW_LLM_BASE_URL, OPENAI_BASE_URL)
  --llm-model <name>           model (default: FASTWORKFLOW_LLM_MODEL); the key: FASTWORKFLOW_LLM_API_KEY
                               or OPENAI_API_KEY. With a model configured, the LLM also fills parameters
                               the deterministic extractor misses.
  -h, --help                   this text

Headless use: --keep-alive false prints the responses and exits 1 if a command failed, a question
is left open or the request was out of scope. Piped standard input is read line by line the same
way; its last answer decides the exit code.`;

const OK_KINDS = new Set<string>([OutputKind.Result, OutputKind.Info]);

export interface RunIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  isTTY: boolean;
}

export async function runCommand(argv: string[], io: RunIo, loadClassifier?: (bundleDir: string, workflow: WorkflowDefinition<any>) => Promise<IntentClassifier>): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'startup-command': { type: 'string' },
      'startup-action': { type: 'string' },
      'keep-alive': { type: 'string', default: 'true' },
      bundle: { type: 'string' },
      'corrections-store': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      agent: { type: 'boolean', default: false },
      'llm-base-url': { type: 'string' },
      'llm-model': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const print = (s: string) => io.output.write(`${s}\n`);
  if (values.help || positionals.length !== 1) {
    print(RUN_HELP);
    return values.help ? 0 : 2;
  }
  const keepAlive = parseBool(values['keep-alive']!);
  if (keepAlive === undefined) {
    print(`--keep-alive takes true or false, not "${values['keep-alive']}".`);
    return 2;
  }
  let action: StartupAction | undefined;
  if (values['startup-action']) {
    try {
      action = JSON.parse(values['startup-action']) as StartupAction;
      if (typeof action.command !== 'string') throw new Error('"command" is missing');
    } catch (e) {
      print(`--startup-action must be JSON like {"command":"add_item","parameters":{"title":"milk"}}: ${(e as Error).message}`);
      return 2;
    }
  }

  const { workflow } = await loadWorkflow(positionals[0]);
  const bundleDir = values.bundle === 'none' ? undefined : (values.bundle ?? defaultBundleDir(workflow.name));
  const classifier = bundleDir && loadClassifier ? await loadClassifier(bundleDir, workflow) : undefined;
  const llm = llmConfigFromEnv(process.env, { baseURL: values['llm-base-url'], model: values['llm-model'] }, values.agent);
  const correctionsFile = values['corrections-store'] === 'none' ? undefined : (values['corrections-store'] ?? defaultCorrectionsFile(workflow.name));
  const session = await WorkflowSession.open({
    workflow,
    ...(classifier ? { classifier } : {}),
    corrections: correctionsFile ? new FileCorrectionStore(correctionsFile) : new MemoryCorrectionStore(),
    correctionScope: 'device',
    ...(llm ? { llm: { extraction: llm, ...(values.agent ? { agent: llm } : {}) } } : {}),
    ...(values.agent ? { mode: 'agent' as const } : {}),
  });
  let failed = false;
  const show = (out: CommandOutput) => {
    for (const step of out.trace ?? []) print(`  · ${describeAgentStep(step)}`);
    print(out.text);
    if (values.verbose && out.intent) {
      const ranked = (out.intent.ranked ?? []).slice(0, 3).map((r) => `${r.label} ${r.score.toFixed(2)}`).join(', ');
      print(`  · intent ${out.intent.source}${out.intent.label ? ` → ${out.intent.label}` : ''}${out.intent.score !== undefined ? ` (${out.intent.score.toFixed(2)})` : ''}${ranked ? ` [${ranked}]` : ''}`);
    }
    if (!OK_KINDS.has(out.kind) || !out.success) failed = true;
  };

  if (action) show(await session.performAction(action));
  if (values['startup-command']) show(await session.send(values['startup-command']));
  const interactive = keepAlive && io.isTTY;
  if (!keepAlive && (action || values['startup-command'])) return failed ? 1 : 0;

  const how = classifier ? `intents: trained bundle ${bundleDir}` : `intents: lexical fallback (train with \`fastworkflow train ${positionals[0]}\`)`;
  if (interactive) {
    const { display } = await session.currentContext();
    print(`${workflow.name}: ${workflow.description}\n(${how})\nIn ${display}. Type "what can I do?" for help, Ctrl-D to leave.`);
  } else if (values.verbose) print(`(${how}; corrections: ${correctionsFile ?? 'this run only'})`);
  const rl = createInterface({ input: io.input, output: interactive ? io.output : undefined, terminal: interactive });
  const prompt = async () => {
    if (!interactive) return;
    const { display } = await session.currentContext();
    rl.setPrompt(`[${display}] > `);
    rl.prompt();
  };
  await prompt();
  failed = false; // in a conversation, only the last answer decides the exit code
  for await (const line of rl) {
    if (!line.trim() && !interactive) continue;
    if (!interactive) print(`> ${line}`);
    failed = false;
    show(await session.send(line));
    await prompt();
  }
  return failed ? 1 : 0;
}

function defaultBundleDir(workflow: string): string | undefined {
  const dir = bundleDirFor(workflow);
  return existsSync(join(dir, 'manifest.json')) ? dir : undefined;
}

function parseBool(v: string): boolean | undefined {
  if (/^(true|1|yes)$/i.test(v)) return true;
  if (/^(false|0|no)$/i.test(v)) return false;
  return undefined;
}
