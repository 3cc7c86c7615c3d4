import { throwIfAborted } from '../errors.ts';
import { correctionKey, samePhrase, type Correction, type CorrectionChange, type CorrectionQuery, type CorrectionScope, type CorrectionStore } from '../session/corrections.ts';
import { CorrectionChangeChannel } from './correction-channel.ts';
import { sharedConnection, type IdbConnection } from './idb-connection.ts';
import type { StoredCorrection } from './idb-schema.ts';
import type { IdbStoreOptions } from './idb-session-store.ts';

/**
 * Corrections ("this phrase, here, meant that command") in IndexedDB. One correction per
 * [workflow, session, context, normalised utterance] — per [workflow, context, utterance] when recorded
 * with device scope: recording again replaces it. Every change is announced to the other tabs
 * (BroadcastChannel), so a device-scope correction reaches an open tab at once.
 */
export class IdbCorrectionStore implements CorrectionStore {
  readonly connection: IdbConnection;
  private readonly channel: CorrectionChangeChannel;

  constructor(options: IdbStoreOptions = {}) {
    this.connection = options.connection ?? sharedConnection(options.name);
    this.channel = new CorrectionChangeChannel(`fastworkflow:${this.connection.name}:corrections`);
  }

  async record(correction: Correction, options: { scope?: CorrectionScope } = {}): Promise<void> {
    const scope = options.scope ?? 'session';
    const db = await this.connection.get();
    const key = correctionKey(correction.utterance);
    const tx = db.transaction('corrections', 'readwrite');
    const earlier = await tx.store.index('by-phrase').getAll([correction.workflow, correction.context, key]);
    for (const e of earlier) if (samePhrase(plain(e), correction, scope)) await tx.store.delete(e.id);
    await tx.store.put({ ...correction, key });
    await tx.done;
    this.channel.post({ type: 'recorded', correction: { ...correction } });
  }

  async find(q: CorrectionQuery): Promise<Correction | undefined> {
    const db = await this.connection.get();
    const key = correctionKey(q.utterance);
    const found =
      q.sessionId === undefined
        ? await db.getAllFromIndex('corrections', 'by-phrase', [q.workflow, q.context, key])
        : await db.getAllFromIndex('corrections', 'by-utterance', [q.workflow, q.sessionId, q.context, key]);
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

  async remove(id: string): Promise<Correction | undefined> {
    const db = await this.connection.get();
    const tx = db.transaction('corrections', 'readwrite');
    const stored = await tx.store.get(id);
    if (stored) await tx.store.delete(id);
    await tx.done;
    if (!stored) return undefined;
    const correction = plain(stored);
    this.channel.post({ type: 'removed', correction });
    return correction;
  }

  /** Changes by this store and by other tabs on the same database. */
  subscribe(listener: (change: CorrectionChange) => void): () => void {
    return this.channel.subscribe(listener);
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
