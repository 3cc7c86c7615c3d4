import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { IdbSessionStore, type SessionChange } from '../../../src/idb.ts';
import { ErrorCode, FastWorkflowError } from '../../../src/index.ts';
import { freshDbName, sampleState, tab, until } from './helpers.ts';

const open: IdbSessionStore[] = [];
function store(name: string): IdbSessionStore {
  const s = new IdbSessionStore({ connection: tab(name) });
  open.push(s);
  return s;
}
afterEach(() => {
  for (const s of open.splice(0)) {
    s.close();
    s.connection.close();
  }
});

describe('IdbSessionStore', () => {
  it('round-trips a session state (history and context refs included)', async () => {
    const s = store(freshDbName());
    const state = sampleState({
      conversation: {
        stage: 'asking_parameters',
        pending: { command: 'rename_item', target: { context: 'TodoItem', key: '2' }, values: {}, asked: ['title'], utterance: 'rename' },
        question: { type: 'parameters', command: 'rename_item', fields: [], problems: [{ field: 'title', code: 'missing', message: 'title is missing' }], values: {}, inputSchema: { type: 'object', properties: {} } },
      },
    });
    await s.save(state);
    expect(await s.load('s1')).toEqual(state);
    expect(await s.load('missing')).toBeUndefined();
  });

  it('lists sessions most recent first and deletes them', async () => {
    const s = store(freshDbName());
    await s.save(sampleState({ id: 'old', updatedAt: 10 }));
    await s.save(sampleState({ id: 'new', updatedAt: 20 }));
    await s.save(sampleState({ id: 'other', workflow: 'messaging', updatedAt: 15 }));
    expect(await s.list()).toEqual(['new', 'other', 'old']);
    expect((await s.listByWorkflow('todo')).sort()).toEqual(['new', 'old']);
    await s.delete('old');
    expect(await s.list()).toEqual(['new', 'other']);
  });

  it('refuses a save whose predecessor is older than the stored revision (two tabs)', async () => {
    const name = freshDbName();
    const tabA = store(name);
    const tabB = store(name);
    await tabA.save(sampleState({ revision: 1 }));
    // Both tabs loaded revision 1; A saves 2 first.
    await tabA.save(sampleState({ revision: 2, history: [] }));
    const err = await tabB.save(sampleState({ revision: 2 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FastWorkflowError);
    expect((err as FastWorkflowError).code).toBe(ErrorCode.SessionConflict);
    expect((err as FastWorkflowError).message).toMatch(/reload/i);
    // Nothing of B's was written.
    expect((await tabB.load('s1'))!.history).toEqual([]);
    // After reloading (revision 2), B's next save goes through.
    await tabB.save(sampleState({ revision: 3 }));
    expect((await tabA.load('s1'))!.revision).toBe(3);
  });

  it('also refuses a stale save of the same revision from the same tab', async () => {
    const s = store(freshDbName());
    await s.save(sampleState({ revision: 5 }));
    await expect(s.save(sampleState({ revision: 5 }))).rejects.toMatchObject({ code: ErrorCode.SessionConflict });
    await expect(s.save(sampleState({ revision: 4 }))).rejects.toMatchObject({ code: ErrorCode.SessionConflict });
  });

  it('tells other tabs (BroadcastChannel) and local listeners that a session changed', async () => {
    const name = freshDbName();
    const tabA = store(name);
    const tabB = store(name);
    const seenByB: SessionChange[] = [];
    const seenByA: SessionChange[] = [];
    tabB.subscribe((c) => seenByB.push(c));
    tabA.subscribe((c) => seenByA.push(c));
    await tabA.save(sampleState({ revision: 7 }));
    await until(() => seenByB.length === 1);
    expect(seenByB[0]).toMatchObject({ type: 'saved', sessionId: 's1', revision: 7 });
    expect(seenByA).toHaveLength(1);
    await tabA.delete('s1');
    await until(() => seenByB.length === 2);
    expect(seenByB[1]).toMatchObject({ type: 'deleted', sessionId: 's1' });
  });

  it('honours an aborted signal', async () => {
    const s = store(freshDbName());
    const ac = new AbortController();
    ac.abort();
    await expect(s.load('s1', { signal: ac.signal })).rejects.toMatchObject({ code: ErrorCode.Aborted });
  });
});
