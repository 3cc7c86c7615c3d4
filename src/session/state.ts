import type { Clarification } from '../engine/output.ts';
import type { ContextRef } from '../workflow/types.ts';

/** Where the conversation is: what the next message is expected to be. */
export const Stage = {
  /** A new request: detect the intent. */
  Intent: 'intent',
  /** The user is choosing among candidate commands. */
  IntentAmbiguity: 'intent_ambiguity',
  /** The user said "you misunderstood" and is choosing the right command. */
  IntentMisunderstood: 'intent_misunderstood',
  /** The user is answering a question about missing or invalid parameters. */
  Parameters: 'parameters',
  /** The user is asked to confirm a destructive command. */
  Confirmation: 'confirmation',
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];

/** A command waiting for parameters or for confirmation. */
export interface PendingCommand {
  command: string;
  /** The context it runs in (the current one, or an ancestor). */
  target: ContextRef;
  /** Values that passed validation so far. */
  values: Record<string, unknown>;
  /** Fields the last question asked about. */
  asked: string[];
  utterance: string;
}

/** A pending choice between commands (ambiguity or misunderstanding). */
export interface PendingChoice {
  utterance: string;
  candidates: string[];
  target: ContextRef;
}

/** The last message that was routed to a command: what "you misunderstood" refers to. */
export interface LastIntent {
  utterance: string;
  command: string;
  target: ContextRef;
  /** Other labels in score order, for offering alternatives. */
  ranked: string[];
}

export interface HistoryEntry {
  role: 'user' | 'assistant';
  text: string;
  at: number;
  command?: string;
  kind?: string;
  success?: boolean;
}

/** All session state: plain, serialisable data (JSON / structured clone). */
export interface SessionState {
  version: 1;
  id: string;
  workflow: string;
  /** Incremented on every save; stores use it to detect concurrent writers. */
  revision: number;
  root: ContextRef;
  current: ContextRef;
  stage: Stage;
  pending?: PendingCommand;
  choice?: PendingChoice;
  last?: LastIntent;
  /** The open question (what a UI shows as a form or choices), while the stage is not `intent`. */
  question?: Clarification;
  history: HistoryEntry[];
  updatedAt: number;
}

export const SESSION_STATE_VERSION = 1;
export const MAX_HISTORY = 500;
