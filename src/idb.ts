/**
 * fastworkflow-web/idb: IndexedDB persistence for sessions and corrections (browser, worker, or Node with
 * fake-indexeddb). Kept out of the main entry so Node users do not pull in `idb`.
 */
export { DB_VERSION, DEFAULT_DB_NAME, UPGRADE_STEPS, upgradeDatabase, type FwDatabase, type FwDbSchema, type StoredCorrection, type StoredSession } from './storage/idb-schema.ts';
export { IdbConnection, sharedConnection, STORAGE_UNAVAILABLE, type ConnectionEvent, type IdbConnectionOptions } from './storage/idb-connection.ts';
export { SessionChangeChannel, type SessionChange, type SessionChangeListener } from './storage/session-channel.ts';
export { IdbSessionStore, isObservableStore, type IdbStoreOptions, type ObservableSessionStore } from './storage/idb-session-store.ts';
export { IdbCorrectionStore } from './storage/idb-correction-store.ts';
export { CorrectionChangeChannel } from './storage/correction-channel.ts';
