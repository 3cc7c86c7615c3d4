import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import todo, { createTodoApp } from '../../../demo/workflows/todo/workflow.ts';
import { IdbConnection, IdbCorrectionStore, IdbSessionStore } from '../../../src/idb.ts';
import { ErrorCode, IntentSource, OutputKind, Stage, WorkflowSession } from '../../../src/index.ts';
import { freshDbName } from './helpers.ts';

/** Stores as one page load would have them (a reload gets new instances and a new connection). */
function pageLoad(name: string) {
  const connection = new IdbConnection({ name });
  return { store: new IdbSessionStore({ connection }), corrections: new IdbCorrectionStore({ connection }), connection };
}

describe('WorkflowSession on the IndexedDB stores', () => {
  it('resumes with its current context and history restored after a reload', async () => {
    const name = freshDbName();
    const first = pageLoad(name);
    const a = await WorkflowSession.open({ workflow: todo, sessionId: 'chat', ...first });
    expect((await a.send('open item 2')).command).toBe('open_item');
    expect((await a.currentContext()).context).toBe('TodoItem');
    first.connection.close();

    const second = pageLoad(name);
    const b = await WorkflowSession.open({ workflow: todo, sessionId: 'chat', ...second });
    const here = await b.currentContext();
    expect(here.context).toBe('TodoItem');
    expect(here.display).toBe('item #2 "call the bank"');
    expect(b.state.history.map((h) => h.role + ':' + h.text)).toEqual(['user:open item 2', expect.stringMatching(/^assistant:Opened #2/)]);
    const done = await b.send('mark it as done');
    expect(done).toMatchObject({ kind: OutputKind.Result, command: 'mark_complete', success: true });
    second.connection.close();
  });

  it('keeps a pending parameter question across a reload and answers it from a form', async () => {
    const name = freshDbName();
    const first = pageLoad(name);
    const a = await WorkflowSession.open({ workflow: todo, sessionId: 'chat', ...first });
    const ask = await a.send('add');
    expect(ask.kind).toBe(OutputKind.AskParameters);
    first.connection.close();

    const second = pageLoad(name);
    const b = await WorkflowSession.open({ workflow: todo, sessionId: 'chat', ...second });
    expect(b.state.conversation.stage).toBe(Stage.AskingParameters);
    const out = await b.submitParameters({ title: 'water the plants', priority: 'high' });
    expect(out).toMatchObject({ kind: OutputKind.Result, command: 'add_item', data: { title: 'water the plants', priority: 'high' } });
    second.connection.close();
  });

  it('applies a stored correction after a reload', async () => {
    const name = freshDbName();
    const first = pageLoad(name);
    const a = await WorkflowSession.open({ workflow: todo, sessionId: 'chat', ...first });
    const ask = await a.send('show item');
    expect(ask.kind).toBe(OutputKind.AskIntent);
    expect((await a.send('list_items')).command).toBe('list_items');
    first.connection.close();

    const second = pageLoad(name);
    expect(await second.corrections.list('todo', 'chat')).toHaveLength(1);
    const b = await WorkflowSession.open({ workflow: todo, sessionId: 'chat', ...second });
    const out = await b.send('show item');
    expect(out).toMatchObject({ kind: OutputKind.Result, command: 'list_items', intent: { source: IntentSource.Correction } });
    second.connection.close();
  });

  it('refuses the turn of a tab that did not see the other tab’s save', async () => {
    const name = freshDbName();
    const tabA = pageLoad(name);
    const tabB = pageLoad(name);
    const a = await WorkflowSession.open({ workflow: todo, sessionId: 'chat', ...tabA });
    const b = await WorkflowSession.open({ workflow: todo, sessionId: 'chat', ...tabB, app: createTodoApp() });
    await a.send('open item 1');
    await expect(b.send('open item 2')).rejects.toMatchObject({ code: ErrorCode.SessionConflict });
    // A's state is intact; B reloads and continues from it.
    const reloaded = await WorkflowSession.open({ workflow: todo, sessionId: 'chat', ...tabB, app: b.app });
    expect((await reloaded.currentContext()).display).toBe('item #1 "buy milk"');
    expect((await reloaded.send('mark it as done')).success).toBe(true);
    tabA.connection.close();
    tabB.connection.close();
  });
});
