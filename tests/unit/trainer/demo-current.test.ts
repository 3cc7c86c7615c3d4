import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SLOT_TAGGER_VERSION, compileWorkflow } from '../../../src/index.ts';
import { BUNDLE_FORMAT_VERSION } from '../../../src/bundle/format/manifest.ts';
import { examples } from '../../../demo/workflows/index.ts';
import { bundleIsCurrent } from '../../../trainer-node/demo-command.ts';

/** `npm run demo` re-trains a bundle that is missing, out of date, or written in a format this runtime no longer reads. */
describe('demo: which example bundles need training', () => {
  let dir: string;
  const workflow = examples.todo;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fw-demo-current-'));
    const compiled = compileWorkflow(workflow);
    await writeFile(join(dir, 'workflow.json'), `${JSON.stringify({ workflow: compiled.name, description: workflow.description, ...compiled.metadata() }, null, 2)}\n`);
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ format: 'fastworkflow-bundle', formatVersion: BUNDLE_FORMAT_VERSION }));
    await mkdir(join(dir, 'slots'));
    await writeFile(join(dir, 'slots', 'tagger.json'), JSON.stringify({ format: 'fastworkflow-slot-tagger', version: SLOT_TAGGER_VERSION }));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps a bundle of the same workflow in the current formats', () => {
    expect(bundleIsCurrent(dir, workflow)).toBe(true);
  });

  it('re-trains when the workflow changed', () => {
    expect(bundleIsCurrent(dir, { ...workflow, description: 'something else' })).toBe(false);
  });

  it('re-trains a bundle of an older format, or with an older slot tagger', async () => {
    await writeFile(join(dir, 'slots', 'tagger.json'), JSON.stringify({ format: 'fastworkflow-slot-tagger', version: SLOT_TAGGER_VERSION - 1 }));
    expect(bundleIsCurrent(dir, workflow)).toBe(false);
    await writeFile(join(dir, 'slots', 'tagger.json'), JSON.stringify({ format: 'fastworkflow-slot-tagger', version: SLOT_TAGGER_VERSION }));
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ format: 'fastworkflow-bundle', formatVersion: BUNDLE_FORMAT_VERSION - 1 }));
    expect(bundleIsCurrent(dir, workflow)).toBe(false);
    await writeFile(join(dir, 'manifest.json'), '{ not json');
    expect(bundleIsCurrent(dir, workflow)).toBe(false);
  });
});
