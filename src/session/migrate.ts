import type { Clarification } from '../engine/output.ts';
import type { ContextRef } from '../workflow/types.ts';
import { askParameters, chooseCommand, confirm, idle, type Conversation, type PendingChoice, type PendingCommand } from './conversation.ts';
import { SESSION_STATE_VERSION, type HistoryEntry, type LastIntent, type SessionState } from './state.ts';

/** Session state as version 1 stored it: the conversation as a bag of optionals. */
export interface SessionStateV1 {
  version: 1;
  id: string;
  workflow: string;
  revision: number;
  root: ContextRef;
  current: ContextRef;
  stage: 'intent' | 'intent_ambiguity' | 'intent_misunderstood' | 'parameters' | 'confirmation';
  pending?: PendingCommand;
  choice?: PendingChoice;
  last?: LastIntent;
  question?: Clarification;
  history: HistoryEntry[];
  updatedAt: number;
}

/** Whatever a store may hold: this version or an earlier one. */
export type StoredSessionState = SessionState | SessionStateV1;

/** Bring stored state to the current version; undefined when it cannot be read (start afresh). */
export function migrateSessionState(stored: StoredSessionState | undefined): SessionState | undefined {
  if (!stored) return undefined;
  if (stored.version === SESSION_STATE_VERSION) return stored;
  if (stored.version === 1) {
    const { stage: _stage, pending: _pending, choice: _choice, question: _question, ...rest } = stored;
    return { ...rest, version: SESSION_STATE_VERSION, conversation: conversationFromV1(stored) };
  }
  return undefined;
}

/** A version-1 stage and its optionals as a conversation; an inconsistent one becomes idle. */
export function conversationFromV1(s: Pick<SessionStateV1, 'stage' | 'pending' | 'choice' | 'question'>): Conversation {
  const q = s.question;
  switch (s.stage) {
    case 'parameters':
      return s.pending && q?.type === 'parameters' ? askParameters(s.pending, q) : idle();
    case 'confirmation':
      return s.pending && q?.type === 'confirmation' ? confirm(s.pending, q) : idle();
    case 'intent_ambiguity':
    case 'intent_misunderstood':
      return s.choice && q?.type === 'intent' ? chooseCommand(s.stage === 'intent_ambiguity' ? 'ambiguous' : 'misunderstood', s.choice, q) : idle();
    default:
      return idle();
  }
}
