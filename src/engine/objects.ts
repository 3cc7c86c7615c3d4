import type { CompiledWorkflow } from '../workflow/compile.ts';
import { GLOBAL_CONTEXT, type ContextRef } from '../workflow/types.ts';

export const GLOBAL_REF: ContextRef = { context: GLOBAL_CONTEXT, key: null };

/**
 * Live application objects by their context reference. Objects with a `key()` survive a reload
 * (re-created by the context's `resolve()`); others live as long as the session object.
 */
export class ObjectRegistry<App> {
  private readonly objects = new Map<string, unknown>();
  private readonly autoKeys = new WeakMap<object, string>();
  private nextAuto = 1;

  constructor(
    private readonly workflow: CompiledWorkflow<App>,
    private readonly app: App,
  ) {}

  /** Register an object as an instance of a context and return its reference. */
  refFor(context: string, object: unknown): ContextRef {
    const def = this.workflow.context(context);
    if (context === GLOBAL_CONTEXT) return GLOBAL_REF;
    let key: string;
    if (def.key) key = def.key(object as never);
    else if (typeof object === 'object' && object !== null) {
      key = this.autoKeys.get(object) ?? `~${this.nextAuto++}`;
      this.autoKeys.set(object, key);
    } else key = `=${JSON.stringify(object ?? null)}`;
    this.objects.set(refId({ context, key }), object);
    return { context, key };
  }

  /** The live object for a reference, re-created through `resolve()` if needed. */
  async resolve(ref: ContextRef): Promise<{ found: true; object: unknown } | { found: false }> {
    if (ref.context === GLOBAL_CONTEXT) return { found: true, object: null };
    if (!this.workflow.hasContext(ref.context)) return { found: false };
    const id = refId(ref);
    if (this.objects.has(id)) return { found: true, object: this.objects.get(id) };
    const def = this.workflow.context(ref.context);
    if (ref.key === null) return { found: false };
    if (ref.key.startsWith('=')) return { found: true, object: JSON.parse(ref.key.slice(1)) };
    if (!def.resolve) return { found: false };
    const object = await def.resolve(ref.key, this.app);
    if (object === undefined) return { found: false };
    this.objects.set(id, object);
    return { found: true, object };
  }

  display(ref: ContextRef, object: unknown): string {
    if (ref.context === GLOBAL_CONTEXT) return 'global context';
    const def = this.workflow.context(ref.context);
    const name = def.displayName?.(object as never);
    return name ?? (ref.key && !ref.key.startsWith('~') && !ref.key.startsWith('=') ? `${ref.context} ${ref.key}` : ref.context);
  }
}

export function refId(ref: ContextRef): string {
  return `${ref.context}\u0000${ref.key ?? ''}`;
}

export function sameRef(a: ContextRef, b: ContextRef): boolean {
  return a.context === b.context && a.key === b.key;
}
