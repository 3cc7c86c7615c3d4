import type { SessionOptions } from '../src/index.ts';
import type { OpenAILoader } from '../src/llm/client.ts';
import type { LlmSettings } from './llm-settings-store.ts';

export type { LlmSettings };

/** Settings from `<fw-llm-settings>` → the session's LLM options (both roles on one endpoint). */
export function llmSessionOptions(settings: LlmSettings | undefined, loadOpenAI: OpenAILoader | undefined): Pick<SessionOptions<unknown>, 'llm' | 'mode' | 'loadOpenAI'> {
  if (!settings?.baseURL || !settings.model) return {};
  // The openai client wants an absolute URL (a proxy path like /llm/v1 is resolved against the page).
  const baseURL = new URL(settings.baseURL, globalThis.location?.href).href;
  const config = { baseURL, model: settings.model, ...(settings.apiKey ? { apiKey: settings.apiKey } : {}) };
  return { llm: { extraction: config, agent: config }, mode: settings.mode, ...(loadOpenAI ? { loadOpenAI } : {}) };
}
