/**
 * Typed, plain-data errors. Every error the library raises carries a `code` from this union and a
 * message that says what to do next. `toJSON()` gives plain data that survives postMessage.
 */
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
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface FwErrorData {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export class FastWorkflowError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'FastWorkflowError';
    this.code = code;
    this.details = details;
  }

  toJSON(): FwErrorData {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

/** Turn anything thrown into plain error data (for responses, events and postMessage). */
export function toErrorData(err: unknown, fallback: ErrorCode = ErrorCode.HandlerFailed): FwErrorData {
  if (err instanceof FastWorkflowError) return err.toJSON();
  if (isAbortError(err)) return { code: ErrorCode.Aborted, message: 'The operation was aborted.' };
  const message = err instanceof Error ? err.message : String(err);
  return { code: fallback, message };
}

export function isAbortError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: string }).name === 'AbortError';
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) {
    throw new FastWorkflowError(ErrorCode.Aborted, 'The operation was aborted.');
  }
}
