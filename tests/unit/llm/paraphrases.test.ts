import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileWorkflow, defineWorkflow } from '../../../src/index.ts';
import { OpenAIChatClient } from '../../../src/llm/client.ts';
import { paraphrasesFor } from '../../../trainer-node/train/paraphrases.ts';
import { startMockLlm, type MockLlm } from './mock-server.ts';

let llm: MockLlm;
let dir: string;
beforeAll(async () => {
  llm = await startMockLlm();
  dir = await mkdtemp(join(tmpdir(), 'fw-paraphrases-'));
});
afterAll(async () => {
  await llm.close();
  await rm(dir, { recursive: true, force: true });
});

const workflow = (addDescription = 'Add an item to the list.') =>
  compileWorkflow(
    defineWorkflow({
      name: 'todo_mini',
      description: 'a list',
      createApp: () => ({}),
      contexts: [
        {
          name: '*',
          commands: [
            { name: 'add_item', description: addDescription, input: z.object({ title: z.string() }), utterances: ['add {title}'], run: () => 'ok' },
            { name: 'list_items', description: 'List the items.', utterances: ['list items'], run: () => 'ok' },
          ],
        },
      ],
    } as never),
  );
const json = (paraphrases: string[]) => ({ reply: { content: JSON.stringify({ paraphrases }) } });
const client = () => new OpenAIChatClient({ baseURL: llm.baseURL, model: 'para-1', maxRetries: 0 });

describe('train --llm paraphrases', () => {
  it('asks once per command (strict json_schema), dedups, caches; a re-run is offline and identical', async () => {
    llm.push(
      json(['put milk on my list', 'Put milk on my list.', 'add {title}', 'show everything', 'please add eggs']),
      json(['show everything', 'what is on my list', 'list items']),
    );
    const first = await paraphrasesFor(workflow(), { model: 'para-1', client: client(), dir });
    expect(llm.received).toHaveLength(2);
    expect(llm.received[0].body.response_format).toMatchObject({ type: 'json_schema', json_schema: { strict: true } });
    // Near-duplicates, placeholders and seeds dropped; a paraphrase given for two commands dropped from both.
    expect(first.utterances).toEqual({ add_item: ['put milk on my list', 'please add eggs'], list_items: ['what is on my list'] });
    expect(first).toMatchObject({ cached: 0, requested: 2 });

    const files = (await readdir(dir)).sort();
    const before = await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')));
    // No client at all: everything comes from the cache.
    const again = await paraphrasesFor(workflow(), { model: 'para-1', dir });
    expect(again).toEqual({ ...first, cached: 2, requested: 0 });
    expect(await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')))).toEqual(before);
    expect(llm.received).toHaveLength(2);
  });

  it('a changed command definition or another model is a cache miss; offline it says what to set', async () => {
    await expect(paraphrasesFor(workflow('Add a new item to the list.'), { model: 'para-1', dir })).rejects.toThrow(/No cached paraphrases for "add_item" with model para-1/);
    await expect(paraphrasesFor(workflow(), { model: 'para-2', dir })).rejects.toThrow(/FASTWORKFLOW_LLM_BASE_URL/);
    llm.push(json(['append bread']));
    const changed = await paraphrasesFor(workflow('Add a new item to the list.'), { model: 'para-1', client: client(), dir });
    expect(changed).toMatchObject({ cached: 1, requested: 1, utterances: { add_item: ['append bread'] } });
  });
});
