import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CompiledWorkflow, defineCommand, normalizeText, OUT_OF_SCOPE } from '../../../src/index.ts';
import { buildDatasets, countSources } from '../../../trainer-node/train/dataset.ts';
import { describeConflict } from '../../../trainer-node/train/train.ts';
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

  it('uses every written utterance and caps only the generated ones', () => {
    const written = Array.from({ length: 80 }, (_, i) => `written request number ${i} about notes`);
    const wf = new CompiledWorkflow({ name: 'w', description: '', createApp: () => ({}), contexts: [{ name: '*', commands: [cmd('add_note', written), cmd('add_task', ['new task {title}', 'make a task'])] }] });
    const { datasets } = buildDatasets(wf, { seed: 1, maxPerLabel: 60 });
    const notes = datasets[0].examples.filter((e) => e.label === 'add_note');
    expect(notes.filter((e) => e.source === 'written').map((e) => e.text)).toEqual(written);
    expect(notes.filter((e) => e.source === 'generated')).toEqual([]);
    const tasks = datasets[0].examples.filter((e) => e.label === 'add_task');
    const writtenTasks = tasks.filter((e) => e.source === 'written').map((e) => e.text);
    expect(writtenTasks).toHaveLength(2);
    expect(writtenTasks[0]).toMatch(/^new task /);
    expect(writtenTasks[1]).toBe('make a task');
    expect(tasks.length).toBeLessThanOrEqual(60);
    expect(tasks.filter((e) => e.source === 'generated').length).toBeGreaterThan(0);
    const counts = countSources(datasets[0].examples);
    expect(counts.written).toBeGreaterThanOrEqual(82);
    expect(counts.negative).toBeGreaterThan(0);
  });
});

describe('workflow out-of-scope examples', () => {
  const workflow = (outOfScope: string[]) =>
    new CompiledWorkflow({
      name: 'w',
      description: '',
      createApp: () => ({}),
      outOfScope,
      contexts: [{ name: '*', commands: [cmd('add_note', ['jot down {title}', 'remember this'])] }],
    });

  it('trains them as out of scope in every context, as written examples', () => {
    const { datasets, conflicts } = buildDatasets(workflow(["what's the weather in paris", 'close my bank account']), { seed: 1, maxPerLabel: 40 });
    expect(conflicts).toEqual([]);
    const oos = datasets[0].examples.filter((e) => e.label === OUT_OF_SCOPE);
    expect(oos.filter((e) => e.source === 'written').map((e) => e.text)).toEqual(["what's the weather in paris", 'close my bank account']);
    expect(oos.some((e) => e.source === 'negative')).toBe(true);
  });

  it("reports an example equal to a command's utterance as a conflict and keeps it for the command", () => {
    const { datasets, conflicts } = buildDatasets(workflow(['Remember this!', 'play a song']), { seed: 1, maxPerLabel: 40 });
    expect(conflicts).toEqual([{ context: '*', text: normalizeText('Remember this!'), labels: ['add_note', OUT_OF_SCOPE] }]);
    expect(datasets[0].examples.filter((e) => e.text.toLowerCase().startsWith('remember this')).every((e) => e.label === 'add_note')).toBe(true);
    expect(describeConflict(conflicts[0])).toMatch(/out-of-scope examples and an utterance of add_note — kept for add_note only/);
  });

  it('reports one equal to a built-in utterance too', () => {
    const { conflicts } = buildDatasets(workflow(['what can I do']), { seed: 1, maxPerLabel: 40 });
    expect(conflicts.map((c) => c.labels)).toEqual([['what_can_i_do', OUT_OF_SCOPE]]);
  });
});
