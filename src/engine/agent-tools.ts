import type { ToolDefinition } from '../llm/types.ts';
import { toInputJsonSchema } from '../schema/field-info.ts';
import { Builtin, BUILTIN_DESCRIPTIONS } from '../workflow/builtin-names.ts';
import type { ResolvedCommand } from '../workflow/compile.ts';
import type { TurnRuntime } from './runtime.ts';

/** Navigation built-ins the agent may call (the others are for people). */
export const AGENT_NAVIGATION = [Builtin.GoUp, Builtin.ResetContext] as const;
export type AgentNavigation = (typeof AGENT_NAVIGATION)[number];

export type AgentTool = { kind: 'command'; command: ResolvedCommand } | { kind: 'navigation'; name: AgentNavigation };

export interface AgentToolset {
  context: string;
  definitions: ToolDefinition[];
  byName: Map<string, AgentTool>;
}

/** The current context's visible commands (JSON Schema from zod) plus navigation; rebuilt after each context change. */
export function toolsetFor<App>(rt: TurnRuntime<App>): AgentToolset {
  const context = rt.st.current.context;
  const byName = new Map<string, AgentTool>();
  const definitions: ToolDefinition[] = [];
  for (const command of rt.workflow.commandsIn(context)) {
    byName.set(command.name, { kind: 'command', command });
    const parameters = command.definition.input ? toInputJsonSchema(command.definition.input) : { type: 'object', properties: {} };
    const description = command.definition.confirm ? `${command.definition.description} (The user is asked to confirm before it runs.)` : command.definition.description;
    definitions.push({ type: 'function', function: { name: command.name, description, parameters } });
  }
  for (const name of AGENT_NAVIGATION) {
    byName.set(name, { kind: 'navigation', name });
    definitions.push({ type: 'function', function: { name, description: BUILTIN_DESCRIPTIONS[name], parameters: { type: 'object', properties: {} } } });
  }
  return { context, definitions, byName };
}

/** The contexts (other than the current one) that have a command of this name. */
export function contextsWith<App>(rt: TurnRuntime<App>, name: string): string[] {
  return rt.workflow.contextNames().filter((c) => c !== rt.st.current.context && rt.workflow.commandsIn(c).some((cmd) => cmd.name === name));
}
