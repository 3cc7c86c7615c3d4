import { ErrorCode, FastWorkflowError, toErrorData, type FwErrorData } from '../errors.ts';
import type { IntentClassifier, IntentScore } from '../intent/classifier.ts';
import { decideIntent } from '../intent/decide.ts';
import { LexicalClassifier } from '../intent/lexical-classifier.ts';
import { DeterministicExtractor, extractDetailed, type ExtractedValue, type ParameterExtractor } from '../params/extract.ts';
import { formatValue, parameterQuestion } from '../params/messages.ts';
import { validateParameters, type FieldProblem } from '../params/validate.ts';
import { coerceValue } from '../params/coerce.ts';
import { toInputJsonSchema } from '../schema/field-info.ts';
import { MemoryCorrectionStore, type CorrectionStore } from '../session/corrections.ts';
import { MAX_HISTORY, SESSION_STATE_VERSION, Stage, type SessionState } from '../session/state.ts';
import { MemorySessionStore, type SessionStore } from '../session/store.ts';
import { humanizeName } from '../text/normalize.ts';
import { BUILTIN_NAMES, Builtin, OUT_OF_SCOPE } from '../workflow/builtin-names.ts';
import { CompiledWorkflow, type ResolvedCommand } from '../workflow/compile.ts';
import type { CommandContext, ContextRef, HandlerResult, StartupAction, WorkflowDefinition } from '../workflow/types.ts';
import { isBuiltin, matchBuiltinPhrase } from './builtin-match.ts';
import { parseChoice, parseYesNo } from './choice-answer.ts';
import { GLOBAL_REF, ObjectRegistry, sameRef } from './objects.ts';
import { matchCommandName } from './name-match.ts';
import { IntentSource, OutputKind, response, type Clarification, type CommandChoice, type CommandOutput, type IntentInfo } from './output.ts';

export interface SessionOptions<App> {
  workflow: WorkflowDefinition<App> | CompiledWorkflow<App>;
  /** Intent detection; defaults to the training-free lexical classifier. */
  classifier?: IntentClassifier;
  /** Parameter extraction; defaults to the deterministic extractor. */
  extractor?: ParameterExtractor;
  store?: SessionStore;
  corrections?: CorrectionStore;
  /** Resume this session if the store has it; otherwise a new id is made. */
  sessionId?: string;
  /** The application state; defaults to `workflow.createApp()`. */
  app?: App;
  now?: () => number;
}

export interface TurnOptions {
  signal?: AbortSignal;
}

/** The part of an output a turn step decides; the session fills in the rest. */
type Draft = Omit<CommandOutput, 'workflow' | 'context' | 'contextDisplay' | 'contextChanged' | 'timingMs' | 'text'>;

/**
 * One conversation with a workflow: the turn pipeline (clarification answers → intent → parameters →
 * validation → handler), built-in commands, context navigation and persistence of the session state.
 */
export class WorkflowSession<App = unknown> {
  readonly workflow: CompiledWorkflow<App>;
  readonly app: App;
  private readonly classifier: IntentClassifier;
  private readonly extractor: ParameterExtractor;
  private readonly store: SessionStore;
  private readonly corrections: CorrectionStore;
  private readonly objects: ObjectRegistry<App>;
  private readonly now: () => number;
  private st: SessionState;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(options: SessionOptions<App>, workflow: CompiledWorkflow<App>, app: App, state: SessionState) {
    this.workflow = workflow;
    this.app = app;
    this.classifier = options.classifier ?? new LexicalClassifier(workflow);
    this.extractor = options.extractor ?? this.classifier.parameterExtractor?.() ?? new DeterministicExtractor();
    this.store = options.store ?? new MemorySessionStore();
    this.corrections = options.corrections ?? new MemoryCorrectionStore();
    this.objects = new ObjectRegistry(workflow, app);
    this.now = options.now ?? Date.now;
    this.st = state;
  }

  /** Open a session: resume it from the store, or start it (running the workflow's startup). */
  static async open<App>(options: SessionOptions<App>): Promise<WorkflowSession<App>> {
    const workflow = options.workflow instanceof CompiledWorkflow ? options.workflow : new CompiledWorkflow(options.workflow);
    const app = options.app ?? (await workflow.definition.createApp());
    const now = options.now ?? Date.now;
    const id = options.sessionId ?? randomId();
    const stored = await options.store?.load(id);
    const fresh = newState(id, workflow.name, now());
    const usable = stored && stored.version === SESSION_STATE_VERSION && stored.workflow === workflow.name;
    const session = new WorkflowSession(options, workflow, app, usable ? stored : fresh);
    // Corrections made earlier in this session take effect in the classifier again (no re-training).
    if (usable && session.classifier.learn) {
      for (const c of await session.corrections.list(workflow.name, id)) await session.classifier.learn(c.utterance, c.context, c.command);
    }
    if (!usable || !(await session.restoreObjects())) {
      session.st = { ...fresh, history: usable ? stored.history : [], revision: stored?.revision ?? 0 };
      await session.startup();
    }
    return session;
  }

  get id(): string {
    return this.st.id;
  }

  /** A copy of the session state (plain data). */
  get state(): SessionState {
    return structuredClone(this.st);
  }

  /** The current context, its display name and application object. */
  async currentContext(): Promise<{ context: string; display: string; object: unknown }> {
    const object = await this.objectOf(this.st.current);
    return { context: this.st.current.context, display: this.objects.display(this.st.current, object), object };
  }

  /** The current context and its parents, outermost first (for a breadcrumb). */
  async contextPath(): Promise<{ context: string; display: string }[]> {
    const refs = [...(await this.ancestors(this.st.current)).reverse(), this.st.current];
    const out: { context: string; display: string }[] = [];
    for (const ref of refs) out.push({ context: ref.context, display: this.objects.display(ref, await this.objectOf(ref)) });
    return out;
  }

  /** The question the session waits on (parameters, a choice, a confirmation), if any. */
  pendingClarification(): Clarification | undefined {
    return this.st.stage === Stage.Intent ? undefined : structuredClone(this.st.question);
  }

  /** Commands visible in the current context (without built-ins). */
  visibleCommands(): CommandChoice[] {
    return this.workflow.commandsIn(this.st.current.context).map((c) => ({ command: c.name, description: c.definition.description }));
  }

  /** Handle one user message. Turns are serialised: a second call waits for the first. */
  send(message: string, options: TurnOptions = {}): Promise<CommandOutput> {
    return this.serialised(() => this.turn(message, options.signal ?? neverAborted(), async (signal) => this.route(message.trim(), signal)));
  }

  /** Run a command by name through the same validation gate (no NLU). Does not leave a pending question. */
  performAction(action: StartupAction, options: TurnOptions = {}): Promise<CommandOutput> {
    const text = `/${action.command}`;
    return this.serialised(() =>
      this.turn(text, options.signal ?? neverAborted(), async (signal) => {
        const cmd = this.commandHere(action.command);
        if (!cmd) return this.unknownCommand(action.command);
        const draft = await this.validateAndRun(cmd.command, cmd.target, action.parameters ?? {}, text, { source: IntentSource.Action, label: action.command }, signal, { ask: false });
        return draft;
      }, { record: false }),
    );
  }

  /** Answer a pending parameter question with values (e.g. from a form); same gate as a text answer. */
  submitParameters(values: Record<string, unknown>, options: TurnOptions = {}): Promise<CommandOutput> {
    const shown = Object.entries(values).map(([k, v]) => `${k}=${formatValue(v)}`).join(' ');
    return this.serialised(() =>
      this.turn(shown, options.signal ?? neverAborted(), async (signal) => {
        const p = this.st.pending;
        if (this.st.stage !== Stage.Parameters || !p) return info('There is no question waiting for parameters. Type a request instead.', false);
        const cmd = this.workflow.commandIn(p.target.context, p.command)!;
        const coerced = Object.fromEntries(
          Object.entries(values)
            .filter(([, v]) => v !== '' && v !== undefined)
            .map(([k, v]) => {
              const field = cmd.fields.find((f) => f.name === k);
              return [k, field ? coerceValue(field, v) : v];
            }),
        );
        return this.validateAndRun(cmd, p.target, { ...p.values, ...coerced }, p.utterance, { source: IntentSource.Choice, label: p.command }, signal, { ask: true });
      }),
    );
  }

  /** Start over: a new conversation in the root context (the application state is kept). */
  async reset(): Promise<void> {
    await this.serialised(async () => {
      this.st = { ...newState(this.st.id, this.workflow.name, this.now()), revision: this.st.revision };
      await this.startup();
    });
  }

  // ---------------------------------------------------------------------------------------------
  // The turn

  private serialised<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async turn(userText: string, signal: AbortSignal, step: (signal: AbortSignal) => Promise<Draft>, opts: { record?: boolean } = {}): Promise<CommandOutput> {
    const started = this.now();
    const before = this.st.current;
    const record = opts.record !== false;
    if (record) this.remember({ role: 'user', text: userText, at: started });
    let draft: Draft;
    try {
      draft = await step(signal);
    } catch (err) {
      draft = errorDraft(toErrorData(err, ErrorCode.HandlerFailed));
    }
    if (this.st.stage === Stage.Intent) this.st.question = undefined;
    else if (draft.clarification) this.st.question = draft.clarification;
    const { context, display } = await this.currentContext();
    const text = draft.responses.map((r) => r.text).join('\n');
    const output: CommandOutput = {
      ...draft,
      text,
      workflow: this.workflow.name,
      context,
      contextDisplay: display,
      contextChanged: !sameRef(before, this.st.current),
      timingMs: this.now() - started,
    };
    if (record) this.remember({ role: 'assistant', text, at: this.now(), kind: output.kind, success: output.success, ...(output.command ? { command: output.command } : {}) });
    await this.persist();
    return output;
  }

  private async route(text: string, signal: AbortSignal): Promise<Draft> {
    if (!text) return info(`Type a request, or "what can I do?" to see the commands available here.`, false);
    if (text.startsWith('/')) return this.slash(text, signal);
    const builtin = matchBuiltinPhrase(text);
    if (builtin) return this.runBuiltin(builtin, signal);
    switch (this.st.stage) {
      case Stage.Parameters:
        return this.answerParameters(text, signal);
      case Stage.Confirmation:
        return this.answerConfirmation(text, signal);
      case Stage.IntentAmbiguity:
      case Stage.IntentMisunderstood: {
        const picked = parseChoice(text, this.st.choice?.candidates ?? []);
        if (picked) return this.resolveChoice(picked, signal);
        // Not an answer to the question: treat it as a new request.
        this.clearPending();
        break;
      }
    }
    return this.detectAndRun(text, signal);
  }

  /** `/command key=value …`: deterministic, by name. */
  private async slash(text: string, signal: AbortSignal): Promise<Draft> {
    const m = /^\/\s*([\w-]+)\s*(.*)$/s.exec(text);
    if (!m) return info('After "/" type a command name, e.g. /what_can_i_do.', false);
    const name = m[1].replace(/-/g, '_');
    if (isBuiltin(name)) return this.runBuiltin(name, signal);
    const found = this.commandHere(name);
    if (!found) return this.unknownCommand(name);
    this.clearPending();
    return this.runCommand(found.command, found.target, m[2], text, { source: IntentSource.Slash, label: name }, signal);
  }

  private async detectAndRun(text: string, signal: AbortSignal): Promise<Draft> {
    const here = this.st.current;
    const visible = this.workflow.commandsIn(here.context);

    const byName = matchCommandName(text, visible);
    if (byName) return this.runCommand(byName.command, here, byName.rest, text, { source: byName.source, label: byName.command.name }, signal);

    const corrected = await this.corrections.find({ workflow: this.workflow.name, sessionId: this.st.id, context: here.context, utterance: text });
    const correctedCmd = corrected && this.workflow.commandIn(here.context, corrected.command);
    if (correctedCmd) return this.runCommand(correctedCmd, here, text, text, { source: IntentSource.Correction, label: correctedCmd.name }, signal);

    const prediction = await this.classify(text, here.context, signal);
    const allowed = new Set<string>([...visible.map((c) => c.name), ...BUILTIN_NAMES]);
    const decision = decideIntent(prediction, allowed);
    const intent: IntentInfo = { source: IntentSource.Classifier, ranked: decision.ranked, context: here.context };
    const rankedLabels = decision.ranked.map((r) => r.label).filter((l) => l !== OUT_OF_SCOPE && !isBuiltin(l));

    if (decision.kind === 'confident') {
      intent.label = decision.label;
      intent.score = decision.score;
      if (isBuiltin(decision.label)) return { ...(await this.runBuiltin(decision.label, signal)), intent };
      const cmd = this.workflow.commandIn(here.context, decision.label)!;
      this.st.last = { utterance: text, command: cmd.name, target: here, ranked: rankedLabels };
      return this.runCommand(cmd, here, text, text, intent, signal);
    }

    // Not clear here: an ancestor that is confident wins; a command found there runs on that ancestor
    // object and the current context stays.
    for (const ancestor of await this.ancestors(here)) {
      const p = await this.classify(text, ancestor.context, signal);
      const d = decideIntent(p, new Set(this.workflow.commandsIn(ancestor.context).map((c) => c.name)));
      if (d.kind === 'confident' && !isBuiltin(d.label)) {
        const cmd = this.workflow.commandIn(ancestor.context, d.label)!;
        this.st.last = { utterance: text, command: cmd.name, target: ancestor, ranked: rankedLabels };
        return this.runCommand(cmd, ancestor, text, text, { source: IntentSource.Ancestor, label: d.label, score: d.score, ranked: d.ranked, context: ancestor.context }, signal);
      }
    }

    if (decision.kind === 'ambiguous') {
      const commands = decision.candidates.filter((c) => !isBuiltin(c.label));
      if (commands.length > 0) {
        this.st.last = { utterance: text, command: '', target: here, ranked: rankedLabels };
        return this.askChoice('ambiguous', text, commands, here, intent);
      }
    }

    this.st.last = { utterance: text, command: '', target: here, ranked: rankedLabels };
    const display = this.objects.display(here, await this.objectOf(here));
    const other = await this.elsewhere(text, here, signal);
    const hint = other ? `\n"${other.command}" looks like what you want, but it is only available in ${other.context} — get there first.` : '';
    return {
      kind: OutputKind.OutOfScope,
      success: false,
      responses: [response(`I'm not sure what you mean by "${text}" here (${display}).${hint}\n${this.commandList(here.context)}`, false)],
      intent,
    };
  }

  /** A command of a context that is neither this one nor an ancestor, confidently matching the text. */
  private async elsewhere(text: string, here: ContextRef, signal: AbortSignal): Promise<{ command: string; context: string } | undefined> {
    const near = new Set([here.context, ...(await this.ancestors(here)).map((r) => r.context), GLOBAL_REF.context]);
    let best: { command: string; context: string; score: number } | undefined;
    for (const context of this.workflow.contextNames().filter((c) => !near.has(c))) {
      const visible = new Set(this.workflow.commandsIn(context).map((c) => c.name));
      if (visible.size === 0) continue;
      const d = decideIntent(await this.classify(text, context, signal), visible);
      if (d.kind === 'confident' && (!best || d.score > best.score)) best = { command: d.label, context, score: d.score };
    }
    return best && { command: best.command, context: best.context };
  }

  private async classify(text: string, context: string, signal: AbortSignal) {
    try {
      return await this.classifier.classify(text, context, { signal });
    } catch (err) {
      const data = toErrorData(err, ErrorCode.ClassifierFailed);
      throw new FastWorkflowError(data.code === ErrorCode.Aborted ? ErrorCode.Aborted : ErrorCode.ClassifierFailed, `Intent detection failed: ${data.message}. Use "/command key=value" to run a command by name meanwhile.`);
    }
  }

  private askChoice(reason: 'ambiguous' | 'misunderstood', utterance: string, scores: IntentScore[], target: ContextRef, intent?: IntentInfo): Draft {
    const choices: CommandChoice[] = scores.map((s) => ({
      command: s.label,
      description: this.workflow.commandIn(target.context, s.label)?.definition.description ?? '',
      ...(Number.isFinite(s.score) ? { score: s.score } : {}),
    }));
    this.st.stage = reason === 'ambiguous' ? Stage.IntentAmbiguity : Stage.IntentMisunderstood;
    this.st.choice = { utterance, candidates: choices.map((c) => c.command), target };
    this.st.pending = undefined;
    const lines = choices.map((c, i) => `${i + 1}. ${c.command} — ${c.description}`);
    const text =
      choices.length === 1 && reason === 'ambiguous'
        ? `I'm not sure I understood "${utterance}". Did you mean ${choices[0].command} — ${choices[0].description}\nReply "yes" (or 1) to run it, rephrase your request, or say "abort".`
        : `${reason === 'ambiguous' ? `The command is ambiguous. Which one did you mean by "${utterance}"?` : `Which command did you mean by "${utterance}"?`}\n${lines.join('\n')}\nReply with a number or a name, or say "abort".`;
    return {
      kind: OutputKind.AskIntent,
      success: false,
      responses: [response(text, false)],
      clarification: { type: 'intent', reason, utterance, choices },
      ...(intent ? { intent } : {}),
    };
  }

  private async resolveChoice(command: string, signal: AbortSignal): Promise<Draft> {
    const choice = this.st.choice!;
    const misunderstood = this.st.stage === Stage.IntentMisunderstood;
    const cmd = this.workflow.commandIn(choice.target.context, command)!;
    this.clearPending();
    await this.corrections.record({
      id: randomId(),
      workflow: this.workflow.name,
      sessionId: this.st.id,
      context: choice.target.context,
      utterance: choice.utterance,
      command,
      source: misunderstood ? 'misunderstood' : 'ambiguity',
      at: this.now(),
    });
    await this.classifier.learn?.(choice.utterance, choice.target.context, command);
    this.st.last = { utterance: choice.utterance, command, target: choice.target, ranked: choice.candidates };
    return this.runCommand(cmd, choice.target, choice.utterance, choice.utterance, { source: IntentSource.Choice, label: command }, signal);
  }

  // ---------------------------------------------------------------------------------------------
  // Parameters, validation, running

  private async runCommand(cmd: ResolvedCommand, target: ContextRef, argsText: string, utterance: string, intent: IntentInfo, signal: AbortSignal): Promise<Draft> {
    const { values, uncertain } = argsText.trim()
      ? await extractDetailed(this.extractor, { text: argsText, command: cmd.name, fields: cmd.fields, utterances: cmd.definition.utterances ?? [], signal })
      : { values: {}, uncertain: {} };
    return this.validateAndRun(cmd, target, values, utterance, intent, signal, { ask: true, understood: uncertain });
  }

  private async answerParameters(text: string, signal: AbortSignal): Promise<Draft> {
    const p = this.st.pending!;
    const cmd = this.workflow.commandIn(p.target.context, p.command);
    if (!cmd) {
      this.clearPending();
      return info(`The pending command ${p.command} is not available any more. Please ask again.`, false);
    }
    const intent: IntentInfo = { source: IntentSource.Choice, label: cmd.name };
    const accepted = this.acceptedSuggestion(text);
    // Classified once: a confident other command leaves at once; a likely one only if the answer fixes nothing.
    const otherCommand = accepted ? undefined : await this.newRequest(text, p.command, signal);
    if (otherCommand === 'confident') return this.leaveQuestion(text, p.command, signal);
    const extracted = accepted ?? (await this.extractor.extract({ text, command: cmd.name, fields: cmd.fields, utterances: cmd.definition.utterances ?? [], answering: p.asked, signal }));
    if (Object.keys(extracted).length === 0) {
      if (otherCommand) return this.leaveQuestion(text, p.command, signal);
      const draft = await this.validateAndRun(cmd, p.target, p.values, p.utterance, intent, signal, { ask: true });
      draft.responses.unshift(response(`I couldn't find a value for ${p.asked.join(', ')} in "${text}".`, false));
      return draft;
    }
    const draft = await this.validateAndRun(cmd, p.target, { ...p.values, ...extracted }, p.utterance, intent, signal, { ask: true });
    if (otherCommand && draft.kind === OutputKind.AskParameters && !answeredAny(extracted, draft)) {
      return this.leaveQuestion(text, p.command, signal);
    }
    return draft;
  }

  /** "yes" to a question whose one problem came with one suggestion takes that suggestion. */
  private acceptedSuggestion(text: string): Record<string, unknown> | undefined {
    const q = this.st.question;
    if (q?.type !== 'parameters' || q.problems.length !== 1 || parseYesNo(text) !== true) return undefined;
    const [problem] = q.problems;
    return problem.field && problem.suggestions?.length === 1 ? { [problem.field]: problem.suggestions[0] } : undefined;
  }

  /**
   * Is an answer to a parameter question really a new request? 'confident' when the classifier is
   * sure of another command of this context, 'likely' when that command is only its best guess.
   */
  private async newRequest(text: string, pending: string, signal: AbortSignal): Promise<'confident' | 'likely' | undefined> {
    if (/[=:]/.test(text)) return undefined;
    const visible = this.workflow.commandsIn(this.st.current.context).map((c) => c.name);
    const d = decideIntent(await this.classify(text, this.st.current.context, signal), new Set([...visible, ...BUILTIN_NAMES]));
    const top = d.kind === 'confident' ? d.label : d.kind === 'ambiguous' ? d.candidates[0]?.label : undefined;
    if (top === undefined || top === pending || isBuiltin(top)) return undefined;
    return d.kind === 'confident' ? 'confident' : 'likely';
  }

  private async leaveQuestion(text: string, pending: string, signal: AbortSignal): Promise<Draft> {
    this.clearPending();
    const next = await this.detectAndRun(text, signal);
    next.responses.unshift(response(`(Left the question about ${pending}.)`, true));
    return next;
  }

  private async answerConfirmation(text: string, signal: AbortSignal): Promise<Draft> {
    const p = this.st.pending!;
    const yes = parseYesNo(text);
    const cmd = this.workflow.commandIn(p.target.context, p.command);
    if (yes === undefined || !cmd) {
      return {
        kind: OutputKind.AskConfirmation,
        success: false,
        command: p.command,
        parameters: p.values,
        responses: [response(`Please answer yes to run ${p.command}, or no to cancel.`, false)],
      };
    }
    this.clearPending();
    if (!yes) return info(`Cancelled ${p.command}; nothing was changed.`, true, p.command);
    const object = await this.objectOf(p.target);
    return this.execute(cmd, p.target, object, p.values, { source: IntentSource.Choice, label: p.command }, signal);
  }

  private async validateAndRun(cmd: ResolvedCommand, target: ContextRef, values: Record<string, unknown>, utterance: string, intent: IntentInfo, signal: AbortSignal, opts: { ask: boolean; understood?: Record<string, ExtractedValue> }): Promise<Draft> {
    const object = await this.objectOf(target);
    const ctx = this.commandContext(target, object, signal);
    const result = await validateParameters(cmd, values, ctx);
    if (!result.ok) {
      // A value understood without enough confidence is offered, not used: "yes" takes it.
      for (const p of result.problems) if (p.field && opts.understood?.[p.field] && !p.suggestions?.length) p.suggestions = [String(opts.understood[p.field].value)];
      const question = parameterQuestion(cmd.name, cmd.fields, result.problems, result.valid);
      if (opts.ask) {
        this.st.stage = Stage.Parameters;
        this.st.choice = undefined;
        this.st.pending = { command: cmd.name, target, values: result.valid, asked: askedFields(result.problems, cmd), utterance };
      }
      return {
        kind: OutputKind.AskParameters,
        success: false,
        command: cmd.name,
        parameters: result.valid,
        responses: [response(question, false)],
        intent,
        clarification: {
          type: 'parameters',
          command: cmd.name,
          fields: cmd.fields,
          problems: result.problems,
          values: result.valid,
          inputSchema: cmd.definition.input ? toInputJsonSchema(cmd.definition.input) : { type: 'object', properties: {} },
        },
      };
    }
    const confirm = cmd.definition.confirm;
    if (confirm && opts.ask) {
      const summary = confirm(result.value as never, ctx as never);
      this.st.stage = Stage.Confirmation;
      this.st.choice = undefined;
      this.st.pending = { command: cmd.name, target, values: result.value, asked: [], utterance };
      return {
        kind: OutputKind.AskConfirmation,
        success: false,
        command: cmd.name,
        parameters: result.value,
        intent,
        responses: [response(`${summary}\nShall I go ahead? (yes/no)`, false)],
        clarification: { type: 'confirmation', command: cmd.name, parameters: result.value, summary },
      };
    }
    return this.execute(cmd, target, object, result.value, intent, signal);
  }

  private async execute(cmd: ResolvedCommand, target: ContextRef, object: unknown, input: Record<string, unknown>, intent: IntentInfo, signal: AbortSignal): Promise<Draft> {
    this.clearPending();
    const ctx = this.commandContext(target, object, signal);
    let result: HandlerResult;
    try {
      result = await cmd.definition.run(ctx, input);
    } catch (err) {
      const data = toErrorData(err, ErrorCode.HandlerFailed);
      return {
        ...errorDraft({ ...data, message: `${cmd.name} failed: ${data.message}` }),
        command: cmd.name,
        parameters: input,
        intent,
      };
    }
    const structured = typeof result === 'object' && result !== null ? result : { text: result ?? undefined };
    let data = structured.data;
    if (data !== undefined && cmd.definition.output) {
      const parsed = cmd.definition.output.safeParse(data);
      if (!parsed.success) {
        const error: FwErrorData = { code: ErrorCode.InvalidOutput, message: `${cmd.name} returned output that does not match its output schema: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}. Fix the handler or the schema.` };
        return { ...errorDraft(error), command: cmd.name, parameters: input, intent };
      }
      data = parsed.data;
    }
    const success = structured.success ?? true;
    const text = structured.text ?? (data !== undefined ? JSON.stringify(data) : success ? `${cmd.name}: done.` : `${cmd.name} did not succeed.`);
    return {
      kind: OutputKind.Result,
      success,
      command: cmd.name,
      parameters: input,
      ...(data !== undefined ? { data } : {}),
      intent,
      responses: [response(text, success, { artifacts: structured.artifacts, nextActions: structured.nextActions, recommendations: structured.recommendations })],
    };
  }

  private commandContext(target: ContextRef, object: unknown, signal: AbortSignal): CommandContext<App, unknown> {
    return {
      app: this.app,
      object,
      context: target.context,
      signal,
      setContext: (context: string, next: unknown) => {
        this.st.current = this.objects.refFor(context, next);
      },
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Built-ins

  private async runBuiltin(name: Builtin, signal: AbortSignal): Promise<Draft> {
    const intent: IntentInfo = { source: IntentSource.Builtin, label: name };
    switch (name) {
      case Builtin.WhatCanIDo: {
        const pendingNote = this.st.pending ? `\n(Still waiting on ${this.st.pending.command}: answer the question, or say "abort".)` : '';
        const desc = this.workflow.definition.description;
        return { ...info(`${desc ? `${desc}\n` : ''}${this.commandList(this.st.current.context)}${pendingNote}`), intent };
      }
      case Builtin.CurrentContext: {
        const { display, context } = await this.currentContext();
        return { ...info(context === '*' ? 'You are in the global context.' : `You are in ${display} (context ${context}).`), intent };
      }
      case Builtin.Abort: {
        const what = this.st.pending?.command ?? (this.st.choice ? 'the command choice' : undefined);
        this.clearPending();
        return { ...info(what ? `Okay, aborted ${what}.` : 'There is nothing to abort.'), intent };
      }
      case Builtin.GoUp: {
        this.clearPending();
        const [parent] = await this.ancestors(this.st.current);
        if (!parent) return { ...info(`You are already at the top (${(await this.currentContext()).display}).`), intent };
        this.st.current = parent;
        return { ...info(`Now in ${(await this.currentContext()).display}.`), intent };
      }
      case Builtin.ResetContext: {
        this.clearPending();
        this.st.current = this.st.root;
        return { ...info(`Back at ${(await this.currentContext()).display}.`), intent };
      }
      case Builtin.YouMisunderstood:
        return this.misunderstood(signal);
    }
  }

  private async misunderstood(_signal: AbortSignal): Promise<Draft> {
    const last = this.st.last;
    if (!last) return info(`There is no earlier request to correct.\n${this.commandList(this.st.current.context)}`, false);
    const commands = this.workflow.commandsIn(last.target.context).map((c) => c.name).filter((n) => n !== last.command);
    const order = (n: string) => {
      const i = last.ranked.indexOf(n);
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    const sorted = commands.sort((a, b) => order(a) - order(b));
    if (sorted.length === 0) return info('There is no other command here to choose from. Please rephrase your request.', false);
    return this.askChoice('misunderstood', last.utterance, sorted.map((label) => ({ label, score: Number.NaN })), last.target, { source: IntentSource.Builtin, label: Builtin.YouMisunderstood });
  }

  private commandList(context: string): string {
    const cmds = this.workflow.commandsIn(context);
    const lines = cmds.map((c) => `- ${c.name}: ${c.definition.description}`);
    const builtins = BUILTIN_NAMES.filter((b) => b !== Builtin.YouMisunderstood).map((b) => humanizeName(b)).join(', ');
    return `${cmds.length ? `Commands here:\n${lines.join('\n')}` : 'No commands in this context.'}\nAlways available: ${builtins}, you misunderstood.`;
  }

  // ---------------------------------------------------------------------------------------------
  // Contexts and state

  /** The parent chain of a context object, nearest first. */
  private async ancestors(ref: ContextRef): Promise<ContextRef[]> {
    const out: ContextRef[] = [];
    let current = ref;
    for (let depth = 0; depth < 32; depth++) {
      const def = this.workflow.context(current.context);
      const object = await this.objectOf(current);
      const parent = def.parent?.(object as never, this.app);
      let next: ContextRef | undefined;
      if (parent) next = this.objects.refFor(parent.context, parent.object);
      else if (!sameRef(current, this.st.root) && !out.some((r) => sameRef(r, this.st.root))) next = this.st.root;
      if (!next || sameRef(next, current) || out.some((r) => sameRef(r, next!))) break;
      out.push(next);
      current = next;
    }
    return out;
  }

  private async objectOf(ref: ContextRef): Promise<unknown> {
    const r = await this.objects.resolve(ref);
    return r.found ? r.object : null;
  }

  /** After loading stored state: re-create the root and current objects. False if the root is gone. */
  private async restoreObjects(): Promise<boolean> {
    if (!(await this.objects.resolve(this.st.root)).found) return false;
    if (!(await this.objects.resolve(this.st.current)).found) {
      this.st.current = this.st.root;
      this.clearPending();
    }
    return true;
  }

  private async startup(): Promise<void> {
    const def = this.workflow.definition;
    const signal = neverAborted();
    if (def.startupAction) {
      const cmd = this.commandHere(def.startupAction.command);
      if (!cmd) throw new FastWorkflowError(ErrorCode.InvalidWorkflow, `startupAction names "${def.startupAction.command}", which is not a command of the global context.`);
      const draft = await this.validateAndRun(cmd.command, cmd.target, def.startupAction.parameters ?? {}, '', { source: IntentSource.Action }, signal, { ask: false });
      if (draft.kind !== OutputKind.Result || !draft.success) {
        throw new FastWorkflowError(ErrorCode.InvalidWorkflow, `The startup action ${cmd.command.name} failed: ${draft.responses.map((r) => r.text).join(' ')}`);
      }
    } else if (def.startupCommand) {
      await this.route(def.startupCommand, signal);
    }
    this.st.root = this.st.current;
    this.clearPending();
    await this.persist();
  }

  private commandHere(name: string): { command: ResolvedCommand; target: ContextRef } | undefined {
    const command = this.workflow.commandIn(this.st.current.context, name);
    return command ? { command, target: this.st.current } : undefined;
  }

  private unknownCommand(name: string): Draft {
    const error: FwErrorData = { code: ErrorCode.UnknownCommand, message: `There is no command "${name}" here.\n${this.commandList(this.st.current.context)}`, details: { command: name } };
    return errorDraft(error);
  }

  private clearPending(): void {
    this.st.stage = Stage.Intent;
    this.st.pending = undefined;
    this.st.choice = undefined;
    this.st.question = undefined;
  }

  private remember(entry: SessionState['history'][number]): void {
    this.st.history.push(entry);
    if (this.st.history.length > MAX_HISTORY) this.st.history.splice(0, this.st.history.length - MAX_HISTORY);
  }

  private async persist(): Promise<void> {
    this.st.revision += 1;
    this.st.updatedAt = this.now();
    await this.store.save(structuredClone(this.st));
  }
}

function newState(id: string, workflow: string, now: number): SessionState {
  return { version: SESSION_STATE_VERSION, id, workflow, revision: 0, root: GLOBAL_REF, current: GLOBAL_REF, stage: Stage.Intent, history: [], updatedAt: now };
}

function info(text: string, success = true, command?: string): Draft {
  return { kind: OutputKind.Info, success, responses: [response(text, success)], ...(command ? { command } : {}) };
}

function errorDraft(error: FwErrorData): Draft {
  return { kind: OutputKind.Error, success: false, error, responses: [response(error.message, false)] };
}

/** Did any extracted value survive validation? */
function answeredAny(extracted: Record<string, unknown>, draft: Draft): boolean {
  const valid = draft.clarification?.type === 'parameters' ? draft.clarification.values : {};
  return Object.keys(extracted).some((k) => k in valid);
}

function askedFields(problems: readonly FieldProblem[], cmd: ResolvedCommand): string[] {
  const named = problems.map((p) => p.field).filter((f): f is string => !!f);
  return named.length ? named : cmd.fields.map((f) => f.name);
}

function randomId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `s-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
}

function neverAborted(): AbortSignal {
  return new AbortController().signal;
}
