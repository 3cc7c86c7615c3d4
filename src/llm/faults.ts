import { ErrorCode, FastWorkflowError, type LlmFault } from '../errors.ts';

export function llmError(reason: LlmFault, message: string, status?: number): FastWorkflowError {
  return new FastWorkflowError(ErrorCode.LlmFailed, message, { reason, ...(status !== undefined ? { status } : {}) });
}

/** A JSON object from a model's text (structured output or tool arguments); a fault otherwise. */
export function parseJsonObject(text: string | null, reason: 'malformed_json' | 'bad_arguments', what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    throw llmError(reason, `${what} is not valid JSON.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw llmError(reason, `${what} is not a JSON object.`);
  return value as Record<string, unknown>;
}
