/**
 * npm run bench:train — training time and held-out accuracy for every example workflow, with the
 * built-in offline encoder, on this machine. Writes bench/results-train.json.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CompiledWorkflow } from '../src/index.ts';
import { examples } from '../demo/workflows/index.ts';
import { loadEncoder, trainWorkflow } from '../trainer-node/train/train.ts';

export interface TrainingRow {
  workflow: string;
  commands: number;
  contexts: number;
  examples: number;
  seconds: number;
  heldOutAccuracy: number;
  heldOutMacroF1: number;
  unseenTemplatesAccuracy: number;
}

/** Train every example; keeps the bundles in `keepIn` when given. */
export async function benchTraining(keepIn?: string): Promise<{ encoderLoadSeconds: number; workflows: TrainingRow[] }> {
  const out = keepIn ?? (await mkdtemp(join(tmpdir(), 'fw-bench-train-')));
  const t0 = performance.now();
  const encoder = await loadEncoder(undefined, 'q8');
  const encoderLoadSeconds = (performance.now() - t0) / 1000;
  const rows: TrainingRow[] = [];
  for (const [name, workflow] of Object.entries(examples)) {
    const compiled = new CompiledWorkflow(workflow);
    const commands = new Set(compiled.contextNames().flatMap((c) => compiled.commandsIn(c).map((x) => x.name))).size;
    const s = await trainWorkflow({ workflow, outDir: join(out, name), encoder });
    const n = s.contexts.reduce((a, c) => a + c.heldOut.examples, 0);
    const weighted = (f: (c: (typeof s.contexts)[number]) => number) => s.contexts.reduce((a, c) => a + f(c) * c.heldOut.examples, 0) / n;
    rows.push({
      workflow: name,
      commands,
      contexts: s.contexts.length,
      examples: s.contexts.reduce((a, c) => a + c.examples, 0),
      seconds: Number(s.seconds.toFixed(2)),
      heldOutAccuracy: Number(weighted((c) => c.heldOut.accuracy).toFixed(4)),
      heldOutMacroF1: Number(weighted((c) => c.heldOut.macroF1).toFixed(4)),
      unseenTemplatesAccuracy: Number((s.contexts.reduce((a, c) => a + c.unseenTemplates.accuracy * c.unseenTemplates.examples, 0) / s.contexts.reduce((a, c) => a + c.unseenTemplates.examples, 0)).toFixed(4)),
    });
  }
  if (!keepIn) await rm(out, { recursive: true, force: true });
  return { encoderLoadSeconds: Number(encoderLoadSeconds.toFixed(2)), workflows: rows };
}

/** The goal: a workflow of ~15 commands trains in under 60 s. */
export function slowWorkflows(rows: readonly TrainingRow[]): TrainingRow[] {
  return rows.filter((r) => r.commands >= 10 && r.seconds > 60);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchTraining();
  console.log(`Training benchmark (${cpus().length} cores, encoder load ${result.encoderLoadSeconds.toFixed(1)} s, not counted below)`);
  console.table(result.workflows);
  await writeFile(new URL('./results-train.json', import.meta.url), `${JSON.stringify({ machine: { cores: cpus().length, node: process.version }, ...result }, null, 2)}\n`);
  const slow = slowWorkflows(result.workflows);
  if (slow.length) {
    console.error(`Goal missed: ${slow.map((r) => r.workflow).join(', ')} took over 60 s.`);
    process.exitCode = 1;
  }
}
