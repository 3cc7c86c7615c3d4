/**
 * IndexedDB session store.
 *
 * Concurrency — two tabs on one session: optimistic, not locked. Every save carries the state's
 * `revision` (the engine increments it before each save). `save()` reads the stored record and writes
 * the new one in ONE readwrite transaction, and refuses with `session_conflict` when the stored revision
 * is not older than the one being saved — i.e. another tab saved after this tab last loaded. Nothing is
 * merged: the refused tab reloads the session and the user repeats the message. To make that rare, every
 * successful save and delete is announced on a BroadcastChannel (`subscribe()`), and listeners (the
 * `<fw-chat>` element) reload the session as soon as another tab changed it. We chose this over Web Locks
 * because a lock would serialise tabs without keeping the loser's in-memory state fresh; the revision check
 * is what guarantees no write is lost, the broadcast only keeps tabs in step.
 *
 * History is stored inside the session record (bounded by MAX_HISTORY), so a turn is one atomic put.
 * Uses only IndexedDB and BroadcastChannel (windows, workers, Node with fake-indexeddb).
 */
import { ErrorCode, FastWorkflowError, throwIfAborted } from '../errors.ts';
import type { StoredSessionState } from '../session/migrate.ts';
import type { SessionState } from '../session/state.ts';
import type { SessionStore, StoreOptions } from '../session/store.ts';
import { IdbConnection, sharedConnection } from './idb-connection.ts';
import { SessionChangeChannel, type SessionChangeListener } from './session-channel.ts';

export interface IdbStoreOptions {
  /** Database name (default `fastworkflow`); ignored when `connection` is given. */
  name?: string;
  /** Share one connection between stores (default: the page-wide one for `name`). */
  connection?: IdbConnection;
}

/** A session store whose changes can be observed (another tab saved, a session was deleted). */
export interface ObservableSessionStore extends SessionStore {
  subscribe(listener: SessionChangeListener): () => void;
}

export function isObservableStore(store: SessionStore | undefined): store is ObservableSessionStore {
  return !!store && typeof (store as Partial<ObservableSessionStore>).subscribe === 'function';
}

export class IdbSessionStore implements ObservableSessionStore {
  readonly connection: IdbConnection;
  private readonly channel: SessionChangeChannel;
  private readonly source = Math.random().toString(36).slice(2);

  constructor(options: IdbStoreOptions = {}) {
    this.connection = options.connection ?? sharedConnection(options.name);
    this.channel = new SessionChangeChannel(`fastworkflow:${this.connection.name}:sessions`);
  }

  async load(sessionId: string, options: StoreOptions = {}): Promise<StoredSessionState | undefined> {
    throwIfAborted(options.signal);
    const db = await this.connection.get();
    return db.get('sessions', sessionId);
  }

  async save(state: SessionState, options: StoreOptions = {}): Promise<void> {
    throwIfAborted(options.signal);
    const db = await this.connection.get();
    const tx = db.transaction('sessions', 'readwrite');
    const stored = await tx.store.get(state.id);
    if (stored && stored.revision >= state.revision) {
      tx.abort();
      await tx.done.catch(() => undefined);
      throw new FastWorkflowError(
        ErrorCode.SessionConflict,
        `Session "${state.id}" was changed elsewhere (another tab saved revision ${stored.revision}; this one has ${state.revision - 1}). Reload the session and repeat your last message.`,
        { reason: 'concurrent_save', sessionId: state.id, storedRevision: stored.revision, revision: state.revision },
      );
    }
    await tx.store.put(state);
    await tx.done;
    this.channel.post({ type: 'saved', sessionId: state.id, revision: state.revision, source: this.source });
  }

  async delete(sessionId: string, options: StoreOptions = {}): Promise<void> {
    throwIfAborted(options.signal);
    const db = await this.connection.get();
    await db.delete('sessions', sessionId);
    this.channel.post({ type: 'deleted', sessionId, source: this.source });
  }

  /** Session ids, most recently updated first. */
  async list(options: StoreOptions = {}): Promise<string[]> {
    throwIfAborted(options.signal);
    const db = await this.connection.get();
    const keys = await db.getAllKeysFromIndex('sessions', 'by-updated');
    return keys.reverse();
  }

  /** Ids of the sessions of one workflow. */
  async listByWorkflow(workflow: string, options: StoreOptions = {}): Promise<string[]> {
    throwIfAborted(options.signal);
    const db = await this.connection.get();
    return db.getAllKeysFromIndex('sessions', 'by-workflow', workflow);
  }

  /** Hear about saves and deletes, from this tab and others. */
  subscribe(listener: SessionChangeListener): () => void {
    return this.channel.subscribe(listener);
  }

  /** Stop listening to other tabs (the connection stays shared; close it with `connection.close()`). */
  close(): void {
    this.channel.close();
  }
}
