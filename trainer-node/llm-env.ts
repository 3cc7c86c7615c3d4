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

/**
 * The LLM config, or undefined when no model is named (an OPENAI_API_KEY alone does not turn LLM use
 * on). `required` (e.g. `--agent`): a missing model or endpoint is an error saying what to set.
 */
export function llmConfigFromEnv(env: NodeJS.ProcessEnv = process.env, flags: LlmFlags = {}, required = false): LlmConfig | undefined {
  const explicitURL = flags.baseURL ?? env.FASTWORKFLOW_LLM_BASE_URL ?? env.OPENAI_BASE_URL;
  const apiKey = env.FASTWORKFLOW_LLM_API_KEY ?? env.OPENAI_API_KEY;
  const model = flags.model ?? env.FASTWORKFLOW_LLM_MODEL;
  if (!model || (!explicitURL && !apiKey)) {
    if (!required) return undefined;
    throw new FastWorkflowError(
      ErrorCode.InvalidWorkflow,
      `No LLM is configured${model ? '' : ' (no model)'}: set FASTWORKFLOW_LLM_MODEL and FASTWORKFLOW_LLM_BASE_URL (a proxy) or FASTWORKFLOW_LLM_API_KEY, or pass --llm-model / --llm-base-url.`,
    );
  }
  const timeout = flags.timeoutMs ?? (env.FASTWORKFLOW_LLM_TIMEOUT_MS ? Number(env.FASTWORKFLOW_LLM_TIMEOUT_MS) : undefined);
  return {
    baseURL: explicitURL ?? OPENAI_DEFAULT_BASE_URL,
    model,
    ...(apiKey ? { apiKey } : {}),
    ...(timeout && Number.isFinite(timeout) ? { timeoutMs: timeout } : {}),
  };
}
