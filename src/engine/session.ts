import { ErrorCode, FastWorkflowError, toErrorData } from '../errors.ts';
import type { IntentClassifier } from '../intent/classifier.ts';
import { LexicalClassifier } from '../intent/lexical-classifier.ts';
import { DeterministicExtractor, type ParameterExtractor } from '../params/extract.ts';
import { idle, openQuestion, Stage } from '../session/conversation.ts';
import type { OpenAILoader } from '../llm/client.ts';
import { chatClientFor, type LlmRole } from '../llm/roles.ts';
import { runAgent, type AgentOptions } from './agent.ts';
import { MemoryCorrectionStore, type Correction, type CorrectionChange, type CorrectionScope, type CorrectionStore } from '../session/corrections.ts';
import { applyCorrectionChange, correctionsInScope, teachCorrections, undoCorrection } from './correction-memory.ts';
import { migrateSessionState } from '../session/migrate.ts';
import { MAX_HISTORY, SESSION_STATE_VERSION, type HistoryEntry, type SessionState } from '../session/state.ts';
import { MemorySessionStore, type SessionStore } from '../session/store.ts';
import { CompiledWorkflow } from '../workflow/compile.ts';
import type { StartupAction, WorkflowDefinition } from '../workflow/types.ts';
import { errorDraft, type Draft } from './draft.ts';
import { validateAndRun } from './execute.ts';
import { route, unknownCommand } from './intent-routing.ts';
import { GLOBAL_REF, sameRef } from './objects.ts';
import { IntentSource, OutputKind, type Clarification, type CommandChoice, type CommandOutput } from './output.ts';
import { submitParameters } from './parameter-dialogue.ts';
import { formatValue, replies } from './replies.ts';
import { neverAborted, randomId, TurnRuntime } from './runtime.ts';

/** Default for `SessionOptions.maxMessageLength`: longer messages are refused, not run. */
export const DEFAULT_MAX_MESSAGE_LENGTH = 2000;

export interface SessionOptions<App> {
  workflow: WorkflowDefinition<App> | CompiledWorkflow<App>;
  /** Intent detection; defaults to the training-free lexical classifier. */
  classifier?: IntentClassifier;
  /** Parameter extraction; defaults to the classifier's (a bundle's slot tagger), else the deterministic extractor. */
  extractor?: ParameterExtractor;
  store?: SessionStore;
  corrections?: CorrectionStore;
  /**
   * Who learns from a correction: `session` (default) — this conversation only; `device` — every
   * session of this workflow using the same correction store (in the page: this browser profile).
   */
  correctionScope?: CorrectionScope;
  /** Resume this session if the store has it; otherwise a new id is made. */
  sessionId?: string;
  /** The application state; defaults to `workflow.createApp()`. */
  app?: App;
  now?: () => number;
  /** Longest message (characters, after trimming) a turn accepts; default 2,000. */
  maxMessageLength?: number;
  /** LLM roles (none by default: everything deterministic). See README "LLM (optional)". */
  llm?: { extraction?: LlmRole; agent?: LlmRole };
  /** How `openai` is loaded; a bundled page passes `() => import('openai')`. */
  loadOpenAI?: OpenAILoader;
  /** 'agent': messages go to the agent LLM's tool loop (needs `llm.agent`); default 'assistant'. */
  mode?: SessionMode;
  agent?: AgentOptions;
}

export type SessionMode = 'assistant' | 'agent';

export interface TurnOptions {
  signal?: AbortSignal;
  /** Agent mode: stream the model's replies (SSE); this gets their text as it arrives. */
  onText?: (delta: string) => void;
}

/**
 * One conversation with a workflow. The session serialises turns, keeps the history and persists the
 * state; each turn's steps live in their own modules: intent routing (intent-routing.ts), the
 * parameter dialogue (parameter-dialogue.ts), the command choice (command-choice.ts), the gate and
 * execution (execute.ts), built-ins (builtins.ts) and every sentence it says (replies.ts).
 */
export class WorkflowSession<App = unknown> {
  readonly workflow: CompiledWorkflow<App>;
  readonly app: App;
  private readonly rt: TurnRuntime<App>;
  private readonly store: SessionStore;
  private readonly maxMessageLength: number;
  private queue: Promise<unknown> = Promise.resolve();
  private currentMode: SessionMode = 'assistant';
  private readonly agentOptions: AgentOptions;

  private constructor(options: SessionOptions<App>, workflow: CompiledWorkflow<App>, app: App, state: SessionState) {
    this.workflow = workflow;
    this.app = app;
    this.store = options.store ?? new MemorySessionStore();
    this.maxMessageLength = options.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH;
    const classifier: IntentClassifier = options.classifier ?? new LexicalClassifier(workflow);
    this.rt = new TurnRuntime(
      workflow,
      app,
      classifier,
      // A trained bundle brings its own extractor (the slot tagger) unless one is given.
      options.extractor ?? classifier.parameterExtractor?.() ?? new DeterministicExtractor(),
      options.corrections ?? new MemoryCorrectionStore(),
      options.now ?? Date.now,
      state,
    );
    this.rt.correctionScope = options.correctionScope ?? 'session';
    this.configureLlm(options);
    this.agentOptions = options.agent ?? {};
  }

  /** Open a session: resume it from the store (migrating an older state), or start it (running the workflow's startup). */
  static async open<App>(options: SessionOptions<App>): Promise<WorkflowSession<App>> {
    const workflow = options.workflow instanceof CompiledWorkflow ? options.workflow : new CompiledWorkflow(options.workflow);
    const app = options.app ?? (await workflow.definition.createApp());
    const now = options.now ?? Date.now;
    const id = options.sessionId ?? randomId();
    const raw = await options.store?.load(id);
    const stored = migrateSessionState(raw);
    const fresh = newState(id, workflow.name, now());
    const usable = stored?.workflow === workflow.name ? stored : undefined;
    const session = new WorkflowSession(options, workflow, app, usable ?? fresh);
    const rt = session.rt;
    // Corrections made earlier (in this session, or on this device) take effect in the classifier again (no re-training).
    if (usable || rt.correctionScope === 'device') await teachCorrections(rt);
    if (!usable || !(await session.restoreObjects())) {
      rt.st = { ...fresh, history: usable ? usable.history : [], revision: raw?.revision ?? 0 };
      await session.startup();
    }
    return session;
  }

  get id(): string {
    return this.rt.st.id;
  }

  /** A copy of the session state (plain data). */
  get state(): SessionState {
    return structuredClone(this.rt.st);
  }

  /** The current context, its display name and application object. */
  async currentContext(): Promise<{ context: string; display: string; object: unknown }> {
    const current = this.rt.st.current;
    const object = await this.rt.objectOf(current);
    return { context: current.context, display: this.rt.objects.display(current, object), object };
  }

  /** The current context and its parents, outermost first (for a breadcrumb). */
  async contextPath(): Promise<{ context: string; display: string }[]> {
    const refs = [...(await this.rt.ancestors(this.rt.st.current)).reverse(), this.rt.st.current];
    const out: { context: string; display: string }[] = [];
    for (const ref of refs) out.push({ context: ref.context, display: await this.rt.display(ref) });
    return out;
  }

  /** The question the session waits on (parameters, a choice, a confirmation), if any. */
  pendingClarification(): Clarification | undefined {
    return structuredClone(openQuestion(this.rt.st.conversation));
  }

  /** Change the LLM roles and the mode between turns (e.g. from a settings panel); undefined roles are off. */
  configureLlm(options: Pick<SessionOptions<App>, 'llm' | 'loadOpenAI' | 'mode'>): void {
    const agent = chatClientFor(options.llm?.agent, options.loadOpenAI);
    this.currentMode = options.mode === 'agent' && agent ? 'agent' : 'assistant';
    // Agent mode makes no other LLM requests (a /command or an answer to a question included).
    this.rt.llm = this.currentMode === 'agent' ? { agent } : { extraction: chatClientFor(options.llm?.extraction, options.loadOpenAI), agent };
  }

  /** 'agent' when agent mode is on and an agent LLM is configured; else 'assistant'. */
  get mode(): SessionMode {
    return this.currentMode;
  }

  /** Who learns from this session's corrections (`session` or `device`). */
  get correctionScope(): CorrectionScope {
    return this.rt.correctionScope;
  }

  /** What the assistant learned from corrections in this scope, oldest first. */
  corrections(): Promise<Correction[]> {
    return correctionsInScope(this.rt);
  }

  /** Undo a correction: the phrase is routed by the model again. Resolves with it (undefined: not in this scope). */
  undoCorrection(id: string): Promise<Correction | undefined> {
    return this.serialised(() => undoCorrection(this.rt, id));
  }

  /**
   * Another session recorded or removed a correction (e.g. the store's `subscribe`, another tab):
   * learn or forget it when it is in this session's scope. Resolves true if it was.
   */
  applyCorrectionChange(change: CorrectionChange): Promise<boolean> {
    return this.serialised(() => applyCorrectionChange(this.rt, change));
  }

  /** Commands visible in the current context (without built-ins). */
  visibleCommands(): CommandChoice[] {
    return this.workflow.commandsIn(this.rt.st.current.context).map((c) => ({ command: c.name, description: c.definition.description }));
  }

  /** Handle one user message. Turns are serialised: a second call waits for the first. */
  send(message: string, options: TurnOptions = {}): Promise<CommandOutput> {
    const text = message.trim();
    if (text.length > this.maxMessageLength) {
      // Refused before anything runs; the open question (if any) stays open.
      const shown = `${text.slice(0, 200)}… (${text.length} characters)`;
      const error = { code: ErrorCode.MessageTooLong, message: replies.tooLong(text.length, this.maxMessageLength), length: text.length, limit: this.maxMessageLength } as const;
      return this.serialised(() => this.turn(shown, neverAborted(), async () => errorDraft(error)));
    }
    // Agent mode: a message goes to the tool loop, except a /command and the answer to a confirmation.
    const agent = this.currentMode === 'agent' && !text.startsWith('/') && !!text;
    return this.serialised(() =>
      this.turn(message, options.signal ?? neverAborted(), (signal) =>
        agent && this.rt.st.conversation.stage !== Stage.Confirming ? runAgent(this.rt, text, signal, { ...this.agentOptions, ...(options.onText ? { onText: options.onText, stream: true } : {}) }) : route(this.rt, text, signal),
      ),
    );
  }

  /** Run a command by name through the same validation gate (no NLU). Does not leave a pending question. */
  performAction(action: StartupAction, options: TurnOptions = {}): Promise<CommandOutput> {
    const text = `/${action.command}`;
    return this.serialised(() =>
      this.turn(
        text,
        options.signal ?? neverAborted(),
        async (signal) => {
          const cmd = this.rt.commandHere(action.command);
          if (!cmd) return unknownCommand(this.rt, action.command);
          return validateAndRun(this.rt, { command: cmd.command, target: cmd.target, values: action.parameters ?? {}, utterance: text, intent: { source: IntentSource.Action, label: action.command }, signal, ask: false });
        },
        { record: false },
      ),
    );
  }

  /** Answer a pending parameter question with values (e.g. from a form); same gate as a text answer. */
  submitParameters(values: Record<string, unknown>, options: TurnOptions = {}): Promise<CommandOutput> {
    const shown = Object.entries(values).map(([k, v]) => `${k}=${formatValue(v)}`).join(' ');
    return this.serialised(() => this.turn(shown, options.signal ?? neverAborted(), (signal) => submitParameters(this.rt, values, signal)));
  }

  /** Start over: a new conversation in the root context (the application state is kept). */
  async reset(): Promise<void> {
    await this.serialised(async () => {
      this.rt.st = { ...newState(this.rt.st.id, this.workflow.name, this.rt.now()), revision: this.rt.st.revision };
      await this.startup();
    });
  }

  private serialised<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async turn(userText: string, signal: AbortSignal, step: (signal: AbortSignal) => Promise<Draft>, opts: { record?: boolean } = {}): Promise<CommandOutput> {
    const now = this.rt.now;
    const started = now();
    const before = this.rt.st.current;
    const record = opts.record !== false;
    if (record) this.remember({ role: 'user', text: userText, at: started });
    let draft: Draft;
    try {
      draft = await step(signal);
    } catch (err) {
      draft = errorDraft(toErrorData(err, ErrorCode.HandlerFailed));
    }
    const { context, display } = await this.currentContext();
    const text = draft.responses.map((r) => r.text).join('\n');
    const output: CommandOutput = {
      ...draft,
      text,
      workflow: this.workflow.name,
      context,
      contextDisplay: display,
      contextChanged: !sameRef(before, this.rt.st.current),
      timingMs: now() - started,
    };
    if (record) this.remember({ role: 'assistant', text, at: now(), kind: output.kind, success: output.success, ...(output.command ? { command: output.command } : {}) });
    await this.persist();
    return output;
  }

  /** After loading stored state: re-create the root and current objects. False if the root is gone. */
  private async restoreObjects(): Promise<boolean> {
    const st = this.rt.st;
    if (!(await this.rt.objects.resolve(st.root)).found) return false;
    if (!(await this.rt.objects.resolve(st.current)).found) {
      st.current = st.root;
      st.conversation = idle();
    }
    return true;
  }

  private async startup(): Promise<void> {
    const def = this.workflow.definition;
    const signal = neverAborted();
    if (def.startupAction) {
      const cmd = this.rt.commandHere(def.startupAction.command);
      if (!cmd) throw new FastWorkflowError(ErrorCode.InvalidWorkflow, replies.startupActionUnknown(def.startupAction.command));
      const draft = await validateAndRun(this.rt, { command: cmd.command, target: cmd.target, values: def.startupAction.parameters ?? {}, utterance: '', intent: { source: IntentSource.Action }, signal, ask: false });
      if (draft.kind !== OutputKind.Result || !draft.success) {
        throw new FastWorkflowError(ErrorCode.InvalidWorkflow, replies.startupActionFailed(cmd.command.name, draft.responses.map((r) => r.text).join(' ')));
      }
    } else if (def.startupCommand) {
      await route(this.rt, def.startupCommand.trim(), signal);
    }
    this.rt.st.root = this.rt.st.current;
    this.rt.st.conversation = idle();
    await this.persist();
  }

  private remember(entry: HistoryEntry): void {
    const history = this.rt.st.history;
    history.push(entry);
    if (history.length > MAX_HISTORY) history.splice(0, history.length - MAX_HISTORY);
  }

  private async persist(): Promise<void> {
    const st = this.rt.st;
    st.revision += 1;
    st.updatedAt = this.rt.now();
    await this.store.save(structuredClone(st));
  }
}

function newState(id: string, workflow: string, now: number): SessionState {
  return { version: SESSION_STATE_VERSION, id, workflow, revision: 0, root: GLOBAL_REF, current: GLOBAL_REF, conversation: idle(), history: [], updatedAt: now };
}
