import type { InputSchema } from '../schema/field-info.ts';
import type { CommandDefinition, ContextDefinition, WorkflowDefinition } from './types.ts';

/** Identity helpers that give full type inference for the input schema and application types. */
export function defineCommand<App = any, Obj = any, S extends InputSchema = InputSchema>(
  command: CommandDefinition<App, Obj, S>,
): CommandDefinition<App, Obj, S> {
  return command;
}

/**
 * `defineCommand` with the application and context-object types fixed, the input schema still
 * inferred: `const orderCommand = commandFor<Shop, Order>(); orderCommand({ input: z.object(…), run: (ctx, input) => … })`.
 */
export function commandFor<App, Obj>() {
  return <S extends InputSchema = InputSchema>(command: CommandDefinition<App, Obj, S>): CommandDefinition<App, Obj, S> => command;
}

export function defineContext<App = any, Obj = any>(context: ContextDefinition<App, Obj>): ContextDefinition<App, Obj> {
  return context;
}

export function defineWorkflow<App>(workflow: WorkflowDefinition<App>): WorkflowDefinition<App> {
  return workflow;
}
