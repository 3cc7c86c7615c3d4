/**
 * Typed, plain-data errors. Every error the library raises is one member of the `FwErrorData` union:
 * a `code`, a message that says what to do next, and exactly the fields of that code (as zod's issues
 * are). `toJSON()` gives the plain data, which survives postMessage and storage.
 */
import type { IssueSummary } from './schema/zod-issues.ts';

export const ErrorCode = {
  InvalidWorkflow: 'invalid_workflow',
  InheritanceCycle: 'inheritance_cycle',
  UnknownContext: 'unknown_context',
  UnknownCommand: 'unknown_command',
  InvalidParameters: 'invalid_parameters',
  HandlerFailed: 'handler_failed',
  InvalidOutput: 'invalid_output',
  SessionConflict: 'session_conflict',
  ClassifierFailed: 'classifier_failed',
  Aborted: 'aborted',
  BundleInvalid: 'bundle_invalid',
  ModelInvalid: 'model_invalid',
  StorageUnavailable: 'storage_unavailable',
  MissingPackage: 'missing_package',
  MessageTooLong: 'message_too_long',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Why a session could not be saved or used: another tab saved first, or the app was updated. */
export type SessionConflict =
  | { code: typeof ErrorCode.SessionConflict; message: string; reason: 'concurrent_save'; sessionId: string; storedRevision: number; revision: number }
  | { code: typeof ErrorCode.SessionConflict; message: string; reason: 'version_change' }
  | { code: typeof ErrorCode.SessionConflict; message: string; reason: 'connection_event'; event: 'blocked' | 'version_change' | 'terminated' };

export type FwErrorData =
  | { code: typeof ErrorCode.InvalidWorkflow; message: string }
  | { code: typeof ErrorCode.InheritanceCycle; message: string; cycle: string[] }
  | { code: typeof ErrorCode.UnknownContext; message: string; context: string }
  | { code: typeof ErrorCode.UnknownCommand; message: string; commands: string[] }
  | { code: typeof ErrorCode.InvalidParameters; message: string }
  | { code: typeof ErrorCode.HandlerFailed; message: string }
  | { code: typeof ErrorCode.InvalidOutput; message: string; command: string; issues: IssueSummary[] }
  | SessionConflict
  | { code: typeof ErrorCode.ClassifierFailed; message: string }
  | { code: typeof ErrorCode.Aborted; message: string }
  | { code: typeof ErrorCode.BundleInvalid; message: string; path?: string; url?: string; version?: unknown }
  | { code: typeof ErrorCode.ModelInvalid; message: string; missing?: string[] }
  | { code: typeof ErrorCode.StorageUnavailable; message: string; reason?: string }
  | { code: typeof ErrorCode.MessageTooLong; message: string; length: number; limit: number }
  | { code: typeof ErrorCode.MissingPackage; message: string; package: string };

/** The fields an error of one code carries besides its code and message. */
export type ErrorFields<C extends ErrorCode> = FieldsOf<Extract<FwErrorData, { code: C }>>;
type FieldsOf<T> = T extends unknown ? Omit<T, 'code' | 'message'> : never;
/** Codes whose errors carry no required field (usable as a fallback for anything thrown). */
export type PlainErrorCode = { [C in ErrorCode]: object extends ErrorFields<C> ? C : never }[ErrorCode];
type FieldsArg<C extends ErrorCode> = object extends ErrorFields<C> ? [fields?: ErrorFields<C>] : [fields: ErrorFields<C>];

export class FastWorkflowError extends Error {
  readonly data: FwErrorData;

  constructor(data: FwErrorData);
  constructor(...args: { [C in ErrorCode]: [code: C, message: string, ...fields: FieldsArg<C>] }[ErrorCode]);
  constructor(...args: [FwErrorData] | [ErrorCode, string, object?]) {
    const data = (typeof args[0] === 'string' ? { ...(args[2] ?? {}), code: args[0], message: args[1] } : args[0]) as FwErrorData;
    super(data.message);
    this.name = 'FastWorkflowError';
    this.data = data;
  }

  get code(): ErrorCode {
    return this.data.code;
  }

  toJSON(): FwErrorData {
    return structuredClone({ ...this.data, message: this.message });
  }
}

/** Turn anything thrown into plain error data (for responses, events and postMessage). */
export function toErrorData(err: unknown, fallback: PlainErrorCode = ErrorCode.HandlerFailed): FwErrorData {
  if (err instanceof FastWorkflowError) return err.toJSON();
  if (isAbortError(err)) return { code: ErrorCode.Aborted, message: 'The operation was aborted.' };
  const message = err instanceof Error ? err.message : String(err);
  return { code: fallback, message } as FwErrorData;
}

export function isAbortError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: string }).name === 'AbortError';
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) {
    throw new FastWorkflowError(ErrorCode.Aborted, 'The operation was aborted.');
  }
}
