import { join } from 'node:path';
import { compileWorkflow, ErrorCode, FastWorkflowError, type WorkflowDefinition } from '../../src/index.ts';
import { OpenAIChatClient } from '../../src/llm/client.ts';
import { llmConfigFromEnv } from '../llm-env.ts';
import { cacheRoot } from '../paths.ts';
import { paraphrasesFor } from './paraphrases.ts';

/** `train --llm`: the configured LLM (if any) and the cache folder → extra utterances per command. */
export async function llmParaphrases(
  workflow: WorkflowDefinition<any>,
  flags: { baseURL?: string; model?: string; dir?: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, string[]>> {
  const model = flags.model ?? env.FASTWORKFLOW_LLM_MODEL;
  if (!model) throw new FastWorkflowError(ErrorCode.InvalidWorkflow, '--llm needs a model: set FASTWORKFLOW_LLM_MODEL or pass --llm-model.');
  const config = llmConfigFromEnv(env, { baseURL: flags.baseURL, model });
  const dir = flags.dir ?? join(cacheRoot(env), 'paraphrases', workflow.name);
  const result = await paraphrasesFor(compileWorkflow(workflow), { model, dir, ...(config ? { client: new OpenAIChatClient(config) } : {}) });
  const total = Object.values(result.utterances).reduce((n, l) => n + l.length, 0);
  console.error(`paraphrases: ${total} from ${model} (${result.cached} command(s) cached, ${result.requested} asked) in ${dir}`);
  return result.utterances;
}
