import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { DB_VERSION, IdbConnection, IdbCorrectionStore, IdbSessionStore, upgradeDatabase, type ConnectionEvent, type FwDbSchema } from '../../../src/idb.ts';
import { ErrorCode } from '../../../src/index.ts';
import { freshDbName, sampleState } from './helpers.ts';

describe('IndexedDB schema upgrades', () => {
  it('upgrades a version-1 database in place, keeping its sessions and corrections', async () => {
    const name = freshDbName();
    // A database as version 1 of the app left it: corrections without the normalised key.
    const v1 = await openDB<FwDbSchema>(name, 1, { upgrade: (db, old, _new, tx) => void upgradeDatabase(db, old, tx, 1) });
    await v1.put('sessions', sampleState());
    await (v1 as unknown as { put(store: string, value: unknown): Promise<unknown> }).put('corrections', {
      id: 'c1', workflow: 'todo', sessionId: 's1', context: 'TodoList', utterance: 'Show Item', command: 'list_items', source: 'ambiguity', at: 1,
    });
    expect([...v1.objectStoreNames].sort()).toEqual(['corrections', 'sessions']);
    v1.close();

    const connection = new IdbConnection({ name });
    const sessions = new IdbSessionStore({ connection });
    const corrections = new IdbCorrectionStore({ connection });
    expect(await sessions.load('s1')).toEqual(sampleState());
    expect((await corrections.find({ workflow: 'todo', sessionId: 's1', context: 'TodoList', utterance: 'show item' }))?.command).toBe('list_items');
    const db = await connection.get();
    expect(db.version).toBe(DB_VERSION);
    expect([...db.transaction('corrections').store.indexNames].sort()).toEqual(['by-phrase', 'by-scope', 'by-utterance']);
    expect([...db.transaction('sessions').store.indexNames].sort()).toEqual(['by-updated', 'by-workflow']);
    sessions.close();
    connection.close();
  });

  it('upgrades a version-2 database: its corrections are found by every session (device scope) and still by their own', async () => {
    const name = freshDbName();
    const v2 = await openDB<FwDbSchema>(name, 2, { upgrade: (db, old, _new, tx) => void upgradeDatabase(db, old, tx, 2) });
    await v2.put('corrections', { id: 'c1', workflow: 'todo', sessionId: 's1', context: 'TodoList', utterance: "What's pending", command: 'list_items', source: 'misunderstood', at: 1, key: "what's pending" });
    v2.close();

    const corrections = new IdbCorrectionStore({ connection: new IdbConnection({ name }) });
    expect((await corrections.find({ workflow: 'todo', sessionId: 's1', context: 'TodoList', utterance: "what's pending" }))?.id).toBe('c1');
    expect((await corrections.find({ workflow: 'todo', context: 'TodoList', utterance: "WHAT'S PENDING?" }))?.id).toBe('c1');
    expect(await corrections.find({ workflow: 'todo', sessionId: 's2', context: 'TodoList', utterance: "what's pending" })).toBeUndefined();
    corrections.connection.close();
  });

  it('steps aside when another tab opens a newer version, and says to reload', async () => {
    const name = freshDbName();
    const events: ConnectionEvent[] = [];
    const connection = new IdbConnection({ name, onEvent: (e) => events.push(e) });
    const sessions = new IdbSessionStore({ connection });
    await sessions.save(sampleState());
    // A newer app version in another tab.
    const newer = await openDB(name, DB_VERSION + 1);
    expect(events.map((e) => e.type)).toEqual(['version_change']);
    await expect(sessions.load('s1')).rejects.toMatchObject({ code: ErrorCode.SessionConflict, message: expect.stringMatching(/reload/i) });
    newer.close();
  });

  it('reports being blocked by an older tab that keeps the database open', async () => {
    const name = freshDbName();
    // An old tab at version 1 that ignores versionchange.
    const old = await openDB<FwDbSchema>(name, 1, { upgrade: (db, o, _n, tx) => void upgradeDatabase(db, o, tx, 1) });
    const events: ConnectionEvent[] = [];
    const connection = new IdbConnection({ name, onEvent: (e) => events.push(e) });
    const opened = connection.get();
    await new Promise((r) => setTimeout(r, 50));
    expect(events.map((e) => e.type)).toEqual(['blocked']);
    expect(events[0].message).toMatch(/other tabs/);
    old.close();
    expect((await opened).version).toBe(DB_VERSION);
    connection.close();
  });
});
