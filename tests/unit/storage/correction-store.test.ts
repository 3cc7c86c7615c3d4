import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { IdbCorrectionStore } from '../../../src/idb.ts';
import type { Correction, CorrectionChange } from '../../../src/index.ts';
import { freshDbName, tab, until } from './helpers.ts';

function correction(over: Partial<Correction>): Correction {
  return { id: 'c1', workflow: 'todo', sessionId: 's1', context: 'TodoList', utterance: 'show item', command: 'list_items', source: 'ambiguity', at: 1, ...over };
}

describe('IdbCorrectionStore', () => {
  it('finds a correction by its normalised utterance, in its scope only', async () => {
    const c = new IdbCorrectionStore({ connection: tab(freshDbName()) });
    await c.record(correction({}));
    expect(await c.find({ workflow: 'todo', sessionId: 's1', context: 'TodoList', utterance: '  Show   ITEM ' })).toEqual(correction({}));
    expect(await c.find({ workflow: 'todo', sessionId: 's1', context: 'TodoItem', utterance: 'show item' })).toBeUndefined();
    expect(await c.find({ workflow: 'todo', sessionId: 's2', context: 'TodoList', utterance: 'show item' })).toBeUndefined();
    expect(await c.find({ workflow: 'messaging', sessionId: 's1', context: 'TodoList', utterance: 'show item' })).toBeUndefined();
  });

  it('replaces an earlier correction of the same phrase', async () => {
    const c = new IdbCorrectionStore({ connection: tab(freshDbName()) });
    await c.record(correction({ id: 'a', command: 'list_items', at: 1 }));
    await c.record(correction({ id: 'b', utterance: 'show  item', command: 'open_item', at: 2 }));
    expect((await c.find({ workflow: 'todo', sessionId: 's1', context: 'TodoList', utterance: 'show item' }))?.command).toBe('open_item');
    expect((await c.list('todo')).map((x) => x.id)).toEqual(['b']);
  });

  it('lists by workflow and session (oldest first) and removes by id', async () => {
    const c = new IdbCorrectionStore({ connection: tab(freshDbName()) });
    await c.record(correction({ id: 'x3', utterance: 'three', at: 3, context: 'TodoItem' }));
    await c.record(correction({ id: 'x1', utterance: 'one', at: 1 }));
    await c.record(correction({ id: 'x2', utterance: 'two', at: 2, sessionId: 's2' }));
    await c.record(correction({ id: 'm1', utterance: 'one', at: 4, workflow: 'messaging' }));
    expect((await c.list('todo')).map((x) => x.id)).toEqual(['x1', 'x2', 'x3']);
    expect((await c.list('todo', 's1')).map((x) => x.id)).toEqual(['x1', 'x3']);
    expect((await c.list('todo', 's2')).map((x) => x.id)).toEqual(['x2']);
    expect((await c.list('messaging')).map((x) => x.id)).toEqual(['m1']);
    await c.remove('x1');
    expect((await c.list('todo', 's1')).map((x) => x.id)).toEqual(['x3']);
    await c.clearSession('todo', 's1');
    expect((await c.list('todo')).map((x) => x.id)).toEqual(['x2']);
  });

  it('device scope: finds a correction of any session, and recording replaces the same phrase of every session', async () => {
    const c = new IdbCorrectionStore({ connection: tab(freshDbName()) });
    await c.record(correction({ id: 'a', sessionId: 's1', at: 1 }));
    expect((await c.find({ workflow: 'todo', context: 'TodoList', utterance: 'Show item!' }))?.id).toBe('a');
    await c.record(correction({ id: 'b', sessionId: 's2', command: 'open_item', at: 2 }), { scope: 'session' });
    expect((await c.list('todo')).map((x) => x.id)).toEqual(['a', 'b']);
    expect((await c.find({ workflow: 'todo', context: 'TodoList', utterance: 'show item' }))?.id).toBe('b'); // the latest
    await c.record(correction({ id: 'd', sessionId: 's3', at: 3 }), { scope: 'device' });
    expect((await c.list('todo')).map((x) => x.id)).toEqual(['d']);
    expect(await c.remove('d')).toMatchObject({ id: 'd', utterance: 'show item' });
    expect(await c.remove('d')).toBeUndefined();
  });

  it('tells other tabs (other store instances on the database) what was recorded and removed', async () => {
    const name = freshDbName();
    const a = new IdbCorrectionStore({ connection: tab(name) });
    const b = new IdbCorrectionStore({ connection: tab(name) });
    const heard: CorrectionChange[] = [];
    const off = b.subscribe((change) => heard.push(change));
    await a.record(correction({ id: 'x' }));
    await a.remove('x');
    await until(() => heard.length === 2);
    expect(heard.map((h) => [h.type, h.correction.id])).toEqual([
      ['recorded', 'x'],
      ['removed', 'x'],
    ]);
    off();
  });
});
