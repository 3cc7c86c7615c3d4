import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compileWorkflow, SLOT_TAGGER_VERSION, type WorkflowDefinition } from '../src/index.ts';
import { BUNDLE_FORMAT_VERSION } from '../src/bundle/format/manifest.ts';
import { createProgress } from './progress.ts';
import { exampleNames, loadWorkflow } from './load-workflow.ts';
import { packageRoot } from './paths.ts';
import { loadEncoder, trainWorkflow } from './train/train.ts';

export const DEMO_HELP = `Usage: fastworkflow demo [--port 5173] [--host 127.0.0.1] [--no-serve]

Trains the example workflows whose bundle is missing or out of date (bundles/<name>), then serves the
demo app (Vite) with <fw-chat>, the bundles and onnxruntime-web's wasm files.`;

/**
 * A bundle is current when this runtime writes its formats (bundle and slot tagger: a bundle from an
 * older release is re-trained, not refused later) and its workflow.json matches the workflow's
 * metadata now.
 */
export function bundleIsCurrent(dir: string, workflow: WorkflowDefinition<any>): boolean {
  const file = join(dir, 'workflow.json');
  if (!existsSync(join(dir, 'manifest.json')) || !existsSync(file)) return false;
  if (versionIn(join(dir, 'manifest.json'), 'formatVersion') !== BUNDLE_FORMAT_VERSION) return false;
  const tagger = join(dir, 'slots', 'tagger.json');
  if (existsSync(tagger) && versionIn(tagger, 'version') !== SLOT_TAGGER_VERSION) return false;
  const compiled = compileWorkflow(workflow);
  const now = { workflow: compiled.name, description: workflow.description, ...compiled.metadata() };
  return readFileSync(file, 'utf8') === `${JSON.stringify(now, null, 2)}\n`;
}

function versionIn(file: string, key: string): unknown {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)[key];
  } catch {
    return undefined; // unreadable: not current
  }
}

export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '5173' },
      host: { type: 'string', default: '127.0.0.1' },
      'no-serve': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(DEMO_HELP);
    return 0;
  }
  const names = await exampleNames();
  if (!names.length) {
    console.error('fastworkflow demo serves the example workflows of the fastworkflow-web repository (npm run demo there). In your own project: npx fastworkflow init <dir>.');
    return 2;
  }
  const root = packageRoot();
  const examples: [string, WorkflowDefinition<any>][] = [];
  for (const name of names) examples.push([name, (await loadWorkflow(name)).workflow]);
  const stale = examples.filter(([name, wf]) => !bundleIsCurrent(join(root, 'bundles', name), wf));
  if (stale.length) {
    const progress = createProgress(process.stderr);
    progress.log(`Training ${stale.map(([n]) => n).join(', ')} (bundles missing or out of date)…`);
    const encoder = await loadEncoder(undefined, 'q8', progress);
    for (const [name, workflow] of stale) {
      const s = await trainWorkflow({ workflow, outDir: join(root, 'bundles', name), encoder, progress });
      progress.log(`  ${name}: ${s.seconds.toFixed(1)} s`);
    }
  }
  if (values['no-serve']) return 0;
  const { createServer } = await import('vite');
  const server = await createServer({ configFile: join(root, 'vite.config.ts'), server: { port: Number(values.port), host: values.host } });
  await server.listen();
  console.log(`\nfastworkflow demo: ${server.resolvedUrls?.local[0] ?? `http://${values.host}:${values.port}/`}  (Ctrl-C to stop)`);
  await new Promise(() => undefined);
  return 0;
}
