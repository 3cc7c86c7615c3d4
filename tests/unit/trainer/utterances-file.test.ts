import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompiledWorkflow } from '../../../src/index.ts';
import { examples } from '../../../demo/workflows/index.ts';
import { readUtterances } from '../../../trainer-node/train-command.ts';
import { buildDatasets } from '../../../trainer-node/train/dataset.ts';

async function file(content: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'fw-utt-')), 'u.json');
  await writeFile(path, content);
  return path;
}

describe('--utterances (extra utterances, e.g. cached paraphrases)', () => {
  it('adds them to the command they name', async () => {
    const extra = await readUtterances(await file('{"mark_complete": ["zap this task into oblivion"]}'), examples.todo);
    const { datasets } = buildDatasets(new CompiledWorkflow(examples.todo), { seed: 1, maxPerLabel: 80, extra });
    const item = datasets.find((d) => d.context === 'TodoItem')!;
    expect(item.examples).toContainEqual(expect.objectContaining({ text: 'zap this task into oblivion', label: 'mark_complete' }));
  });

  it('refuses a malformed file or an unknown command with a clear error', async () => {
    await expect(readUtterances(await file('{"mark_complete": "not a list"}'), examples.todo)).rejects.toThrow(/must look like \{"command_name"/);
    await expect(readUtterances(await file('{ nope'), examples.todo)).rejects.toThrow(/could not be read as JSON/);
    await expect(readUtterances(await file('{"fly_away": ["up"]}'), examples.todo)).rejects.toThrow(/names fly_away, not command\(s\) of "todo"/);
  });
});
