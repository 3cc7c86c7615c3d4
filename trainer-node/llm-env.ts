/**
 * LLM configuration in Node: flags first, then FASTWORKFLOW_LLM_BASE_URL / _API_KEY / _MODEL, falling
 * back to OPENAI_BASE_URL / OPENAI_API_KEY. No base URL and no key → no LLM (everything deterministic).
 */
import { ErrorCode, FastWorkflowError } from '../src/errors.ts';
import type { LlmConfig } from '../src/llm/config.ts';

export interface LlmFlags {
  baseURL?: string;
  model?: string;
  timeoutMs?: number;
}

const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export function llmConfigFromEnv(env: NodeJS.ProcessEnv = process.env, flags: LlmFlags = {}): LlmConfig | undefined {
  const explicitURL = flags.baseURL ?? env.FASTWORKFLOW_LLM_BASE_URL ?? env.OPENAI_BASE_URL;
  const apiKey = env.FASTWORKFLOW_LLM_API_KEY ?? env.OPENAI_API_KEY;
  if (!explicitURL && !apiKey) return undefined;
  const model = flags.model ?? env.FASTWORKFLOW_LLM_MODEL;
  if (!model) {
    throw new FastWorkflowError(ErrorCode.InvalidWorkflow, 'An LLM endpoint is configured but no model: set FASTWORKFLOW_LLM_MODEL (or pass --llm-model).');
  }
  const timeout = flags.timeoutMs ?? (env.FASTWORKFLOW_LLM_TIMEOUT_MS ? Number(env.FASTWORKFLOW_LLM_TIMEOUT_MS) : undefined);
  return {
    baseURL: explicitURL ?? OPENAI_DEFAULT_BASE_URL,
    model,
    ...(apiKey ? { apiKey } : {}),
    ...(timeout && Number.isFinite(timeout) ? { timeoutMs: timeout } : {}),
  };
}
