import { ErrorCode, FastWorkflowError } from '../errors.ts';
import { extractWithLlm } from '../llm/extract-with-llm.ts';
import type { FieldProblem } from '../params/validate.ts';
import { toInputJsonSchema } from '../schema/field-info.ts';
import type { ResolvedCommand } from '../workflow/compile.ts';
import type { TurnRuntime } from './runtime.ts';

/** How many earlier turns the extraction LLM sees. */
const RECENT_TURNS = 6;

export type LlmFill = { kind: 'values'; values: Record<string, unknown> } | { kind: 'none' } | { kind: 'failed'; message: string };

/**
 * After the deterministic pass left fields missing or invalid: ask the extraction LLM (when one is
 * configured) for just those fields, with the values already valid (deterministic or confident tagger
 * values) given as understood. Its values go back through the same gate; a fault is reported,
 * never fatal (the user is asked as without an LLM).
 */
export async function fillWithLlm<App>(rt: TurnRuntime<App>, cmd: ResolvedCommand, problems: readonly FieldProblem[], utterance: string, signal: AbortSignal, given: Record<string, unknown> = {}): Promise<LlmFill> {
  const client = rt.llm.extraction;
  const wanted = [...new Set(problems.map((p) => p.field).filter((f): f is string => !!f))];
  if (!client || !cmd.definition.input || wanted.length === 0 || !utterance.trim()) return { kind: 'none' };
  const recent = rt.st.history.slice(-RECENT_TURNS).map((h) => ({ role: h.role, text: h.text }));
  try {
    const values = await extractWithLlm(client, {
      command: cmd.name,
      description: cmd.definition.description,
      input: toInputJsonSchema(cmd.definition.input),
      fields: cmd.fields,
      wanted,
      utterance,
      given: Object.fromEntries(Object.entries(given).filter(([k]) => !wanted.includes(k))),
      recent,
      signal,
    });
    return Object.keys(values).length ? { kind: 'values', values } : { kind: 'none' };
  } catch (err) {
    if (err instanceof FastWorkflowError && err.code === ErrorCode.LlmFailed) return { kind: 'failed', message: err.message };
    throw err;
  }
}
