import type { CommandOutput, FwErrorData } from '../src/index.ts';

/** One step of the context breadcrumb, outermost first. */
export interface ContextCrumb {
  context: string;
  display: string;
}

export interface FwContextChangeDetail {
  context: string;
  display: string;
  /** From the outermost ancestor to the current context. */
  path: ContextCrumb[];
}

/** Where a failure happened: loading the classifier, opening the session, a turn, or the database. */
export type FwErrorPhase = 'classifier' | 'open' | 'send' | 'storage';

export type FwErrorDetail = FwErrorData & { phase: FwErrorPhase };

export const FwEvent = {
  /** After every turn (a result, a question, an error result): detail is the CommandOutput. */
  Command: 'fw-command',
  /** Something failed outside a normal turn result (classifier, opening, saving). */
  Error: 'fw-error',
  /** The current context changed (also fired once when the session opens). */
  ContextChange: 'fw-context-change',
} as const;

declare global {
  interface HTMLElementEventMap {
    'fw-command': CustomEvent<CommandOutput>;
    'fw-error': CustomEvent<FwErrorDetail>;
    'fw-context-change': CustomEvent<FwContextChangeDetail>;
  }
}

/** Events leave the shadow root and bubble (bubbles + composed). */
export function fwEvent<K extends 'fw-command' | 'fw-error' | 'fw-context-change'>(type: K, detail: HTMLElementEventMap[K]['detail']): CustomEvent {
  return new CustomEvent(type, { detail, bubbles: true, composed: true });
}
