import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examples } from '../../../demo/workflows/index.ts';
import { IntentSource, MemoryCorrectionStore, parseCorrectionsFile, WorkflowSession } from '../../../src/index.ts';
import { loadNodeBundleClassifier } from '../../../trainer-node/bundle-node.ts';
import { buildDatasets } from '../../../trainer-node/train/dataset.ts';
import { CompiledWorkflow } from '../../../src/index.ts';
import { runCli } from '../support/run-cli.ts';

let dir: string;
const store = () => join(dir, 'store.json');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fw-corrections-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const ENTRY = { workflow: 'todo', context: 'TodoList', utterance: "what's pending", command: 'list_items' };

describe('corrections in the terminal: run → export → train --corrections', () => {
  it('run keeps a correction in its store and the next run uses it; export writes the page’s file format', async () => {
    const first = await runCli(['run', 'todo', '--bundle', 'none', '--corrections-store', store()], { input: "what's pending\nyou misunderstood\nlist items\n" });
    expect(first.code).toBe(0);
    const second = await runCli(['run', 'todo', '--bundle', 'none', '--corrections-store', store(), '--verbose'], { input: "What's pending?\n" });
    expect(second.stdout).toMatch(/intent correction → list_items/);
    const out = join(dir, 'exported.json');
    expect((await runCli(['corrections', 'export', 'todo', '--store', store(), '--out', out])).code).toBe(0);
    const parsed = parseCorrectionsFile(await readFile(out, 'utf8'));
    expect(parsed).toMatchObject({ ok: true, corrections: [{ ...ENTRY, line: 2 }] });
  });

  it('train --corrections makes them training utterances: the new bundle routes the phrase with an empty correction store', async () => {
    const bundle = join(dir, 'bundle');
    const r = await runCli(['train', 'todo', '--corrections', join(dir, 'exported.json'), '--out', bundle, '--quiet'], { timeout: 240_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Corrections: 1 used from .*exported\.json as training utterances\./);
    const classifier = await loadNodeBundleClassifier(bundle, examples.todo);
    const session = await WorkflowSession.open({ workflow: examples.todo, classifier, corrections: new MemoryCorrectionStore() });
    expect(await session.send("what's pending")).toMatchObject({ command: 'list_items', intent: { source: IntentSource.Classifier } });
  }, 240_000);

  it('adds a correction to its command in its context only', () => {
    const todo = new CompiledWorkflow(examples.todo);
    const { datasets } = buildDatasets(todo, { seed: 1, maxPerLabel: 60, contextExtra: { TodoList: { list_items: ["what's pending"] } } });
    const rows = (context: string) => datasets.find((d) => d.context === context)!.examples.filter((e) => e.text === "what's pending");
    expect(rows('TodoList')).toEqual([expect.objectContaining({ label: 'list_items', source: 'written' })]);
    expect(rows('TodoItem')).toEqual([]);
    expect(rows('*')).toEqual([]);
  });

  it.each([
    ['an unknown workflow', JSON.stringify([{ ...ENTRY, workflow: 'shop' }]), /:1: entry 1 is for workflow "shop", not "todo"/],
    ['an unknown context', `[\n${JSON.stringify(ENTRY)},\n${JSON.stringify({ ...ENTRY, context: 'Basket' })}\n]`, /:3: entry 2 names context "Basket"/],
    ['an unknown command', `[\n${JSON.stringify({ ...ENTRY, command: 'mark_complete' })}\n]`, /:2: entry 1 names command "mark_complete", which is not available in context "TodoList"/],
    ['text that is not JSON', '[{"workflow": "todo",\n', /:\d+: not JSON/],
    ['the wrong shape', '{"list_items": ["what\'s pending"]}', /:1: the file holds an object, not an array/],
  ])('refuses a file with %s, with the line and the reason, and trains nothing', async (name, content, reason) => {
    const bad = await file(`${name.replace(/ /g, '-')}.json`, content);
    const out = join(dir, `not-trained-${name.replace(/ /g, '-')}`);
    const r = await runCli(['train', 'todo', '--corrections', bad, '--out', out, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/was refused; nothing was used/);
    expect(r.stderr).toMatch(reason);
    expect(existsSync(out)).toBe(false);
  });

  it('import adds a downloaded file to the store (skipping a phrase another command was trained on); a bad file imports nothing', async () => {
    const imported = join(dir, 'imported-store.json');
    const good = await file('download.json', `[\n${JSON.stringify({ ...ENTRY, utterance: 'anything left to do' })},\n${JSON.stringify({ ...ENTRY, utterance: 'show the list', command: 'add_item' })}\n]`);
    const r = await runCli(['corrections', 'import', 'todo', good, '--store', imported]);
    expect(r).toMatchObject({ code: 0, stdout: expect.stringMatching(/Imported 1 correction\(s\) into .* \(1 skipped\)/) });
    expect(r.stderr).toMatch(/download\.json:3: skipped "show the list" → add_item: it is a training phrase of list_items/);
    const run = await runCli(['run', 'todo', '--bundle', 'none', '--corrections-store', imported, '--verbose'], { input: 'anything left to do\n' });
    expect(run.stdout).toMatch(/intent correction → list_items/);

    const bad = await file('bad-import.json', JSON.stringify([ENTRY, { ...ENTRY, context: 'Nowhere' }]));
    const refused = await runCli(['corrections', 'import', 'todo', bad, '--store', join(dir, 'untouched.json')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/bad-import\.json:1: entry 2 names context "Nowhere"/);
    expect(existsSync(join(dir, 'untouched.json'))).toBe(false);
  });

  it('has help text', async () => {
    const r = await runCli(['corrections', '--help']);
    expect(r).toMatchObject({ code: 0, stdout: expect.stringMatching(/corrections export <workflow>/) });
    expect((await runCli(['--help'])).stdout).toMatch(/corrections export <workflow>/);
  });
});
