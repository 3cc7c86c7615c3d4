import type { StoredSessionState } from './migrate.ts';
import type { SessionState } from './state.ts';

export interface StoreOptions {
  signal?: AbortSignal;
}

/** Where session state lives: memory here, IndexedDB in the browser, anything else behind this. */
export interface SessionStore {
  /** As stored: possibly an earlier version of the state (the session migrates it). */
  load(sessionId: string, options?: StoreOptions): Promise<StoredSessionState | undefined>;
  /** Save; a store may reject with `session_conflict` when another writer saved a newer revision. */
  save(state: SessionState, options?: StoreOptions): Promise<void>;
  delete(sessionId: string, options?: StoreOptions): Promise<void>;
  list(options?: StoreOptions): Promise<string[]>;
}

/** In-memory store (tests, the terminal runner, pages that need no persistence). */
export class MemorySessionStore implements SessionStore {
  private readonly states = new Map<string, StoredSessionState>();

  async load(sessionId: string): Promise<StoredSessionState | undefined> {
    const s = this.states.get(sessionId);
    return s ? structuredClone(s) : undefined;
  }

  async save(state: StoredSessionState): Promise<void> {
    this.states.set(state.id, structuredClone(state));
  }

  async delete(sessionId: string): Promise<void> {
    this.states.delete(sessionId);
  }

  async list(): Promise<string[]> {
    return [...this.states.keys()];
  }
}
