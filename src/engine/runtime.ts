import type { IntentClassifier } from '../intent/classifier.ts';
import type { ChatClient } from '../llm/types.ts';
import type { ParameterExtractor } from '../params/extract.ts';
import type { CorrectionScope, CorrectionStore } from '../session/corrections.ts';
import type { SessionState } from '../session/state.ts';
import type { CompiledWorkflow, ResolvedCommand } from '../workflow/compile.ts';
import type { ContextRef } from '../workflow/types.ts';
import { ObjectRegistry, sameRef } from './objects.ts';
import { replies } from './replies.ts';

/**
 * What the steps of a turn work with: the workflow, the application, the collaborators and the
 * session state (which steps change through the conversation's transitions). Owned by the session.
 */
export class TurnRuntime<App> {
  readonly objects: ObjectRegistry<App>;
  /** LLM roles the engine uses (none by default: everything deterministic). */
  llm: { extraction?: ChatClient; agent?: ChatClient } = {};
  /** Who learns from a correction made here: this session only, or every session of the workflow. */
  correctionScope: CorrectionScope = 'session';

  constructor(
    readonly workflow: CompiledWorkflow<App>,
    readonly app: App,
    readonly classifier: IntentClassifier,
    readonly extractor: ParameterExtractor,
    readonly corrections: CorrectionStore,
    readonly now: () => number,
    public st: SessionState,
  ) {
    this.objects = new ObjectRegistry(workflow, app);
  }

  async objectOf(ref: ContextRef): Promise<unknown> {
    const r = await this.objects.resolve(ref);
    return r.found ? r.object : null;
  }

  async display(ref: ContextRef): Promise<string> {
    return this.objects.display(ref, await this.objectOf(ref));
  }

  /** A command of the current context, by name, and where it runs. */
  commandHere(name: string): { command: ResolvedCommand; target: ContextRef } | undefined {
    const command = this.workflow.commandIn(this.st.current.context, name);
    return command ? { command, target: this.st.current } : undefined;
  }

  /** The parent chain of a context object, nearest first. */
  async ancestors(ref: ContextRef): Promise<ContextRef[]> {
    const out: ContextRef[] = [];
    const root = this.st.root;
    let current = ref;
    for (let depth = 0; depth < 32; depth++) {
      const def = this.workflow.context(current.context);
      const parent = def.parent?.((await this.objectOf(current)) as never, this.app);
      let next: ContextRef | undefined;
      if (parent) next = this.objects.refFor(parent.context, parent.object);
      else if (!sameRef(current, root) && !out.some((r) => sameRef(r, root))) next = root;
      const candidate = next;
      if (!candidate || sameRef(candidate, current) || out.some((r) => sameRef(r, candidate))) break;
      out.push(candidate);
      current = candidate;
    }
    return out;
  }

  /** The "commands here / always available" list of a context. */
  commandList(context: string): string {
    const navigable = this.workflow.contextNames().some((c) => c !== '*');
    return replies.commandList(this.workflow.commandsIn(context).map((c) => ({ name: c.name, description: c.definition.description })), navigable);
  }
}

export function randomId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `s-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
}

export function neverAborted(): AbortSignal {
  return new AbortController().signal;
}
