import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { serveDemo } from '../../scripts/serve-demo.ts';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The demo, served by `vite preview`, e.g. http://127.0.0.1:41234/ */
    demoUrl: string;
    /** Bundles trained for the tests (hello_world, todo, and a damaged copy `bad-hash`). */
    bundlesDir: string;
  }
}

/**
 * Train the bundles the browser tests use (built-in offline encoder), a damaged copy, and
 * hello_world on a tiny BERT-style encoder (`tiny-bert`: runs on onnxruntime-web, not the built-in kernel).
 */
async function trainBundles(dir: string): Promise<void> {
  const { examples } = await import('../../demo/workflows/index.ts');
  const { loadEncoder, trainWorkflow } = await import('../../trainer-node/train/train.ts');
  const encoder = await loadEncoder(undefined, 'q8');
  for (const name of ['hello_world', 'todo']) await trainWorkflow({ workflow: examples[name], outDir: join(dir, name), encoder });
  cpSync(join(dir, 'hello_world'), join(dir, 'bad-hash'), { recursive: true });
  const head = readdirSync(join(dir, 'bad-hash', 'heads')).find((f) => f.endsWith('.head.f32'))!;
  const bytes = readFileSync(join(dir, 'bad-hash', 'heads', head));
  bytes[64] ^= 0xff;
  writeFileSync(join(dir, 'bad-hash', 'heads', head), bytes);
  const { makeTinyBert } = await import('../fixtures/tiny-bert/make-tiny-bert.ts');
  const tinyBert = await makeTinyBert(join(dir, '.tiny-bert-model'), { seed: 1, hidden: 32 });
  await trainWorkflow({ workflow: examples.hello_world, baseModel: tinyBert, dtype: 'fp32', outDir: join(dir, 'tiny-bert'), seed: 1, maxPerLabel: 20 });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const bundlesDir = mkdtempSync(join(tmpdir(), 'fw-test-bundles-'));
  await trainBundles(bundlesDir);
  process.env.FW_BUNDLES_DIR = bundlesDir;
  project.provide('bundlesDir', bundlesDir);
  // The <fw-chat> test harness, beside the demo under /harness/ (never part of the demo build).
  const harness = join(project.config.root, 'tests/browser/harness');
  const demo = await serveDemo({
    bundlesDir,
    extraBuild: (outDir) => build({ configFile: false, root: harness, base: '/harness/', logLevel: 'warn', build: { outDir: join(outDir, 'harness'), emptyOutDir: true } }).then(() => undefined),
  });
  const url = demo.url;
  project.provide('demoUrl', url);
  return async () => {
    await demo.close();
    rmSync(bundlesDir, { recursive: true, force: true });
  };
}
