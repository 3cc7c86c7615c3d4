/**
 * Where `<fw-llm-settings>` keeps its settings on this device (IndexedDB, its own database). The API key
 * is written only when the user ticked "remember on this device"; otherwise it lives in memory only.
 */
import { openDB } from 'idb';
import type { SessionMode } from '../src/index.ts';

export interface LlmSettings {
  mode: SessionMode;
  baseURL: string;
  model: string;
  /** In memory; stored only with `remember`. */
  apiKey?: string;
  remember: boolean;
}

export const LLM_SETTINGS_DB = 'fastworkflow-llm-settings';
const STORE = 'settings';
const KEY = 'current';

function db() {
  return openDB(LLM_SETTINGS_DB, 1, { upgrade: (d) => void d.createObjectStore(STORE) });
}

export async function loadLlmSettings(): Promise<LlmSettings | undefined> {
  if (typeof indexedDB === 'undefined') return undefined;
  try {
    return ((await (await db()).get(STORE, KEY)) as LlmSettings | undefined) ?? undefined;
  } catch {
    return undefined;
  }
}

export async function saveLlmSettings(settings: LlmSettings): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  const { apiKey, ...rest } = settings;
  const stored: LlmSettings = settings.remember && apiKey ? { ...rest, apiKey } : rest;
  try {
    await (await db()).put(STORE, stored, KEY);
  } catch {
    // Settings still apply for this page; they are just not remembered.
  }
}
