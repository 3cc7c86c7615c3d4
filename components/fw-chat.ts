import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { IdbSessionStore, isObservableStore, type ConnectionEvent, type SessionChange } from '../src/idb.ts';
import {
  ErrorCode,
  FastWorkflowError,
  toErrorData,
  formatCorrectionsFile,
  type Clarification,
  type CommandOutput,
  type Correction,
  type CorrectionChange,
  type CorrectionScope,
  type CorrectionStore,
  type FwErrorData,
  type IntentClassifier,
  type SessionStore,
  type WorkflowDefinition,
  type WorkflowSession,
} from '../src/index.ts';
import { ChatLoader, type ClassifierFactory, type ClassifierResult } from './chat-loader.ts';
import { defaultStores } from './default-stores.ts';
import { fwEvent, type ContextCrumb, type FwErrorPhase } from './events.ts';
import { chatStyles } from './fw-chat-styles.ts';
import { renderConfirmation, renderIntentChoices } from './fw-choices.ts';
import { downloadText, learnedStyles, renderLearned } from './fw-learned.ts';
import { renderParamForm } from './fw-param-form.ts';
import { mergeTranscript, renderTranscript, type TranscriptEntry } from './fw-transcript.ts';
import { describeAgentStep, type AgentStep } from '../src/index.ts';
import { llmSessionOptions, type LlmSettings } from './llm-session-options.ts';
import type { OpenAILoader } from '../src/llm/client.ts';
import './fw-llm-settings.ts';

export type FwChatStatus = 'idle' | 'loading-classifier' | 'opening' | 'ready' | 'error';

/**
 * Seam for trained models (see chat-loader.ts). While it runs the element shows `classifierStatus` (or
 * "Loading the intent model…"); when it rejects, the error is shown and the lexical classifier is used.
 */
export type { ClassifierFactory };

/**
 * `<fw-chat>`: a chat with a fastworkflow workflow, all in the page.
 *
 * ```js
 * const chat = document.querySelector('fw-chat');
 * chat.workflow = todo;                 // a WorkflowDefinition
 * await chat.send('open item 2');       // → CommandOutput (also typed into the transcript)
 * chat.session.currentContext();        // the WorkflowSession
 * ```
 * The session is stored (IndexedDB by default) under `<workflow name>/<session-id>`, so one session-id
 * can be used with several workflows; the conversation comes back after a reload, and another tab's
 * changes to it are picked up.
 *
 * @fires fw-command - after every turn; detail: CommandOutput
 * @fires fw-error - the classifier, opening the session, a turn or the database failed; detail: FwErrorDetail
 * @fires fw-context-change - the current context changed (and once on open); detail: FwContextChangeDetail
 * @csspart transcript, message, message-user, message-assistant, message-notice, bubble, badge, intro, typing,
 *   status, error, clarification, param-form, form-title, field, field-label, control, hint, problem,
 *   form-submit, form-cancel, retry, choices, choice, choice-cancel, confirmation, confirm-yes, confirm-no,
 *   composer, input, send, learned, learned-summary, learned-item, learned-undo, learned-download
 * @cssprop --fw-bg, --fw-surface, --fw-fg, --fw-muted, --fw-border, --fw-accent, --fw-accent-fg, --fw-user-bg,
 *   --fw-user-fg, --fw-assistant-bg, --fw-assistant-fg, --fw-error, --fw-error-bg, --fw-warning, --fw-radius,
 *   --fw-gap, --fw-focus, --fw-font, --fw-font-size
 */
export class FwChat extends LitElement {
  static override styles = [chatStyles, learnedStyles];

  static override properties = {
    workflow: { attribute: false },
    classifier: { attribute: false },
    classifierFactory: { attribute: false },
    bundle: {},
    ortPath: { attribute: 'ort-path' },
    preferWebgpu: { attribute: 'prefer-webgpu', type: Boolean },
    threads: { type: Number },
    classifierStatus: { attribute: false },
    classifierError: { attribute: false },
    store: { attribute: false },
    corrections: { attribute: false },
    correctionScope: { attribute: 'corrections-scope' },
    learned: { state: true },
    sessionId: { attribute: 'session-id' },
    placeholder: {},
    status: { reflect: true },
    entries: { state: true },
    question: { state: true },
    busy: { state: true },
    openError: { state: true },
    storageNotice: { state: true },
    llmSettings: { attribute: 'llm-settings', type: Boolean },
    loadOpenAI: { attribute: false },
  };

  /** The workflow to talk to. Setting another one opens its session. */
  declare workflow: WorkflowDefinition<any> | undefined;
  /** Intent detection; default: the engine's lexical classifier (or what `classifierFactory` makes). */
  declare classifier: IntentClassifier | undefined;
  declare classifierFactory: ClassifierFactory | undefined;
  /**
   * Attribute `bundle`: URL of a trained bundle folder (from `fastworkflow train`). Its intent model
   * then runs in a Web Worker; files are checked against the manifest and cached for offline use.
   */
  declare bundle: string | undefined;
  /** Attribute `ort-path`: where onnxruntime-web's wasm files are served (default `/ort/`). */
  declare ortPath: string | undefined;
  /** Where onnxruntime-web's wasm files are when `ort-path` is not set (the standalone build sets it). */
  static defaultOrtPath: string | undefined;
  /** Attribute `prefer-webgpu`: run the encoder on WebGPU when the browser really has an adapter (default: wasm). */
  declare preferWebgpu: boolean;
  /**
   * Attribute `threads`: encoder threads where the page is cross-origin isolated (the built-in encoder
   * takes 2 unless this is 1; onnxruntime-web this many). Ignored elsewhere.
   */
  declare threads: number | undefined;
  /** Progress text shown while `classifierFactory` runs (the factory may update it). */
  declare classifierStatus: string | undefined;
  /** An intent-model problem to show in the chat (set by the element when the factory fails, or by you). */
  declare classifierError: string | undefined;
  /** Where sessions are saved; default: IndexedDB (memory when there is none). */
  declare store: SessionStore | undefined;
  declare corrections: CorrectionStore | undefined;
  /**
   * Attribute `corrections-scope`: who learns from a correction ("you misunderstood" → the right
   * command). `session` (default): this conversation; `device`: every conversation of this workflow in
   * this browser profile (other open tabs at once).
   */
  declare correctionScope: CorrectionScope;
  declare private learned: Correction[];
  /** Attribute `session-id`; default `default`. */
  declare sessionId: string;
  declare placeholder: string;
  /** Reflected: `idle` (no workflow), `loading-classifier`, `opening`, `ready`, `error`. */
  declare status: FwChatStatus;
  /** Attribute `llm-settings`: show the LLM settings (mode, base URL, model, key). */
  declare llmSettings: boolean;
  /** How `openai` is loaded for the LLM roles; a bundled page sets `() => import('openai')`. */
  declare loadOpenAI: OpenAILoader | undefined;
  private llm?: LlmSettings;
  private streaming?: TranscriptEntry;

  declare private entries: TranscriptEntry[];
  declare private question: Clarification | undefined;
  declare private busy: number;
  declare private openError: string | undefined;
  declare private storageNotice: string | undefined;

  /** Loads the classifier and opens the session (two @lit/task tasks). */
  private readonly loader = new ChatLoader(this);
  /** The context path last announced with fw-context-change (announced again whenever it differs). */
  private announced?: string;
  private notices: TranscriptEntry[] = [];
  private sendingEntry?: TranscriptEntry;
  private questionKey = 0;
  /** The current parameter question repeats one the user already answered (problems are then errors). */
  private questionAttempted = false;
  private focusTarget?: 'question' | 'input';
  private stickToBottom = true;
  private unsubscribe?: () => void;
  private restarting = false;

  constructor() {
    super();
    this.sessionId = 'default';
    this.correctionScope = 'session';
    this.learned = [];
    this.placeholder = 'Type a request, e.g. "what can I do?"';
    this.status = 'idle';
    this.entries = [];
    this.busy = 0;
  }

  private get current(): WorkflowSession<any> | undefined {
    return this.loader.current;
  }

  /** The open session (undefined until it is open). */
  get session(): WorkflowSession<any> | undefined {
    return this.current;
  }

  /** Resolves with the session once it is open (undefined if opening failed). */
  whenReady(): Promise<WorkflowSession<any> | undefined> {
    return this.loader.ready(() => this.isConnected);
  }

  /** Send a message as the user; the reply is rendered and returned. Rejects if the turn could not be saved. */
  send(text: string): Promise<CommandOutput> {
    return this.turn(text, (s) => s.send(text, { onText: (delta) => this.streamed(delta) }));
  }

  /** Agent mode: the reply as it streams in, shown until the turn's result replaces it. */
  private streamed(delta: string): void {
    this.streaming = { role: 'assistant', text: (this.streaming?.text ?? '') + delta, at: Date.now(), sending: true };
    this.requestUpdate();
  }

  /** Answer the pending parameter question with values (what the form does). */
  submitParameters(values: Record<string, unknown>): Promise<CommandOutput> {
    const shown = Object.entries(values).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ');
    return this.turn(shown, (s) => s.submitParameters(values));
  }

  /** Re-open the session from the store (keeping the application state); retries a failed classifier. */
  reload(): Promise<WorkflowSession<any> | undefined> {
    this.loader.reopen({ retryClassifier: true });
    return this.whenReady();
  }

  /** Start over: forget the stored conversation and open a fresh one with a new application state. */
  async restart(): Promise<WorkflowSession<any> | undefined> {
    const session = this.current;
    this.restarting = true;
    try {
      if (session) await this.stores().store.delete(session.id);
    } finally {
      this.restarting = false;
    }
    this.notices = [];
    this.loader.reopen({ fresh: true });
    return this.whenReady();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.current) this.watchStore();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('workflow') && this.current && this.current.workflow.definition !== this.workflow) {
      // Another workflow: its own conversation (the loader opens it).
      this.loader.forget();
      this.notices = [];
      this.question = undefined;
      this.entries = [];
      this.announced = undefined;
    }
    if (changed.has('entries')) {
      const log = this.renderRoot?.querySelector?.('.log');
      this.stickToBottom ||= !log || log.scrollHeight - log.scrollTop - log.clientHeight < 48;
    }
  }

  protected override update(changed: PropertyValues): void {
    // The loader's tasks have run by now (controllers update before this): show where loading is.
    this.status = this.loader.status();
    if (this.status === 'opening' || this.status === 'loading-classifier') this.openError = undefined;
    super.update(changed);
  }

  /** Opening "What I learned" shrinks the log: keep the latest message in view. */
  private keepLatestVisible(): void {
    const log = this.renderRoot.querySelector('.log');
    if (log) log.scrollTop = log.scrollHeight;
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('entries') && this.stickToBottom) {
      const log = this.renderRoot.querySelector('.log');
      if (log) log.scrollTop = log.scrollHeight;
      this.stickToBottom = false;
    }
    if (this.focusTarget) {
      const target = this.focusTarget === 'question' ? this.questionFocusTarget() : this.renderRoot.querySelector<HTMLElement>('.composer input');
      this.focusTarget = undefined;
      target?.focus();
    }
  }

  protected override render(): TemplateResult {
    const ready = this.status === 'ready';
    const intro = this.workflow ? `${this.workflow.description} Type a request, or ask "what can I do?".` : undefined;
    const entries = [...this.entries, ...(this.sendingEntry ? [this.sendingEntry] : []), ...(this.streaming ? [this.streaming] : [])];
    return html`
      ${this.renderBanners()}
      ${this.llmSettings ? html`<fw-llm-settings @fw-llm-settings=${this.onLlmSettings}></fw-llm-settings>` : nothing}
      <div class="status" part="status" role="status">${this.statusText()}</div>
      <div class="log" part="transcript" role="log" aria-live="polite" aria-label="Conversation" tabindex="0">${renderTranscript(entries, intro, this.busy > 0)}</div>
      ${this.question && ready ? html`<div class="clarification" part="clarification">${keyed(this.questionKey, this.renderQuestion(this.question))}</div>` : nothing}
      ${ready ? renderLearned({ corrections: this.learned, scope: this.current?.correctionScope ?? 'session', undo: (c) => void this.undoCorrection(c.id), download: () => void this.downloadCorrections(), toggled: () => this.keepLatestVisible() }) : nothing}
      <form class="composer" part="composer" @submit=${this.onComposerSubmit}>
        <input part="input" type="text" name="message" aria-label="Message" autocomplete="off" enterkeyhint="send" placeholder=${this.placeholder} ?disabled=${this.status === 'idle'} />
        <button part="send" type="submit" class="primary" ?disabled=${!ready}>Send</button>
      </form>
    `;
  }

  private onLlmSettings = (e: CustomEvent<LlmSettings>): void => {
    this.llm = e.detail;
    this.current?.configureLlm(llmSessionOptions(this.llm, this.loadOpenAI));
  };

  // ----------------------------------------------------------------------------------------------
  // Rendering helpers

  private renderBanners(): TemplateResult | typeof nothing {
    const banners: TemplateResult[] = [];
    if (this.openError) {
      banners.push(html`<div class="banner" part="error" role="alert" data-error="open"><span>${this.openError}</span><button type="button" part="retry" @click=${() => this.reload()}>Retry</button></div>`);
    }
    if (this.classifierError) {
      banners.push(html`<div class="banner" part="error" role="alert" data-error="classifier"><span>${this.classifierError}</span>${this.classifierFactory ? html`<button type="button" part="retry" @click=${() => this.reload()}>Retry</button>` : nothing}</div>`);
    }
    if (this.storageNotice) banners.push(html`<div class="banner" part="error" role="alert" data-error="storage"><span>${this.storageNotice}</span></div>`);
    return banners.length ? html`${banners}` : nothing;
  }

  private statusText(): string {
    switch (this.status) {
      case 'idle':
        return 'No workflow yet: set the element’s workflow property.';
      case 'loading-classifier':
        return this.classifierStatus ?? 'Loading the intent model…';
      case 'opening':
        return 'Opening the conversation…';
      default:
        return '';
    }
  }

  private renderQuestion(q: Clarification): TemplateResult {
    switch (q.type) {
      case 'parameters':
        return renderParamForm(q, { submit: (values) => void this.submitParameters(values).catch(() => undefined), cancel: () => this.quietly('abort') }, { attempted: this.questionAttempted });
      case 'intent':
        return renderIntentChoices(q, (command) => this.quietly(command), () => this.quietly('abort'));
      case 'confirmation':
        return renderConfirmation(q, (yes) => this.quietly(yes ? 'yes' : 'no'));
    }
  }

  private questionFocusTarget(): HTMLElement | null {
    const root = this.renderRoot;
    return (
      root.querySelector<HTMLElement>('.param-form [aria-invalid="true"]') ??
      root.querySelector<HTMLElement>('.param-form [part~="control"]') ??
      root.querySelector<HTMLElement>('.choices .choice') ??
      root.querySelector<HTMLElement>('.confirm .primary')
    );
  }

  private onComposerSubmit = (e: SubmitEvent): void => {
    e.preventDefault();
    const input = (e.currentTarget as HTMLFormElement).elements.namedItem('message') as HTMLInputElement;
    const text = input.value.trim();
    if (!text || this.status !== 'ready') return;
    input.value = '';
    const giveBack = () => {
      if (!input.value) input.value = text; // give the text back so it can be sent again (or shortened)
    };
    this.send(text).then((out) => {
      if (out.error?.code === ErrorCode.MessageTooLong) giveBack();
    }, giveBack);
  };

  /** A UI action sends text; failures are already shown in the transcript. */
  private quietly(text: string): void {
    void this.send(text).catch(() => undefined);
  }

  // ----------------------------------------------------------------------------------------------
  // Turns

  private async turn(shown: string, run: (s: WorkflowSession<any>) => Promise<CommandOutput>): Promise<CommandOutput> {
    if (!this.workflow) throw new FastWorkflowError(ErrorCode.InvalidWorkflow, 'Set the workflow property of <fw-chat> before sending messages.');
    const session = await this.whenReady();
    if (!session) throw new FastWorkflowError(ErrorCode.InvalidWorkflow, this.openError ?? 'The conversation is not open yet.');
    const hadFocus = this.matches(':focus-within');
    this.busy++;
    this.sendingEntry = { role: 'user', text: shown, at: Date.now(), sending: true };
    this.stickToBottom = true;
    this.syncTranscript();
    try {
      const output = await run(session);
      if (session !== this.current) return output;
      const next = session.pendingClarification();
      this.questionAttempted = next?.type === 'parameters' && this.question?.type === 'parameters' && next.command === this.question.command;
      if (!this.questionAttempted) this.questionKey++;
      this.question = next;
      if (hadFocus) this.focusTarget = next ? 'question' : 'input';
      if (output.trace) this.showTrace(output.trace.filter((t) => t.type !== 'reply' && t.type !== 'fault'));
      this.dispatchEvent(fwEvent('fw-command', output));
      // A store that announces its changes refreshes the list then (onCorrectionChange); others after each turn.
      if (!this.stores().corrections.subscribe) void this.refreshLearned(session);
      // The context, or only how it is shown (a renamed object), may have changed.
      await this.announceContext(session);
      return output;
    } catch (err) {
      const data = toErrorData(err, ErrorCode.HandlerFailed);
      if (data.code === ErrorCode.SessionConflict && session === this.current && data.reason !== 'version_change') {
        this.addNotice('This conversation was changed in another tab, so it has been reloaded. Please send your message again.');
        this.loader.reopen();
      } else {
        this.addNotice(`Something went wrong: ${data.message}`);
      }
      this.emitError('send', data);
      throw err;
    } finally {
      this.busy--;
      this.sendingEntry = undefined;
      this.streaming = undefined;
      if (session === this.current) this.syncTranscript();
    }
  }

  private syncTranscript(): void {
    this.entries = mergeTranscript(this.current?.state.history ?? [], this.notices);
  }

  /** Agent mode: each tool call and its outcome, between the user's message and the reply. */
  private showTrace(steps: AgentStep[]): void {
    const history = this.current?.state.history ?? [];
    const [user, reply] = [history.at(-2)?.at ?? Date.now(), history.at(-1)?.at ?? Date.now()];
    const notes = steps.map((step, i): TranscriptEntry => ({ role: 'notice', text: `Tool: ${describeAgentStep(step)}`, at: user + ((reply - user) * (i + 1)) / (steps.length + 1) }));
    if (notes.length) this.notices = [...this.notices, ...notes];
  }

  private addNotice(text: string): void {
    this.notices = [...this.notices, { role: 'notice', text, at: Date.now() }];
    this.syncTranscript();
  }

  // ----------------------------------------------------------------------------------------------
  // Opening

  /** ChatLoaderHost: where sessions and corrections are stored (the properties, or the page's defaults). */
  stores(): { store: SessionStore; corrections: CorrectionStore } {
    const defaults = this.store && this.corrections ? undefined : defaultStores();
    return { store: this.store ?? defaults!.store, corrections: this.corrections ?? defaults!.corrections };
  }

  /** ChatLoaderHost: the factory that loads the classifier of a workflow (the element's, or the bundle's). */
  classifierSource(workflow: WorkflowDefinition<any>): ClassifierFactory | undefined {
    return this.classifierFactory ?? (this.bundle ? this.bundleFactory(this.bundle, workflow) : undefined);
  }

  /** ChatLoaderHost: the session is open. */
  sessionOpened(session: WorkflowSession<any>): void {
    this.openError = undefined;
    session.configureLlm(llmSessionOptions(this.llm, this.loadOpenAI));
    this.question = session.pendingClarification();
    this.questionKey++;
    this.questionAttempted = false;
    this.stickToBottom = true;
    this.announced = undefined;
    this.syncTranscript();
    this.watchStore();
    void this.refreshLearned(session);
    void this.announceContext(session);
  }

  // ----------------------------------------------------------------------------------------------
  // What I learned (corrections)

  /** The corrections the open session learns from (its scope), oldest first. */
  async learnedCorrections(): Promise<Correction[]> {
    return (await this.whenReady())?.corrections() ?? [];
  }

  /** Undo a correction (the "Undo" button): forgotten by this session, and by others of its scope. */
  async undoCorrection(id: string): Promise<Correction | undefined> {
    const session = await this.whenReady();
    const removed = await session?.undoCorrection(id);
    if (session && removed) {
      this.addNotice(`Forgot that “${removed.utterance}” means ${removed.command}.`);
      await this.refreshLearned(session);
    }
    return removed;
  }

  /** All corrections of this workflow in the store, as the corrections file (JSON) — what the Download button saves. */
  async exportCorrections(): Promise<string> {
    if (!this.workflow) return formatCorrectionsFile([]);
    return formatCorrectionsFile(await this.stores().corrections.list(this.workflow.name));
  }

  private async downloadCorrections(): Promise<void> {
    const text = await this.exportCorrections();
    downloadText(this.ownerDocument, `${this.workflow?.name ?? 'fastworkflow'}-corrections.json`, text);
  }

  private async refreshLearned(session: WorkflowSession<any>): Promise<void> {
    try {
      const list = await session.corrections();
      if (session === this.current) this.learned = list;
    } catch (err) {
      this.emitError('storage', toErrorData(err));
    }
  }

  /** A correction recorded or undone elsewhere (another tab, another element): learn or forget it. */
  private async onCorrectionChange(change: CorrectionChange): Promise<void> {
    const session = this.current;
    if (!session || this.status !== 'ready') return;
    if (await session.applyCorrectionChange(change)) await this.refreshLearned(session);
  }

  /** ChatLoaderHost: the session could not be opened. */
  openFailed(data: FwErrorData): void {
    this.openError = `Could not open the conversation: ${data.message}`;
    this.emitError('open', data);
  }

  /** ChatLoaderHost: the classifier factory finished (a classifier, or an error and the lexical fallback). */
  classifierLoaded(result: ClassifierResult): void {
    this.classifierStatus = undefined;
    if (!result.error) {
      this.classifierError = undefined;
      return;
    }
    this.classifierError = `The intent model could not be loaded: ${result.error.message} Falling back to simple word matching; "/command key=value" always works.`;
    this.emitError('classifier', result.error);
  }

  /** The intent classifier in use (the bundle's Worker classifier once loaded), if not the fallback. */
  get intentClassifier(): IntentClassifier | undefined {
    const loaded = this.loader.classifierTask.value;
    return this.classifier ?? (loaded?.workflow === this.workflow ? loaded?.classifier : undefined);
  }

  private readonly bundleFactories = new Map<string, ClassifierFactory>();

  /** A factory (one per bundle URL and workflow) that starts the intent Worker on the bundle. */
  private bundleFactory(bundle: string, workflow: WorkflowDefinition<any>): ClassifierFactory {
    const key = `${bundle}\u0000${workflow.name}\u0000${this.ortPath ?? ''}\u0000${this.preferWebgpu ? 'gpu' : 'wasm'}\u0000${this.threads ?? ''}`;
    let factory = this.bundleFactories.get(key);
    if (!factory) {
      factory = async (signal) => {
        const { createWorkerClassifier } = await import('../workers/intent-client.ts');
        const stages: Record<string, string> = { manifest: 'Loading the intent model…', verify: 'Checking the model files…', encoder: 'Starting the encoder…', ready: 'Ready.' };
        const classifier = await createWorkerClassifier({
          bundleUrl: bundle,
          ...((this.ortPath ?? FwChat.defaultOrtPath) ? { wasmPaths: this.ortPath ?? FwChat.defaultOrtPath } : {}),
          preferWebGpu: !!this.preferWebgpu,
          ...(this.threads !== undefined && Number.isFinite(this.threads) ? { threads: this.threads } : {}),
          signal,
          onProgress: (p) => {
            this.classifierStatus = `${stages[p.stage] ?? p.stage}${p.fraction !== undefined ? ` ${Math.round(p.fraction * 100)}%` : ''}`;
          },
        });
        if (classifier.info.workflow !== workflow.name) {
          classifier.dispose();
          throw new FastWorkflowError(ErrorCode.BundleInvalid, `The bundle at ${bundle} was trained for workflow "${classifier.info.workflow}", not "${workflow.name}".`);
        }
        this.classifierStatus = undefined;
        return classifier;
      };
      this.bundleFactories.set(key, factory);
    }
    return factory;
  }

  // ----------------------------------------------------------------------------------------------
  // Other tabs, storage, events

  private watchStore(): void {
    this.unsubscribe?.();
    const { store, corrections } = this.stores();
    const offs: (() => void)[] = [];
    if (isObservableStore(store)) offs.push(store.subscribe((c) => this.onStoreChange(c)));
    if (corrections.subscribe) offs.push(corrections.subscribe((c) => void this.onCorrectionChange(c)));
    if (store instanceof IdbSessionStore) offs.push(store.connection.subscribe((e) => this.onConnectionEvent(e)));
    this.unsubscribe = () => offs.forEach((off) => off());
  }

  private onStoreChange(change: SessionChange): void {
    const session = this.current;
    if (!session || change.sessionId !== session.id || this.restarting || this.status !== 'ready') return;
    if (change.type === 'saved' && (change.revision ?? 0) <= session.state.revision) return;
    // Mid-turn, our own save will be refused and the turn handler reloads.
    if (this.busy > 0) return;
    if (change.type === 'deleted') this.notices = [];
    this.loader.reopen();
  }

  private onConnectionEvent(event: ConnectionEvent): void {
    if (event.type === 'terminated') {
      this.addNotice(event.message);
      return;
    }
    this.storageNotice = event.message;
    this.emitError('storage', { code: ErrorCode.SessionConflict, message: event.message, reason: 'connection_event', event: event.type });
  }

  /** fw-context-change when the context path (contexts or how they are shown) differs from the last one announced. */
  private async announceContext(session: WorkflowSession<any>): Promise<void> {
    try {
      const path: ContextCrumb[] = await session.contextPath();
      const key = JSON.stringify(path);
      if (session !== this.current || key === this.announced) return;
      this.announced = key;
      const here = path[path.length - 1];
      this.dispatchEvent(fwEvent('fw-context-change', { context: here.context, display: here.display, path }));
    } catch (err) {
      this.emitError('send', toErrorData(err));
    }
  }

  private emitError(phase: FwErrorPhase, data: FwErrorData): void {
    this.dispatchEvent(fwEvent('fw-error', { ...data, phase }));
  }
}

if (!customElements.get('fw-chat')) customElements.define('fw-chat', FwChat);

declare global {
  interface HTMLElementTagNameMap {
    'fw-chat': FwChat;
  }
}
