import { Task, TaskStatus, initialState } from '@lit/task';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ErrorCode, isAbortError, toErrorData, WorkflowSession, type CorrectionScope, type CorrectionStore, type FwErrorData, type IntentClassifier, type SessionStore, type WorkflowDefinition } from '../src/index.ts';

/**
 * Seam for trained models: called once per workflow (and again on `reload()` after a failure) to make
 * the classifier, e.g. by starting a Worker that loads a bundle. The signal aborts when the element is
 * disconnected or the workflow changes.
 */
export type ClassifierFactory = (signal: AbortSignal) => Promise<IntentClassifier>;

/** What the loader needs from the element: its inputs, and where to report. */
export interface ChatLoaderHost extends ReactiveControllerHost {
  readonly workflow: WorkflowDefinition<any> | undefined;
  /** A classifier set directly (no loading). */
  readonly classifier: IntentClassifier | undefined;
  /** The factory to load one with (the element's own, or the bundle's), if any. */
  classifierSource(workflow: WorkflowDefinition<any>): ClassifierFactory | undefined;
  readonly sessionId: string;
  /** Who learns from corrections (`session` or `device`). */
  readonly correctionScope: CorrectionScope;
  stores(): { store: SessionStore; corrections: CorrectionStore };
  classifierLoaded(result: ClassifierResult): void;
  sessionOpened(session: WorkflowSession<any>): void;
  openFailed(error: FwErrorData): void;
}

/** A factory's outcome: its classifier, or the error (the engine's lexical classifier is used then). */
export interface ClassifierResult {
  workflow: WorkflowDefinition<any>;
  factory: ClassifierFactory;
  classifier?: IntentClassifier;
  error?: FwErrorData;
}

export type LoadStatus = 'idle' | 'loading-classifier' | 'opening' | 'ready' | 'error';

/**
 * Loads the classifier and opens the session of `<fw-chat>` with two `@lit/task` tasks: a change of
 * workflow, session id, stores or classifier re-runs them, a newer run aborts an older one and only
 * the newest result counts (no generation counters in the element).
 */
export class ChatLoader implements ReactiveController {
  /** Bumped to open the session again (reload, another tab's change, a save conflict, restart). */
  private reopens = 0;
  /** Bumped to run a failed classifier factory again. */
  private retries = 0;
  /** Bumped when the element is connected again after a load was aborted by disconnecting. */
  private connections = 0;
  private interrupted = false;
  /** Open the next session with a new application state instead of keeping the current one. */
  private freshApp = false;
  current?: WorkflowSession<any>;

  readonly classifierTask: Task<readonly [WorkflowDefinition<any> | undefined, ClassifierFactory | undefined, number, number], ClassifierResult | undefined>;
  readonly sessionTask: Task<
    readonly [WorkflowDefinition<any> | undefined, string, SessionStore, CorrectionStore, CorrectionScope, IntentClassifier | undefined, ClassifierResult | undefined, number, number],
    WorkflowSession<any>
  >;

  constructor(private readonly host: ChatLoaderHost) {
    this.classifierTask = new Task(host, {
      args: () => {
        const workflow = host.workflow;
        const factory = workflow && !host.classifier ? host.classifierSource(workflow) : undefined;
        return [workflow, factory, this.retries, this.connections] as const;
      },
      task: async ([workflow, factory], { signal }) => {
        if (!workflow || !factory) return undefined;
        try {
          return { workflow, factory, classifier: await factory(signal) };
        } catch (err) {
          if (signal.aborted) throw err;
          const data = toErrorData(err, ErrorCode.ClassifierFailed);
          return { workflow, factory, error: data.code === ErrorCode.Aborted ? data : { code: ErrorCode.ClassifierFailed, message: data.message } };
        }
      },
      onComplete: (result) => {
        if (result) host.classifierLoaded(result);
      },
    });

    this.sessionTask = new Task(host, {
      args: () => {
        const { store, corrections } = host.stores();
        const loaded = this.classifierTask.status === TaskStatus.COMPLETE ? this.classifierTask.value : undefined;
        const scope: CorrectionScope = host.correctionScope === 'device' ? 'device' : 'session';
        return [host.workflow, host.sessionId || 'default', store, corrections, scope, host.classifier, loaded, this.reopens, this.connections] as const;
      },
      task: async ([workflow, sessionId, store, corrections, correctionScope, classifier, loaded]) => {
        if (!workflow) return initialState;
        // Wait for the classifier when one is being loaded for this workflow.
        const factory = classifier ? undefined : this.host.classifierSource(workflow);
        if (factory && (loaded?.workflow !== workflow || loaded.factory !== factory)) return initialState;
        const key = `${workflow.name}/${sessionId}`;
        const keep = !this.freshApp && this.current?.workflow.definition === workflow && this.current.id === key ? { app: this.current.app } : {};
        this.freshApp = false;
        const options = { workflow, classifier: classifier ?? loaded?.classifier, store, corrections, correctionScope, sessionId: key, ...keep };
        try {
          return await WorkflowSession.open(options);
        } catch (err) {
          // Two tabs starting the same new session at once: the loser loads the winner's state.
          const data = toErrorData(err);
          if (data.code === ErrorCode.SessionConflict && data.reason !== 'version_change') return WorkflowSession.open(options);
          throw err;
        }
      },
      onComplete: (session) => {
        this.current = session;
        host.sessionOpened(session);
      },
      onError: (err) => {
        if (!isAbortError(err)) host.openFailed(toErrorData(err));
      },
    });
    host.addController(this);
  }

  /** Where loading is, for the element's `status`. */
  status(): LoadStatus {
    if (!this.host.workflow) return 'idle';
    if (this.classifierTask.status === TaskStatus.PENDING) return 'loading-classifier';
    switch (this.sessionTask.status) {
      case TaskStatus.COMPLETE:
        return this.current ? 'ready' : 'opening';
      case TaskStatus.ERROR:
        return isAbortError(this.sessionTask.error) ? 'opening' : 'error';
      default:
        return 'opening';
    }
  }

  /** Open the session again; `fresh` makes a new application state; `retryClassifier` re-runs a failed factory. */
  reopen(opts: { fresh?: boolean; retryClassifier?: boolean } = {}): void {
    if (opts.fresh) this.freshApp = true;
    if (opts.retryClassifier && this.classifierTask.value?.error) this.retries++;
    this.reopens++;
    this.host.requestUpdate();
  }

  /** Forget the open session (another workflow is being opened). */
  forget(): void {
    this.current = undefined;
  }

  /** Resolves once the latest load has settled: the session, or undefined when opening failed. */
  async ready(isConnected: () => boolean): Promise<WorkflowSession<any> | undefined> {
    for (let i = 0; i < 1000; i++) {
      // Not in the page: nothing loads (an element updates only while connected).
      if (!isConnected()) return this.current;
      await (this.host as unknown as { updateComplete: Promise<unknown> }).updateComplete;
      if (!this.host.workflow) return undefined;
      if (this.classifierTask.status === TaskStatus.PENDING) {
        await this.classifierTask.taskComplete.catch(() => undefined);
        continue;
      }
      switch (this.sessionTask.status) {
        case TaskStatus.PENDING:
          await this.sessionTask.taskComplete.catch(() => undefined);
          continue;
        case TaskStatus.COMPLETE:
          return this.sessionTask.value;
        case TaskStatus.ERROR:
          if (isAbortError(this.sessionTask.error) && isConnected()) continue;
          return undefined;
        default:
          // Waiting for the update that starts the next task.
          await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    return undefined;
  }

  hostConnected(): void {
    if (this.interrupted) {
      this.interrupted = false;
      this.connections++;
      this.host.requestUpdate();
    }
  }

  hostDisconnected(): void {
    // Leaving the page while loading: stop (a Worker, a download); connecting again starts over.
    const loading = this.classifierTask.status === TaskStatus.PENDING || this.sessionTask.status === TaskStatus.PENDING;
    if (loading) {
      this.interrupted = true;
      this.classifierTask.abort();
      this.sessionTask.abort();
    }
  }
}
