import type { Clarification } from '../engine/output.ts';
import type { ContextRef } from '../workflow/types.ts';

/** Where the conversation is: what the next message is expected to be. */
export const Stage = {
  /** No open question: the next message is a new request. */
  Idle: 'idle',
  /** The user is answering a question about missing or invalid parameters. */
  AskingParameters: 'asking_parameters',
  /** The user is choosing among candidate commands (an ambiguity, or after "you misunderstood"). */
  ChoosingCommand: 'choosing_command',
  /** The user is asked to confirm a destructive command. */
  Confirming: 'confirming',
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

export type ChoiceReason = 'ambiguous' | 'misunderstood';
type Question<T extends Clarification['type']> = Extract<Clarification, { type: T }>;

export interface Idle {
  stage: typeof Stage.Idle;
}
export interface AskingParameters {
  stage: typeof Stage.AskingParameters;
  pending: PendingCommand;
  question: Question<'parameters'>;
}
export interface ChoosingCommand {
  stage: typeof Stage.ChoosingCommand;
  reason: ChoiceReason;
  choice: PendingChoice;
  question: Question<'intent'>;
}
export interface Confirming {
  stage: typeof Stage.Confirming;
  pending: PendingCommand;
  question: Question<'confirmation'>;
}

/** The conversation: each stage with exactly its data (plain, serialisable). */
export type Conversation = Idle | AskingParameters | ChoosingCommand | Confirming;

// ---------------------------------------------------------------------------------------------
// Transitions: pure functions from the current conversation to the next one.

/** Nothing open (a command ran, the question was answered, left or aborted). */
export function idle(): Idle {
  return { stage: Stage.Idle };
}

/** Ask for parameters of a command; values that are valid so far are kept. */
export function askParameters(pending: PendingCommand, question: Question<'parameters'>): AskingParameters {
  return { stage: Stage.AskingParameters, pending: clonePending(pending), question };
}

/** Offer candidate commands for an utterance. */
export function chooseCommand(reason: ChoiceReason, choice: PendingChoice, question: Question<'intent'>): ChoosingCommand {
  return { stage: Stage.ChoosingCommand, reason, choice: { ...choice, candidates: [...choice.candidates] }, question };
}

/** Ask "shall I go ahead?" before a command whose parameters are all valid. */
export function confirm(pending: PendingCommand, question: Question<'confirmation'>): Confirming {
  return { stage: Stage.Confirming, pending: clonePending(pending), question };
}

// ---------------------------------------------------------------------------------------------
// Queries

/** The open question a UI shows (a form, choices, yes/no), if any. */
export function openQuestion(c: Conversation): Clarification | undefined {
  return c.stage === Stage.Idle ? undefined : c.question;
}

/** What the conversation waits on, in words a reply can use ("abort" says what it aborted). */
export function waitingOn(c: Conversation): { command: string } | { choice: true } | undefined {
  switch (c.stage) {
    case Stage.Idle:
      return undefined;
    case Stage.ChoosingCommand:
      return { choice: true };
    case Stage.AskingParameters:
    case Stage.Confirming:
      return { command: c.pending.command };
  }
}

/** The one suggestion a parameter question offered for its one problem ("yes" takes it). */
export function soleSuggestion(c: Conversation): Record<string, unknown> | undefined {
  if (c.stage !== Stage.AskingParameters || c.question.problems.length !== 1) return undefined;
  const [problem] = c.question.problems;
  return problem.field && problem.suggestions?.length === 1 ? { [problem.field]: problem.suggestions[0] } : undefined;
}

function clonePending(p: PendingCommand): PendingCommand {
  return { ...p, values: { ...p.values }, asked: [...p.asked] };
}
