import { existsSync, statSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { ErrorCode, FastWorkflowError, type WorkflowDefinition } from '../src/index.ts';

export const EXAMPLES_DIR = fileURLToPath(new URL('../demo/workflows/', import.meta.url));

/** Names of the example workflows shipped in demo/workflows. */
export async function exampleNames(): Promise<string[]> {
  const { examples } = await import('../demo/workflows/index.ts');
  return Object.keys(examples);
}

/**
 * A workflow by example name ("todo"), folder (holding workflow.ts) or module path. The module's
 * default export (or export `workflow`) is the definition.
 */
export async function loadWorkflow(spec: string): Promise<{ workflow: WorkflowDefinition<any>; source: string }> {
  const { examples } = await import('../demo/workflows/index.ts');
  if (examples[spec]) return { workflow: examples[spec], source: join(EXAMPLES_DIR, spec) };
  let path = resolve(spec);
  if (existsSync(path) && statSync(path).isDirectory()) {
    const candidate = ['workflow.ts', 'workflow.js', 'index.ts', 'index.js'].map((f) => join(path, f)).find(existsSync);
    if (!candidate) throw new FastWorkflowError(ErrorCode.InvalidWorkflow, `Folder ${path} has no workflow.ts (or workflow.js / index.ts). Put the defineWorkflow() default export there.`);
    path = candidate;
  }
  if (!existsSync(path)) {
    throw new FastWorkflowError(ErrorCode.InvalidWorkflow, `No workflow "${spec}": not an example (${Object.keys(examples).join(', ')}), a folder or a module file. Try \`fastworkflow examples list\`.`);
  }
  const mod = await import(pathToFileURL(path).href);
  const workflow = (mod.default ?? mod.workflow) as WorkflowDefinition<any> | undefined;
  if (!workflow || typeof workflow !== 'object' || !Array.isArray(workflow.contexts)) {
    throw new FastWorkflowError(ErrorCode.InvalidWorkflow, `${path} does not export a workflow: export default defineWorkflow({ … }).`);
  }
  return { workflow, source: path };
}
