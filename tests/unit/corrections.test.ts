import { describe, expect, it } from 'vitest';
import { examples } from '../../demo/workflows/index.ts';
import { LexicalClassifier } from '../../src/intent/lexical-classifier.ts';
import {
  compileWorkflow,
  IntentSource,
  MemoryCorrectionStore,
  MemorySessionStore,
  OutputKind,
  trainedCommandFor,
  WorkflowSession,
  type CorrectionChange,
  type CorrectionScope,
  type CorrectionStore,
} from '../../src/index.ts';

const todo = compileWorkflow(examples.todo);

/** A session of the todo example on a shared correction store, with its own classifier (a tab). */
async function tab(corrections: CorrectionStore, sessionId: string, correctionScope?: CorrectionScope) {
  const classifier = new LexicalClassifier(todo);
  const session = await WorkflowSession.open({ workflow: todo, classifier, corrections, store: new MemorySessionStore(), sessionId, ...(correctionScope ? { correctionScope } : {}) });
  return { session, classifier };
}

/** "what's pending" is not understood; the user says "you misunderstood" and picks list_items. */
async function teachPending(session: WorkflowSession<any>): Promise<void> {
  expect((await session.send("what's pending")).command).not.toBe('list_items');
  expect((await session.send('you misunderstood')).clarification).toMatchObject({ type: 'intent', reason: 'misunderstood' });
  expect((await session.send('list items')).command).toBe('list_items');
}

describe('corrections: scope, undo, protected training phrases', () => {
  it('session scope (default): only the session that made it learns; device scope: every session of the workflow', async () => {
    const corrections = new MemoryCorrectionStore();
    const a = await tab(corrections, 'a', 'device');
    await teachPending(a.session);
    expect(await corrections.list('todo')).toMatchObject([{ sessionId: 'a', context: 'TodoList', utterance: "what's pending", command: 'list_items', source: 'misunderstood' }]);
    expect(await a.session.send("What's pending?")).toMatchObject({ command: 'list_items', intent: { source: IntentSource.Correction } });

    const b = await tab(corrections, 'b', 'device');
    expect(await b.session.send("what's pending")).toMatchObject({ command: 'list_items', intent: { source: IntentSource.Correction } });
    // A paraphrase goes through the classifier, which learned the phrase when the session opened.
    expect(await b.session.send('what is still pending')).toMatchObject({ command: 'list_items', intent: { source: IntentSource.Classifier } });

    const c = await tab(corrections, 'c');
    expect(c.session.correctionScope).toBe('session');
    expect((await c.session.send("what's pending")).command).not.toBe('list_items');
    expect(await c.session.corrections()).toEqual([]);
    expect(await b.session.corrections()).toHaveLength(1);
  });

  it('a correction recorded by another open session is learned live, and its undo is forgotten live', async () => {
    const corrections = new MemoryCorrectionStore();
    const a = await tab(corrections, 'a', 'device');
    const b = await tab(corrections, 'b', 'device');
    const applied: Promise<boolean>[] = [];
    corrections.subscribe((change: CorrectionChange) => applied.push(b.session.applyCorrectionChange(change)));
    await teachPending(a.session);
    expect(await Promise.all(applied)).toEqual([true]);
    expect((await b.session.send('what is still pending')).command).toBe('list_items');

    const [learned] = await a.session.corrections();
    expect((await a.session.undoCorrection(learned.id))?.utterance).toBe("what's pending");
    expect(await Promise.all(applied)).toEqual([true, true]);
    expect(await corrections.list('todo')).toEqual([]);
    for (const s of [a.session, b.session]) {
      const out = await s.send("what's pending");
      expect(out.command).not.toBe('list_items');
      expect([OutputKind.OutOfScope, OutputKind.AskIntent]).toContain(out.kind);
    }
  });

  it('undo in session scope forgets the correction in the classifier too', async () => {
    const corrections = new MemoryCorrectionStore();
    const { session } = await tab(corrections, 's');
    await teachPending(session);
    expect((await session.send('what is still pending')).command).toBe('list_items');
    const [learned] = await session.corrections();
    await session.undoCorrection(learned.id);
    expect((await session.send('what is still pending')).command).not.toBe('list_items');
    expect(await session.undoCorrection('no-such-id')).toBeUndefined();
  });

  it('does not learn a phrase another command was trained on: runs the choice once and says so', async () => {
    const corrections = new MemoryCorrectionStore();
    const { session } = await tab(corrections, 's');
    expect(trainedCommandFor(todo, 'TodoList', 'Show the list!')).toBe('list_items');
    expect(trainedCommandFor(todo, 'TodoList', 'add milk to the list')).toBe('add_item');
    expect(trainedCommandFor(todo, 'TodoList', 'address book')).toBeUndefined();
    expect((await session.send('show the list')).command).toBe('list_items');
    await session.send('you misunderstood');
    const out = await session.send('add item');
    expect(out.text).toMatch(/I won't remember "show the list" as add_item: it is one of the phrases list_items was trained on/);
    expect(await corrections.list('todo')).toEqual([]);
    expect((await session.send('show the list')).command).toBe('list_items');
  });

  it('a stored correction of a phrase another command was trained on is not used (e.g. recorded before that seed existed)', async () => {
    const corrections = new MemoryCorrectionStore();
    await corrections.record({ id: 'old', workflow: 'todo', sessionId: 'elsewhere', context: 'TodoList', utterance: 'show the list', command: 'add_item', source: 'imported', at: 1 });
    const { session } = await tab(corrections, 's', 'device');
    expect(await session.send('show the list')).toMatchObject({ command: 'list_items', intent: { source: IntentSource.Classifier } });
  });
});
