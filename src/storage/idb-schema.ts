import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { correctionKey, type Correction } from '../session/corrections.ts';
import type { StoredSessionState } from '../session/migrate.ts';

/** Default database name; pass another one to keep several apps (or tests) apart on one origin. */
export const DEFAULT_DB_NAME = 'fastworkflow';

/**
 * Schema version. Bump it and append a step to `UPGRADE_STEPS` — never edit a shipped step: a browser
 * may hold a database of any older version, and the steps run cumulatively from there.
 */
export const DB_VERSION = 3;

/** A correction as stored: plus the normalised utterance it is looked up by (added in version 2). */
export type StoredCorrection = Correction & { key: string };

/** The session state is stored whole (history included, bounded by MAX_HISTORY): one record, one atomic put. */
export type StoredSession = StoredSessionState;

/** The latest schema. Older versions are described by the upgrade steps below. */
export interface FwDbSchema extends DBSchema {
  sessions: {
    key: string;
    value: StoredSession;
    indexes: { 'by-workflow': string; 'by-updated': number };
  };
  corrections: {
    key: string;
    value: StoredCorrection;
    indexes: {
      /** [workflow, sessionId, context] */
      'by-scope': [string, string, string];
      /** [workflow, sessionId, context, normalised utterance] */
      'by-utterance': [string, string, string, string];
      /** [workflow, context, normalised utterance]: device-scope look-ups (added in version 3) */
      'by-phrase': [string, string, string];
    };
  };
}

export type FwDatabase = IDBPDatabase<FwDbSchema>;
type UpgradeTx = IDBPTransaction<FwDbSchema, StoreNames<FwDbSchema>[], 'versionchange'>;

/**
 * `UPGRADE_STEPS[n - 1]` brings a database from version n-1 to version n. Steps may only await IDB
 * requests of the upgrade transaction.
 */
export const UPGRADE_STEPS: readonly ((db: FwDatabase, tx: UpgradeTx) => Promise<void> | void)[] = [
  // 1: sessions by id; corrections by id with an index by [workflow, sessionId, context].
  (db) => {
    db.createObjectStore('sessions', { keyPath: 'id' });
    const corrections = db.createObjectStore('corrections', { keyPath: 'id' });
    corrections.createIndex('by-scope', ['workflow', 'sessionId', 'context']);
  },
  // 2: corrections are found by their normalised utterance (an index instead of a scan); sessions
  //    can be listed by workflow and by recency. Existing corrections get their key.
  async (_db, tx) => {
    const sessions = tx.objectStore('sessions');
    sessions.createIndex('by-workflow', 'workflow');
    sessions.createIndex('by-updated', 'updatedAt');
    const corrections = tx.objectStore('corrections');
    corrections.createIndex('by-utterance', ['workflow', 'sessionId', 'context', 'key']);
    for (let cursor = await corrections.openCursor(); cursor; cursor = await cursor.continue()) {
      await cursor.update({ ...cursor.value, key: correctionKey(cursor.value.utterance) });
    }
  },
  // 3: corrections can be shared by every session of a workflow (device scope): found by
  //    [workflow, context, key] whatever session made them. Existing records already have all three.
  (_db, tx) => {
    tx.objectStore('corrections').createIndex('by-phrase', ['workflow', 'context', 'key']);
  },
];

/** Run the steps from `oldVersion` up to `newVersion` (default: the latest). */
export async function upgradeDatabase(db: FwDatabase, oldVersion: number, tx: UpgradeTx, newVersion: number = DB_VERSION): Promise<void> {
  if (UPGRADE_STEPS.length !== DB_VERSION) throw new Error(`fastworkflow IndexedDB: DB_VERSION is ${DB_VERSION} but there are ${UPGRADE_STEPS.length} upgrade steps.`);
  for (let version = oldVersion + 1; version <= newVersion; version++) {
    await UPGRADE_STEPS[version - 1](db, tx);
  }
}
