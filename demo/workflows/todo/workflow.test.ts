import { describe, expect, it } from 'vitest';
import { MemorySessionStore, OutputKind, WorkflowSession } from '../../../src/index.ts';
import todo, { createTodoApp } from './workflow.ts';

describe('todo example', () => {
  it('navigates into an item, runs item-only commands there, and goes up to the list', async () => {
    const s = await WorkflowSession.open({ workflow: todo });
    expect((await s.currentContext()).context).toBe('TodoList');
    expect((await s.send('/mark_complete')).kind).toBe(OutputKind.Error);
    expect(await s.send('open item 2')).toMatchObject({ context: 'TodoItem', contextDisplay: 'item #2 "call the bank"' });
    expect((await s.send('mark it as done')).command).toBe('mark_complete');
    expect((await s.send('set priority to low')).text).toBe('"call the bank" is now low priority.');
    expect(await s.send('go up')).toMatchObject({ context: 'TodoList' });
    expect((await s.send('list items')).text).toContain('#2 [x] call the bank (low)');
  });

  it('an unknown item is refused with suggestions', async () => {
    const s = await WorkflowSession.open({ workflow: todo });
    const out = await s.send('open item 9');
    expect(out.kind).toBe(OutputKind.AskParameters);
    expect(out.text).toContain('There is no item "9"');
  });

  it('adds an item, asking for the title when it is missing; priority defaults to medium', async () => {
    const s = await WorkflowSession.open({ workflow: todo });
    expect((await s.send('add item')).kind).toBe(OutputKind.AskParameters);
    const out = await s.send('water the plants');
    expect(out.data).toMatchObject({ title: 'water the plants', priority: 'medium' });
  });

  it('while an item is asked for, a question unlike any item leaves the question', async () => {
    const s = await WorkflowSession.open({ workflow: todo });
    expect((await s.send('delete everything')).kind).toBe(OutputKind.AskParameters);
    const out = await s.send('how tall is mount everest');
    expect(out.kind).toBe(OutputKind.OutOfScope);
    expect(out.text).toMatch(/^\(Left the question about remove_item\.\)/);
    expect(s.pendingClarification()).toBeUndefined();
  });

  it('deletes an item only after confirmation', async () => {
    const s = await WorkflowSession.open({ workflow: todo });
    const ask = await s.send('delete the second item');
    expect(ask).toMatchObject({ kind: OutputKind.AskConfirmation, command: 'remove_item' });
    expect(ask.text).toContain('"call the bank"');
    expect((await s.send('no')).text).toMatch(/cancel/i);
    expect((await s.send('list items')).text).toContain('call the bank');
    expect((await s.send('delete item 1')).kind).toBe(OutputKind.AskConfirmation);
    expect((await s.send('yes')).text).toBe('Deleted #1 "buy milk".');
    expect((await s.send('list items')).text).not.toContain('buy milk');
  });

  it('an invalid priority is re-asked with the allowed values', async () => {
    const s = await WorkflowSession.open({ workflow: todo });
    await s.send('open item 1');
    const out = await s.send('/set_priority priority=urgent');
    expect(out.text).toContain("Allowed values: 'low', 'medium', 'high'");
  });

  it('restores the current item after a reload (same store, re-created app)', async () => {
    const store = new MemorySessionStore();
    const app = createTodoApp();
    const s = await WorkflowSession.open({ workflow: todo, store, app, sessionId: 't' });
    await s.send('open item 1');
    const again = await WorkflowSession.open({ workflow: todo, store, app, sessionId: 't' });
    expect((await again.currentContext()).display).toBe('item #1 "buy milk"');
  });
});
