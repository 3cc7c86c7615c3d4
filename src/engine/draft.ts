import type { FwErrorData } from '../errors.ts';
import { OutputKind, response, type CommandOutput } from './output.ts';

/** The part of an output a turn step decides; the session fills in the rest. */
export type Draft = Omit<CommandOutput, 'workflow' | 'context' | 'contextDisplay' | 'contextChanged' | 'timingMs' | 'text'>;

/** A reply that is not a command result: built-ins, hints, cancellations. */
export function info(text: string, success = true, command?: string): Draft {
  return { kind: OutputKind.Info, success, responses: [response(text, success)], ...(command ? { command } : {}) };
}

export function errorDraft(error: FwErrorData): Draft {
  return { kind: OutputKind.Error, success: false, error, responses: [response(error.message, false)] };
}

/** Put a line before a draft's responses (e.g. "left the question about …"). */
export function prefixed(draft: Draft, text: string, success: boolean): Draft {
  return { ...draft, responses: [response(text, success), ...draft.responses] };
}
