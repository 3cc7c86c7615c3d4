import type { ContextRef } from '../workflow/types.ts';
import type { Conversation } from './conversation.ts';

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
  version: 2;
  id: string;
  workflow: string;
  /** Incremented on every save; stores use it to detect concurrent writers. */
  revision: number;
  root: ContextRef;
  current: ContextRef;
  /** The open question, if any, with exactly the data its stage needs. */
  conversation: Conversation;
  last?: LastIntent;
  history: HistoryEntry[];
  updatedAt: number;
}

export const SESSION_STATE_VERSION = 2;
export const MAX_HISTORY = 500;
