/** Where an LLM role sends its requests: any OpenAI-compatible `chat/completions` endpoint. */
export interface LlmConfig {
  /** Absolute base URL, such as `https://api.openai.com/v1` or a team proxy `https://example.org/llm/v1`. */
  baseURL: string;
  model: string;
  /** Sent only to `baseURL`; leave it out behind a proxy that adds the key. Never logged or stored. */
  apiKey?: string;
  /** Extra request headers (e.g. a proxy's auth header). */
  headers?: Record<string, string>;
  /** Per-attempt timeout; default 30 s. */
  timeoutMs?: number;
  /** Retries of a timeout, 429 or 5xx, with exponential backoff; default 2. */
  maxRetries?: number;
}

/** One config per role; a role without one is off (the deterministic path is used). */
export interface LlmRoles {
  /** Fills required parameters the deterministic extractor missed. */
  extraction?: LlmConfig;
  /** Drives agent mode (tool calls). */
  agent?: LlmConfig;
  /** Writes paraphrases of the seed utterances for training (`fastworkflow train --llm`). */
  paraphrases?: LlmConfig;
}

export const DEFAULT_LLM_TIMEOUT_MS = 30_000;
export const DEFAULT_LLM_RETRIES = 2;

/** The host a config talks to, for messages (never the key). */
export function llmHost(config: LlmConfig): string {
  try {
    return new URL(config.baseURL).host;
  } catch {
    return config.baseURL;
  }
}
