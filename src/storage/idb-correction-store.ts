import { throwIfAborted } from '../errors.ts';
import { correctionKey, type Correction, type CorrectionQuery, type CorrectionStore } from '../session/corrections.ts';
import { sharedConnection, type IdbConnection } from './idb-connection.ts';
import type { StoredCorrection } from './idb-schema.ts';
import type { IdbStoreOptions } from './idb-session-store.ts';

/**
 * Corrections ("this phrase, here, meant that command") in IndexedDB. One correction per
 * [workflow, session, context, normalised utterance]: recording again replaces it.
 */
export class IdbCorrectionStore implements CorrectionStore {
  readonly connection: IdbConnection;

  constructor(options: IdbStoreOptions = {}) {
    this.connection = options.connection ?? sharedConnection(options.name);
  }

  async record(correction: Correction): Promise<void> {
    const db = await this.connection.get();
    const key = correctionKey(correction.utterance);
    const tx = db.transaction('corrections', 'readwrite');
    const index = tx.store.index('by-utterance');
    const earlier = await index.getAllKeys([correction.workflow, correction.sessionId, correction.context, key]);
    for (const id of earlier) await tx.store.delete(id);
    await tx.store.put({ ...correction, key });
    await tx.done;
  }

  async find(q: CorrectionQuery): Promise<Correction | undefined> {
    const db = await this.connection.get();
    const found = await db.getAllFromIndex('corrections', 'by-utterance', [q.workflow, q.sessionId, q.context, correctionKey(q.utterance)]);
    const latest = found.sort((a, b) => a.at - b.at).at(-1);
    return latest && plain(latest);
  }

  /** A workflow's corrections (of one session, if given), oldest first. */
  async list(workflow: string, sessionId?: string): Promise<Correction[]> {
    const db = await this.connection.get();
    // Array keys sort after every string, so [w, s] … [w, s, []] spans all contexts of one session.
    const range = sessionId === undefined ? IDBKeyRange.bound([workflow], [workflow, []]) : IDBKeyRange.bound([workflow, sessionId], [workflow, sessionId, []]);
    const found = await db.getAllFromIndex('corrections', 'by-scope', range);
    return found.sort((a, b) => a.at - b.at).map(plain);
  }

  async remove(id: string): Promise<void> {
    const db = await this.connection.get();
    await db.delete('corrections', id);
  }

  /** Remove every correction of one session (e.g. when the conversation is cleared). */
  async clearSession(workflow: string, sessionId: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    throwIfAborted(options.signal);
    const db = await this.connection.get();
    const tx = db.transaction('corrections', 'readwrite');
    const ids = await tx.store.index('by-scope').getAllKeys(IDBKeyRange.bound([workflow, sessionId], [workflow, sessionId, []]));
    for (const id of ids) await tx.store.delete(id);
    await tx.done;
  }
}

function plain({ key: _key, ...correction }: StoredCorrection): Correction {
  return correction;
}
