import type { WorkflowDefinition } from '../../src/index.ts';
import helloWorld from './hello_world/workflow.ts';
import messaging from './messaging/workflow.ts';
import retail from './retail/workflow.ts';
import todo from './todo/workflow.ts';

/** The example workflows, by name (the terminal runner and the demo app list these). */
export const examples: Record<string, WorkflowDefinition<any>> = {
  hello_world: helloWorld,
  messaging,
  retail,
  todo,
};
