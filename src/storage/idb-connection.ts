import { openDB } from 'idb';
import { ErrorCode, FastWorkflowError } from '../errors.ts';
import { DB_VERSION, DEFAULT_DB_NAME, upgradeDatabase, type FwDatabase, type FwDbSchema } from './idb-schema.ts';

/**
 * Error code for "IndexedDB cannot be used here" (no `indexedDB` global, private mode, a sandboxed
 * frame, quota). ErrorCode has no storage code yet; this constant is the one place to change when it does.
 */
export const STORAGE_UNAVAILABLE = ErrorCode.StorageUnavailable;

/** What happened to the connection, for the UI (none of these is silent). */
export type ConnectionEvent =
  /** Our open waits: another tab still holds an older version of the database open. */
  | { type: 'blocked'; message: string }
  /** Another tab opened a newer version: this connection was closed; the page must be reloaded. */
  | { type: 'version_change'; message: string }
  /** The browser closed the connection (storage cleared, disk error); the next call reopens it. */
  | { type: 'terminated'; message: string };

export interface IdbConnectionOptions {
  /** Database name; default `fastworkflow`. */
  name?: string;
  /** Told about blocked / version_change / terminated. */
  onEvent?: (event: ConnectionEvent) => void;
}

/**
 * One lazily opened connection to the fastworkflow database, shared by the session and correction
 * stores. Uses only the `indexedDB` global (works in windows, workers, and Node with fake-indexeddb).
 */
export class IdbConnection {
  readonly name: string;
  private opening?: Promise<FwDatabase>;
  private db?: FwDatabase;
  private closedFor?: FastWorkflowError;
  private readonly listeners = new Set<(event: ConnectionEvent) => void>();

  constructor(options: IdbConnectionOptions = {}) {
    this.name = options.name ?? DEFAULT_DB_NAME;
    if (options.onEvent) this.listeners.add(options.onEvent);
  }

  /** Listen to connection events; returns the unsubscribe function. */
  subscribe(listener: (event: ConnectionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The open database (opened and upgraded on first use). */
  get(): Promise<FwDatabase> {
    if (this.closedFor) return Promise.reject(this.closedFor);
    if (this.db) return Promise.resolve(this.db);
    this.opening ??= this.open().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  /** Close for good (a later `get()` reopens). */
  close(): void {
    this.db?.close();
    this.db = undefined;
  }

  private async open(): Promise<FwDatabase> {
    if (typeof indexedDB === 'undefined') {
      throw new FastWorkflowError(STORAGE_UNAVAILABLE, 'IndexedDB is not available here, so the conversation cannot be saved. Pass a MemorySessionStore (or another SessionStore) instead.');
    }
    let db: FwDatabase;
    try {
      db = await openDB<FwDbSchema>(this.name, DB_VERSION, {
        upgrade: (database, oldVersion, _newVersion, tx) => {
          // Not awaited by idb: the versionchange transaction stays open while its requests run, and
          // a failing step aborts it, which rejects openDB.
          void upgradeDatabase(database, oldVersion, tx).catch((err) => {
            console.error('fastworkflow: IndexedDB upgrade failed', err);
            tx.abort();
          });
        },
        blocked: (currentVersion) =>
          this.emit({
            type: 'blocked',
            message: `Saving is waiting: another tab still has version ${currentVersion} of this app's database open. Close or reload the other tabs of this app.`,
          }),
        blocking: () => {
          // Another tab wants a newer schema: step aside so it can upgrade, and tell the UI.
          this.closedFor = new FastWorkflowError(ErrorCode.SessionConflict, 'This app was updated in another tab. Reload this page to continue (your conversation is saved).', { reason: 'version_change' });
          this.db?.close();
          this.db = undefined;
          this.emit({ type: 'version_change', message: this.closedFor.message });
        },
        terminated: () => {
          this.db = undefined;
          this.emit({ type: 'terminated', message: 'The browser closed the database connection; it will be reopened on the next save.' });
        },
      });
    } catch (err) {
      if (err instanceof FastWorkflowError) throw err;
      const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      throw new FastWorkflowError(STORAGE_UNAVAILABLE, `Could not open the IndexedDB database "${this.name}" (${reason}). Storage may be disabled (private mode, blocked cookies) or full.`, { reason });
    }
    this.db = db;
    return db;
  }

  private emit(event: ConnectionEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

const shared = new Map<string, IdbConnection>();

/** The page-wide connection for a database name (both default stores use it). */
export function sharedConnection(name: string = DEFAULT_DB_NAME): IdbConnection {
  let c = shared.get(name);
  if (!c) {
    c = new IdbConnection({ name });
    shared.set(name, c);
  }
  return c;
}
