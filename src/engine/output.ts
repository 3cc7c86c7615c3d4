import type { FwErrorData } from '../errors.ts';
import type { IntentScore } from '../intent/classifier.ts';
import type { FieldProblem } from '../params/validate.ts';
import type { FieldInfo, JsonSchema } from '../schema/field-info.ts';
import type { CommandResponse, NextAction } from '../workflow/types.ts';

export const OutputKind = {
  /** A command ran (successfully or not). */
  Result: 'result',
  /** Parameters are missing or invalid: the assistant asks. */
  AskParameters: 'ask_parameters',
  /** The intent is ambiguous or was corrected: the assistant asks which command. */
  AskIntent: 'ask_intent',
  /** A destructive command waits for "yes". */
  AskConfirmation: 'ask_confirmation',
  /** Nothing in this context matches the message. */
  OutOfScope: 'out_of_scope',
  /** Built-ins and hints. */
  Info: 'info',
  /** Something failed; the session stays usable. */
  Error: 'error',
} as const;
export type OutputKind = (typeof OutputKind)[keyof typeof OutputKind];

export const IntentSource = {
  Slash: 'slash',
  Action: 'action',
  Builtin: 'builtin',
  ExactName: 'exact_name',
  FuzzyName: 'fuzzy_name',
  Correction: 'correction',
  Classifier: 'classifier',
  Ancestor: 'ancestor',
  Choice: 'choice',
  /** A tool call of the agent LLM (agent mode). */
  Agent: 'agent',
} as const;
export type IntentSource = (typeof IntentSource)[keyof typeof IntentSource];

export interface IntentInfo {
  source: IntentSource;
  label?: string;
  score?: number;
  /** The classifier's ranking for this message (when a classifier ran). */
  ranked?: IntentScore[];
  /** Context whose classifier decided (an ancestor when the current one had nothing). */
  context?: string;
}

export interface CommandChoice {
  command: string;
  description: string;
  score?: number;
}

export type Clarification =
  | { type: 'intent'; reason: 'ambiguous' | 'misunderstood'; utterance: string; choices: CommandChoice[] }
  | { type: 'parameters'; command: string; fields: FieldInfo[]; problems: FieldProblem[]; values: Record<string, unknown>; inputSchema: JsonSchema }
  | { type: 'confirmation'; command: string; parameters: Record<string, unknown>; summary: string };

/** The result of a turn: plain data, safe to store, log and post to another thread. */
export interface CommandOutput {
  kind: OutputKind;
  success: boolean;
  /** All responses' text, joined: what a terminal prints. */
  text: string;
  responses: CommandResponse[];
  workflow: string;
  /** Current context after the turn, and how it is shown to the user. */
  context: string;
  contextDisplay: string;
  contextChanged: boolean;
  command?: string;
  parameters?: Record<string, unknown>;
  /** Structured output of the command (validated against its output schema). */
  data?: unknown;
  intent?: IntentInfo;
  clarification?: Clarification;
  error?: FwErrorData;
  /** Agent mode: each step of the tool loop, in order. */
  trace?: AgentStep[];
  timingMs: number;
}

/** Why the agent's tool call was not run; the reason goes back to the model as the tool result. */
export type RejectReason = 'invalid_parameters' | 'other_context' | 'unknown_tool' | 'bad_arguments';

/** One step of an agent turn (plain data). */
export type AgentStep =
  /** A command ran (through the gate); `context` is the context after it. */
  | { type: 'command'; tool: string; arguments: Record<string, unknown>; success: boolean; result: string; context: string }
  /** go_up / reset_context. */
  | { type: 'navigation'; tool: string; result: string; context: string }
  /** Not run: the result told the model why. */
  | { type: 'rejected'; tool: string; reason: RejectReason; result: string; problems?: FieldProblem[] }
  /** A command that needs the user's confirmation: the turn stops and asks. */
  | { type: 'confirmation'; tool: string; arguments: Record<string, unknown>; summary: string }
  /** The model's answer to the user (ends the turn). */
  | { type: 'reply'; text: string }
  /** The LLM request failed (ends the turn). */
  | { type: 'fault'; error: FwErrorData }
  /** The step bound was reached (ends the turn). */
  | { type: 'step_limit'; steps: number };

export function response(text: string, success = true, extra: Partial<Omit<CommandResponse, 'text' | 'success'>> = {}): CommandResponse {
  return {
    text,
    success,
    artifacts: extra.artifacts ?? {},
    nextActions: extra.nextActions ?? ([] as NextAction[]),
    recommendations: extra.recommendations ?? [],
  };
}
