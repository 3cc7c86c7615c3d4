import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutputKind, SLOT_TAGGER_VERSION, WorkflowSession, compileWorkflow } from '../../../src/index.ts';
import { examples } from '../../../demo/workflows/index.ts';
import { loadNodeBundleClassifier } from '../../../trainer-node/bundle-node.ts';
import { loadEncoder, trainWorkflow, type TrainSummary } from '../../../trainer-node/train/train.ts';
import { SUPPORT_POLICY } from '../../../trainer-node/train/evaluate.ts';

let root: string;
const summaries: Record<string, TrainSummary> = {};

/** Paraphrases written for this test: none of them is a seed utterance of the workflow. */
const PARAPHRASES: { workflow: string; context: string; text: string; command: string }[] = [
  { workflow: 'hello_world', context: '*', text: 'how much is 2 plus 2', command: 'add_two_numbers' },
  { workflow: 'hello_world', context: '*', text: 'total of 5 and 6', command: 'add_two_numbers' },
  { workflow: 'todo', context: 'TodoList', text: "what's on the list", command: 'list_items' },
  { workflow: 'todo', context: 'TodoItem', text: 'this one is finished', command: 'mark_complete' },
  { workflow: 'messaging', context: 'PremiumUser', text: 'urgent: tell bob the server is down', command: 'send_priority_message' },
];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'fw-bundles-'));
  const encoder = await loadEncoder(undefined, 'q8'); // the built-in offline encoder (prepared on first use)
  for (const name of ['hello_world', 'todo', 'messaging']) {
    summaries[name] = await trainWorkflow({ workflow: examples[name], outDir: join(root, name), encoder });
  }
  await trainWorkflow({ workflow: examples.hello_world, outDir: join(root, 'hello_world-again'), encoder });
  // The budget set on the workflow itself (`defineWorkflow({ falseExecution })`), as a page author would.
  await trainWorkflow({ workflow: { ...examples.hello_world, falseExecution: 0.05 }, outDir: join(root, 'hello_world-support'), encoder });
  // Near-twin commands (send_message, send_priority_message) under a false-execution budget.
  summaries['messaging-support'] = await trainWorkflow({ workflow: examples.messaging, outDir: join(root, 'messaging-support'), encoder, falseExecution: 0.05 });
}, 180_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function hashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length)] = createHash('sha256').update(await readFile(path)).digest('hex');
  }
  return out;
}

describe('fastworkflow train → bundle', () => {
  it('is deterministic: training twice gives byte-identical bundles', async () => {
    const a = await hashes(join(root, 'hello_world'));
    const b = await hashes(join(root, 'hello_world-again'));
    expect(Object.keys(a)).toContain('/manifest.json');
    expect(b).toEqual(a);
  });

  it('writes a manifest with the encoder, per-context labels, thresholds and file hashes', async () => {
    const manifest = JSON.parse(await readFile(join(root, 'todo', 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'fastworkflow-bundle', formatVersion: 3, workflow: 'todo', encoder: { source: 'builtin:use-lite-en', dtype: 'q8', dim: 512 } });
    expect(Object.keys(manifest.contexts).sort()).toEqual(['*', 'TodoItem', 'TodoList']);
    expect(manifest.contexts.TodoItem.labels).toEqual(expect.arrayContaining(['mark_complete', 'go_up', '__out_of_scope__']));
    expect(manifest.contexts.TodoItem.labels).not.toContain('add_item');
    // Support thresholds by default (at most SUPPORT_POLICY.inScopeCost of held-out in-scope rows lost), the execute one at most its cap.
    expect(manifest.contexts.TodoItem.thresholds.support.execute).toBeLessThanOrEqual(SUPPORT_POLICY.executeCap);
    expect(manifest.contexts.TodoList.labels).not.toContain('open_list'); // hidden commands are not labels
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['model/onnx/model_quantized.onnx', 'model/tokenizer.json', 'workflow.json']));
  });

  it('evaluates each context on a held-out split', () => {
    for (const s of Object.values(summaries)) {
      for (const c of s.contexts) {
        expect(c.heldOut.examples).toBeGreaterThan(20);
        expect(c.heldOut.accuracy).toBeGreaterThan(0.8);
        expect(c.thresholds.confident).toBeGreaterThanOrEqual(0.45);
      }
    }
  });

  it.each(PARAPHRASES)('classifies a paraphrase it never saw: $workflow/$context "$text" → $command', async ({ workflow, context, text, command }) => {
    const classifier = await loadNodeBundleClassifier(join(root, workflow), examples[workflow]);
    const p = await classifier.classify(text, context);
    expect(p.ranked[0].label).toBe(command);
  });

  it.each(['hello_world', 'todo', 'messaging'])('rejects out-of-scope input in %s', async (workflow) => {
    const classifier = await loadNodeBundleClassifier(join(root, workflow), examples[workflow]);
    const session = await WorkflowSession.open({ workflow: examples[workflow], classifier });
    for (const text of ["what's the weather like", 'tell me a joke', '3']) {
      expect((await session.send(text)).kind).toBe(OutputKind.OutOfScope);
    }
  });

  it('the Node runner answers real utterances with the bundle (headless)', async () => {
    const r = await runCli(['run', 'hello_world', '--bundle', join(root, 'hello_world'), '--startup-command', "what's 49 plus 51", '--keep-alive', 'false']);
    expect(r).toMatchObject({ code: 0, stdout: '49 + 51 = 100\n' });
  });

  it('ships the slot tagger (slots/tagger.json) and extracts free text with it after loading', async () => {
    const manifest = JSON.parse(await readFile(join(root, 'messaging', 'manifest.json'), 'utf8'));
    expect(manifest.slots).toEqual({ file: 'slots/tagger.json', format: 'fastworkflow-slot-tagger', version: SLOT_TAGGER_VERSION });
    expect(manifest.files.map((f: { path: string }) => f.path)).toContain('slots/tagger.json');
    expect(JSON.parse(await readFile(join(root, 'hello_world', 'manifest.json'), 'utf8')).slots).toBeUndefined(); // numbers only: nothing to tag
    const classifier = await loadNodeBundleClassifier(join(root, 'messaging'), examples.messaging);
    const fields = compileWorkflow(examples.messaging).commandsIn('User').find((c) => c.name === 'send_message')!.fields;
    const values = await classifier.parameterExtractor()!.extract({ text: 'send a message to bbo saying hi', command: 'send_message', fields });
    expect(values).toEqual({ to: 'bbo', message: 'hi' });
  });

  it('the trained tagger reads an item by its position in todo ("open the second item" → #2, no question)', async () => {
    const classifier = await loadNodeBundleClassifier(join(root, 'todo'), examples.todo);
    const session = await WorkflowSession.open({ workflow: examples.todo, classifier });
    expect((await session.send('open the second item')).text).toContain('Opened #2 "call the bank"');
    expect((await session.send('go up')).kind).not.toBe(OutputKind.Error);
    expect((await session.send('work on the last one')).text).toContain('Opened #2');
  });

  it('a correction takes effect at once without re-training', async () => {
    const classifier = await loadNodeBundleClassifier(join(root, 'todo'), examples.todo);
    const before = await classifier.classify('blorp the widget', 'TodoItem');
    expect(before.ranked[0].label).not.toBe('mark_complete');
    await classifier.learn('blorp the widget', 'TodoItem', 'mark_complete');
    expect((await classifier.classify('blorp the widget', 'TodoItem')).ranked[0].label).toBe('mark_complete');
  });
});

describe('a damaged bundle is refused with a clear error', () => {
  async function damaged(change: (dir: string) => Promise<void>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'fw-damaged-'));
    await cp(join(root, 'hello_world'), dir, { recursive: true });
    await change(dir);
    return dir;
  }
  const edit = async (file: string, fn: (m: Record<string, unknown>) => void) => {
    const m = JSON.parse(await readFile(file, 'utf8'));
    fn(m);
    await writeFile(file, JSON.stringify(m));
  };

  it('a missing file', async () => {
    const dir = await damaged((d) => rm(join(d, 'workflow.json')));
    await expect(loadNodeBundleClassifier(dir)).rejects.toThrow(/Cannot read .*workflow\.json.*re-train/);
  });

  it('a file whose hash does not match', async () => {
    const dir = await damaged(async (d) => {
      const heads = (await readdir(join(d, 'heads'))).find((f) => f.endsWith('.head.f32'))!;
      const bytes = await readFile(join(d, 'heads', heads));
      bytes[100] ^= 0xff;
      await writeFile(join(d, 'heads', heads), bytes);
    });
    await expect(loadNodeBundleClassifier(dir)).rejects.toThrow(/does not match the manifest \(sha256/);
  });

  it('with falseExecution, writes support thresholds (format 2) that the runtime applies', async () => {
    const manifest = JSON.parse(await readFile(join(root, 'hello_world-support', 'manifest.json'), 'utf8'));
    const support = manifest.contexts['*'].thresholds.support;
    expect(support.execute).toBeGreaterThanOrEqual(support.reject);
    const classifier = await loadNodeBundleClassifier(join(root, 'hello_world-support'));
    const prediction = await classifier.classify('add 2 and 3', '*');
    expect(prediction.thresholds?.support).toEqual(support);
    expect(prediction.ranked[0].similarity).toBeGreaterThan(0.5); // the top label carries its nearest-example cosine
  });

  it('with falseExecution, warns about a context that asks about most requests because two commands look alike, and names them', () => {
    const warning = summaries['messaging-support'].warnings.find((w) => w.startsWith('PremiumUser:'));
    expect(warning).toMatch(/with falseExecution 0\.05, \d+% of its held-out requests are asked about/);
    expect(warning).toMatch(/send_priority_message → send_message \(\d+\)/);
    expect(warning).toMatch(/train without falseExecution\.$/);
    // The default policy has nothing to warn about here.
    expect(summaries.messaging.warnings.filter((w) => w.includes('falseExecution'))).toEqual([]);
  });

  it('refuses a false-execution budget that is not a share, before training anything', async () => {
    const outDir = join(root, 'hello_world-bad-budget');
    await expect(trainWorkflow({ workflow: { ...examples.hello_world, falseExecution: 5 }, outDir })).rejects.toThrow(/falseExecution must be a share between 0 and 1.*got 5/);
    await expect(readdir(outDir)).rejects.toThrow(/ENOENT/);
  });

  it('a version-1 bundle (before support thresholds) still loads and decides on probabilities', async () => {
    const v1 = await damaged((d) =>
      edit(join(d, 'manifest.json'), (m) => {
        m.formatVersion = 1;
        for (const c of Object.values(m.contexts as Record<string, { thresholds: Record<string, unknown> }>)) delete c.thresholds.support;
      }),
    );
    const classifier = await loadNodeBundleClassifier(v1);
    const prediction = await classifier.classify('add 2 and 3', '*');
    expect(prediction.thresholds?.support).toBeUndefined();
    expect(prediction.ranked[0].score).toBeGreaterThan(0);
  });

  it('a corrupted or wrong-version manifest', async () => {
    const broken = await damaged((d) => writeFile(join(d, 'manifest.json'), '{ "format": "fastworkflow-bundle", '));
    await expect(loadNodeBundleClassifier(broken)).rejects.toThrow(/not valid JSON/);
    const old = await damaged((d) => edit(join(d, 'manifest.json'), (m) => (m.formatVersion = 99)));
    await expect(loadNodeBundleClassifier(old)).rejects.toThrow(/format version 99; this runtime reads versions 1, 2, 3/);
    const malformed = await damaged((d) => edit(join(d, 'manifest.json'), (m) => delete m.contexts));
    await expect(loadNodeBundleClassifier(malformed)).rejects.toThrow(/malformed: contexts/);
  });

  it('a bundle trained for another workflow', async () => {
    await expect(loadNodeBundleClassifier(join(root, 'hello_world'), examples.todo)).rejects.toThrow(/trained for workflow "hello_world", not "todo"/);
  });
});
