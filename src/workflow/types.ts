import type { z } from 'zod';
import type { InputSchema } from '../schema/field-info.ts';

/** Name of the global context: its commands are visible in every context. */
export const GLOBAL_CONTEXT = '*';

/** A reference to an application object that can be stored and re-created after a reload. */
export interface ContextRef {
  context: string;
  /** Key from the context's `key(obj)`; null for the global context or an object without a key. */
  key: string | null;
}

/** What a command handler receives. */
export interface CommandContext<App = unknown, Obj = unknown> {
  app: App;
  /** The application object of the context the command runs in (null in the global context). */
  object: Obj;
  /** Name of the context the command runs in. */
  context: string;
  /** Make `object` (of context `context`) the current context, e.g. after "open order 44821". */
  setContext(context: string, object: unknown): void;
  signal: AbortSignal;
}

/** A suggestion of what the user can do next. */
export interface NextAction {
  command: string;
  parameters?: Record<string, unknown>;
  label?: string;
}

export interface CommandResponse {
  text: string;
  success: boolean;
  artifacts: Record<string, unknown>;
  nextActions: NextAction[];
  recommendations: string[];
}

/** What a handler may return: a plain string, or a structured result. */
export type HandlerResult =
  | string
  | void
  | {
      text?: string;
      success?: boolean;
      /** Structured output, validated against the command's output schema when it has one. */
      data?: unknown;
      artifacts?: Record<string, unknown>;
      nextActions?: NextAction[];
      recommendations?: string[];
    };

/** Result of a `lookup` against the application's data (upstream's `db_lookup`). */
export type LookupResult =
  | { found: true; value?: unknown }
  | { found: false; suggestions?: string[]; message?: string };

export type Awaitable<T> = T | Promise<T>;

export interface CommandDefinition<App = any, Obj = any, S extends InputSchema = InputSchema> {
  name: string;
  description: string;
  input?: S;
  output?: z.ZodType;
  /** Seed utterances; `{field}` placeholders are filled from the field's examples when training. */
  utterances?: string[];
  /** Cross-field validation beyond the schema: return messages for the user, or nothing if fine. */
  validate?(input: z.output<S>, ctx: CommandContext<App, Obj>): Awaitable<string | string[] | void | undefined>;
  /** Per-field lookups against the application's data; unknown values get "did you mean" suggestions. */
  lookups?: { [K in keyof z.output<S>]?: (value: z.output<S>[K], ctx: CommandContext<App, Obj>) => Awaitable<LookupResult> };
  /**
   * Not offered to intent detection or listed by "what can I do" (e.g. a startup command); it still
   * runs by name: `/name`, `performAction`, `startupAction`.
   */
  hidden?: boolean;
  /**
   * Ask "Shall I go ahead?" before running (destructive commands): a function returning the summary
   * to show, or `true` for a summary made of the command's description and its values.
   */
  confirm?: boolean | ((input: z.output<S>, ctx: CommandContext<App, Obj>) => string);
  run(ctx: CommandContext<App, Obj>, input: z.output<S>): Awaitable<HandlerResult>;
}

export interface ContextDefinition<App = any, Obj = any> {
  name: string;
  description?: string;
  /** Contexts whose commands this one inherits (own commands win). */
  base?: string[];
  commands?: CommandDefinition<App, Obj, any>[];
  /** The parent object, for "go up"; null or undefined at the top. */
  parent?(object: Obj, app: App): { context: string; object: unknown } | null | undefined;
  /** How the object is named to the user ("Order #W123"). */
  displayName?(object: Obj): string;
  /** A stable key of the object so the context can be restored after a reload. */
  key?(object: Obj): string;
  /** Re-create the object from its key (after a reload); undefined if it no longer exists. */
  resolve?(key: string, app: App): Awaitable<Obj | undefined>;
}

/** Upstream's `context_inheritance_model.json`, loadable as-is. */
export type ContextInheritanceModel = Record<string, { base?: string[] }>;

export interface StartupAction {
  command: string;
  parameters?: Record<string, unknown>;
}

export interface WorkflowDefinition<App = any> {
  name: string;
  description: string;
  contexts: ContextDefinition<App, any>[];
  /** Optional upstream-style inheritance model, merged with each context's `base`. */
  inheritance?: ContextInheritanceModel;
  /** Create the application state (the user's own objects). */
  createApp(): Awaitable<App>;
  /** Run once when a session starts: a command run without NLU that sets the root context. */
  startupAction?: StartupAction;
  /** Or an utterance run through NLU at startup. */
  startupCommand?: string;
  /**
   * Requests this assistant should not handle (e.g. "what's the weather", "close my account" when no
   * command does it): trained as out of scope in every context. One equal to a command's utterance
   * is reported as a conflict and kept for the command.
   */
  outOfScope?: string[];
  /**
   * Opt-in strict "never guess" budget for the trainer: the most a request for something no command
   * does may be executed (e.g. 0.05), estimated on held-out stand-ins: the support score (probability ×
   * cosine to the nearest training example) must then clear a higher bar; lower asks more often.
   * Unset: the trainer's default support thresholds (at most 2% of held-out in-scope requests
   * executed right given up). `fastworkflow train --false-execution` overrides it.
   */
  falseExecution?: number;
}
