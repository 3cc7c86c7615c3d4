import { ErrorCode, FastWorkflowError } from '../errors.ts';
import { fieldsOf, toInputJsonSchema, toOutputJsonSchema, type FieldInfo, type JsonSchema } from '../schema/field-info.ts';
import { BUILTIN_NAMES } from './builtin-names.ts';
import { GLOBAL_CONTEXT, type CommandDefinition, type ContextDefinition, type WorkflowDefinition } from './types.ts';

/** A command as seen in one context: its definition plus derived metadata. */
export interface ResolvedCommand {
  name: string;
  /** Context that defines it (may be a base or the global context). */
  definedIn: string;
  definition: CommandDefinition;
  fields: FieldInfo[];
}

/** Plain-data description of a command (for bundles, the UI and LLM tools). */
export interface CommandMetadata {
  name: string;
  description: string;
  definedIn: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  utterances: string[];
  hidden?: boolean;
}

/** A workflow definition checked and indexed: inheritance resolved, visible commands per context. */
export class CompiledWorkflow<App = unknown> {
  readonly definition: WorkflowDefinition<App>;
  private readonly contexts = new Map<string, ContextDefinition>();
  private readonly bases = new Map<string, string[]>();
  private readonly visible = new Map<string, Map<string, ResolvedCommand>>();

  constructor(definition: WorkflowDefinition<App>) {
    this.definition = definition;
    if (!definition.name) invalid('The workflow has no name: set `name` in defineWorkflow().');
    for (const ctx of definition.contexts) {
      if (!ctx.name) invalid('A context has no name: every defineContext() needs `name`.');
      if (this.contexts.has(ctx.name)) invalid(`Context "${ctx.name}" is defined twice: merge the two definitions.`);
      this.contexts.set(ctx.name, ctx);
    }
    if (!this.contexts.has(GLOBAL_CONTEXT)) this.contexts.set(GLOBAL_CONTEXT, { name: GLOBAL_CONTEXT, commands: [] });
    for (const name of this.contexts.keys()) this.bases.set(name, this.collectBases(name));
    for (const name of this.contexts.keys()) this.checkCycles(name, []);
    for (const name of this.contexts.keys()) this.visible.set(name, this.resolveVisible(name));
  }

  get name(): string {
    return this.definition.name;
  }

  contextNames(): string[] {
    return [...this.contexts.keys()];
  }

  hasContext(name: string): boolean {
    return this.contexts.has(name);
  }

  context(name: string): ContextDefinition {
    const ctx = this.contexts.get(name);
    if (!ctx) {
      throw new FastWorkflowError(ErrorCode.UnknownContext, `Unknown context "${name}". Known contexts: ${this.contextNames().join(', ')}.`, { context: name });
    }
    return ctx;
  }

  /** Direct bases of a context (from its `base` and the inheritance model). */
  basesOf(name: string): string[] {
    return this.bases.get(name) ?? [];
  }

  /**
   * Commands visible in a context: own, then inherited, then global; built-ins are separate. Hidden
   * commands (runnable by name only) are left out unless asked for.
   */
  commandsIn(context: string, options: { includeHidden?: boolean } = {}): ResolvedCommand[] {
    const all = [...this.visibleMap(context).values()];
    return options.includeHidden ? all : all.filter((c) => !c.definition.hidden);
  }

  commandIn(context: string, name: string): ResolvedCommand | undefined {
    return this.visibleMap(context).get(name);
  }

  /** Metadata of every command of every context, in a stable order. */
  metadata(): { contexts: Record<string, { base: string[]; commands: string[]; description?: string }>; commands: CommandMetadata[] } {
    const contexts: Record<string, { base: string[]; commands: string[]; description?: string }> = {};
    const commands = new Map<string, CommandMetadata>();
    for (const name of this.contextNames()) {
      const def = this.context(name);
      contexts[name] = {
        base: this.basesOf(name),
        commands: this.commandsIn(name, { includeHidden: true }).map((c) => c.name),
        ...(def.description ? { description: def.description } : {}),
      };
      for (const cmd of def.commands ?? []) {
        const key = `${name}/${cmd.name}`;
        commands.set(key, {
          name: cmd.name,
          description: cmd.description,
          definedIn: name,
          inputSchema: cmd.input ? toInputJsonSchema(cmd.input) : { type: 'object', properties: {} },
          ...(cmd.output ? { outputSchema: toOutputJsonSchema(cmd.output) } : {}),
          utterances: cmd.utterances ?? [],
          ...(cmd.hidden ? { hidden: true } : {}),
        });
      }
    }
    return { contexts, commands: [...commands.values()] };
  }

  private visibleMap(context: string): Map<string, ResolvedCommand> {
    const map = this.visible.get(context);
    if (!map) this.context(context); // throws the clear error
    return map!;
  }

  private collectBases(name: string): string[] {
    const own = this.contexts.get(name)?.base ?? [];
    const fromModel = this.definition.inheritance?.[name]?.base ?? [];
    const all = [...new Set([...own, ...fromModel])].filter((b) => b !== GLOBAL_CONTEXT);
    for (const b of all) {
      if (!this.contexts.has(b)) invalid(`Context "${name}" has base "${b}", which is not defined. Define it or remove it from "base".`);
    }
    return all;
  }

  private checkCycles(name: string, path: string[]): void {
    if (path.includes(name)) {
      throw new FastWorkflowError(ErrorCode.InheritanceCycle, `Context inheritance has a cycle: ${[...path, name].join(' → ')}. Remove one of these bases.`, { cycle: [...path, name] });
    }
    for (const b of this.basesOf(name)) this.checkCycles(b, [...path, name]);
  }

  private resolveVisible(context: string): Map<string, ResolvedCommand> {
    const out = new Map<string, ResolvedCommand>();
    const order = [context, ...this.ancestorsByInheritance(context), GLOBAL_CONTEXT];
    for (const ctxName of order) {
      const seen = new Set<string>();
      for (const cmd of this.contexts.get(ctxName)?.commands ?? []) {
        checkCommand(cmd, ctxName, seen);
        if (!out.has(cmd.name)) out.set(cmd.name, { name: cmd.name, definedIn: ctxName, definition: cmd, fields: fieldsOf(cmd.input) });
      }
    }
    return out;
  }

  /** Bases, depth first, each once. */
  private ancestorsByInheritance(context: string): string[] {
    const out: string[] = [];
    const visit = (name: string) => {
      for (const b of this.basesOf(name)) {
        if (!out.includes(b)) {
          out.push(b);
          visit(b);
        }
      }
    };
    visit(context);
    return out;
  }
}

function checkCommand(cmd: CommandDefinition, ctxName: string, seen: Set<string>): void {
  if (!cmd.name || !/^[A-Za-z_][\w]*$/.test(cmd.name)) {
    invalid(`Command name "${cmd.name}" in context "${ctxName}" is not valid: use letters, digits and underscores (e.g. "cancel_order").`);
  }
  if ((BUILTIN_NAMES as readonly string[]).includes(cmd.name)) {
    invalid(`Command "${cmd.name}" in context "${ctxName}" has the name of a built-in command: rename it.`);
  }
  if (seen.has(cmd.name)) invalid(`Command "${cmd.name}" is defined twice in context "${ctxName}".`);
  if (typeof cmd.run !== 'function') invalid(`Command "${cmd.name}" in context "${ctxName}" has no run() handler.`);
  if (cmd.confirm !== undefined && typeof cmd.confirm !== 'boolean' && typeof cmd.confirm !== 'function') {
    invalid(`Command "${cmd.name}" in context "${ctxName}": confirm must be true or a function returning the summary to show, e.g. confirm: ({ id }) => \`Delete expense #\${id}?\`.`);
  }
  if (cmd.validate !== undefined && typeof cmd.validate !== 'function') invalid(`Command "${cmd.name}" in context "${ctxName}": validate must be a function returning a message (or nothing).`);
  seen.add(cmd.name);
}

function invalid(message: string): never {
  throw new FastWorkflowError(ErrorCode.InvalidWorkflow, message);
}

export function compileWorkflow<App>(definition: WorkflowDefinition<App>): CompiledWorkflow<App> {
  return new CompiledWorkflow(definition);
}
