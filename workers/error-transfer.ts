/**
 * Errors across the Worker boundary: comlink's built-in handler for thrown values keeps only message,
 * name and stack. This one sends the error as plain `FwErrorData` (code and per-code fields) and throws
 * a `FastWorkflowError` on the other side, so the Worker's API can simply throw. Install it on both
 * sides (the Worker serialises, the page deserialises).
 */
import * as Comlink from 'comlink';
import { ErrorCode, FastWorkflowError, toErrorData, type FwErrorData } from '../src/errors.ts';

let installed = false;

export function installErrorTransfer(): void {
  if (installed) return;
  installed = true;
  const builtin = Comlink.transferHandlers.get('throw')!;
  Comlink.transferHandlers.set('throw', {
    canHandle: builtin.canHandle,
    serialize: (thrown) => [toErrorData((thrown as { value: unknown }).value, ErrorCode.ClassifierFailed), []],
    deserialize: (data) => {
      throw new FastWorkflowError(data as FwErrorData);
    },
  });
}
