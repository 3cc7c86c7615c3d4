import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatCorrectionsFile, type Correction } from '../src/index.ts';
import { defaultCorrectionsFile, FileCorrectionStore } from './file-correction-store.ts';
import { loadWorkflow } from './load-workflow.ts';
import { describeSkipped, readCorrectionsFile } from './read-corrections.ts';

export const CORRECTIONS_HELP = `Usage: fastworkflow corrections export <workflow> [--out file] [--store file]
       fastworkflow corrections import <workflow> <file> [--store file]

Corrections ("you misunderstood" → the right command) that \`fastworkflow run\` keeps for a workflow,
in the same file format as the "Download corrections" button of <fw-chat>: a JSON array of
{"workflow", "context", "utterance", "command", "at"?}.

  export    print the workflow's corrections as that file (or write it with --out)
  import    add the corrections of a file (e.g. downloaded from a page) to the store, so every
            \`fastworkflow run\` of the workflow uses them. A file that is not that format, or names an
            unknown workflow, context or command, is refused with the line and the reason; nothing is
            imported. A phrase another command was trained on is skipped (and said so).

Options:
  --store <file>   the corrections store (default: <cache folder>/corrections/<workflow>.json,
                   the one \`fastworkflow run\` uses; \`run --corrections-store\` picks another)
  --out <file>     export: write the file instead of printing it
  -h, --help       this text

Fold corrections into the next bundle with \`fastworkflow train <workflow> --corrections <file>\`.`;

export async function correctionsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { store: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  const [action, target, file] = positionals;
  if (values.help) {
    console.log(CORRECTIONS_HELP);
    return 0;
  }
  const usage = (action === 'export' && positionals.length === 2) || (action === 'import' && positionals.length === 3);
  if (!usage) {
    console.error(CORRECTIONS_HELP);
    return 2;
  }
  const { workflow } = await loadWorkflow(target);
  const store = new FileCorrectionStore(resolve(values.store ?? defaultCorrectionsFile(workflow.name)));

  if (action === 'export') {
    const corrections = await store.list(workflow.name);
    const text = formatCorrectionsFile(corrections);
    if (values.out) {
      await writeFile(values.out, text);
      console.error(`Wrote ${corrections.length} correction(s) of "${workflow.name}" to ${values.out}.`);
    } else process.stdout.write(text);
    return 0;
  }

  const { used, skipped } = await readCorrectionsFile(file, workflow, 'corrections import:');
  for (const line of describeSkipped(file, skipped)) console.error(line);
  const now = Date.now();
  const imported = used.map(
    (c, i): Correction => ({
      id: `imported-${now.toString(36)}-${i}`,
      workflow: c.workflow,
      sessionId: 'imported',
      context: c.context,
      utterance: c.utterance,
      command: c.command,
      source: 'imported',
      at: c.at ? Date.parse(c.at) : now,
    }),
  );
  await store.recordAll(imported, { scope: 'device' });
  console.log(`Imported ${used.length} correction(s) into ${store.path}${skipped.length ? ` (${skipped.length} skipped)` : ''}.`);
  return 0;
}
