import { IdbCorrectionStore, IdbSessionStore } from '../src/idb.ts';
import { MemoryCorrectionStore, MemorySessionStore, type CorrectionStore, type SessionStore } from '../src/index.ts';

let defaults: { store: SessionStore; corrections: CorrectionStore } | undefined;

/** The page-wide default stores: IndexedDB when there is one, memory otherwise (nothing survives a reload). */
export function defaultStores(): { store: SessionStore; corrections: CorrectionStore; persistent: boolean } {
  const persistent = typeof indexedDB !== 'undefined';
  defaults ??= persistent ? { store: new IdbSessionStore(), corrections: new IdbCorrectionStore() } : { store: new MemorySessionStore(), corrections: new MemoryCorrectionStore() };
  return { ...defaults, persistent };
}
