import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CompiledWorkflow, defineCommand, OUT_OF_SCOPE } from '../../../src/index.ts';
import { buildDatasets } from '../../../trainer-node/train/dataset.ts';
import { examples } from '../../../demo/workflows/index.ts';

const cmd = (name: string, utterances: string[]) => defineCommand({ name, description: name, input: z.object({ title: z.string().meta({ examples: ['milk'] }) }), utterances, run: () => 'ok' });

describe('training data per context', () => {
  it('labels = visible commands + built-ins + out-of-scope; other contexts are out of scope', () => {
    const { datasets } = buildDatasets(new CompiledWorkflow(examples.todo), { seed: 1, maxPerLabel: 40 });
    const item = datasets.find((d) => d.context === 'TodoItem')!;
    expect(item.labels).toEqual(expect.arrayContaining(['mark_complete', 'rename_item', 'what_can_i_do', 'go_up', OUT_OF_SCOPE]));
    expect(item.labels).not.toContain('add_item');
    const oos = item.examples.filter((e) => e.label === OUT_OF_SCOPE).map((e) => e.text);
    expect(oos).toEqual(expect.arrayContaining(['list items', '3']));
    expect(item.examples.filter((e) => e.label === 'mark_complete').length).toBeLessThanOrEqual(40);
  });

  it('fills placeholders from examples and varies them, and is deterministic', () => {
    const wf = new CompiledWorkflow(examples.todo);
    const a = buildDatasets(wf, { seed: 7, maxPerLabel: 60 });
    const b = buildDatasets(wf, { seed: 7, maxPerLabel: 60 });
    expect(a).toEqual(b);
    const add = a.datasets.find((d) => d.context === 'TodoList')!.examples.filter((e) => e.label === 'add_item').map((e) => e.text);
    expect(add.some((t) => t.includes('buy milk'))).toBe(true);
    expect(add.every((t) => !t.includes('{'))).toBe(true);
  });

  it('reports an utterance shared by two commands and keeps it for the first only', () => {
    const wf = new CompiledWorkflow({
      name: 'w',
      description: '',
      createApp: () => ({}),
      contexts: [{ name: '*', commands: [cmd('add_note', ['jot down {title}', 'remember this']), cmd('add_task', ['remember this', 'new task {title}'])] }],
    });
    const { datasets, conflicts } = buildDatasets(wf, { seed: 1, maxPerLabel: 60 });
    expect(conflicts).toContainEqual({ context: '*', text: 'remember this', labels: ['add_note', 'add_task'] });
    const owners = datasets[0].examples.filter((e) => e.text.toLowerCase() === 'remember this').map((e) => e.label);
    expect(owners).toEqual(['add_note']);
  });
});
