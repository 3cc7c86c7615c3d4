import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileWorkflow, defineCommand, ErrorCode, FastWorkflowError, type WorkflowDefinition } from '../../src/index.ts';

const cmd = (name: string) => defineCommand({ name, description: `${name} it`, run: () => name });

function wf(partial: Partial<WorkflowDefinition>): WorkflowDefinition {
  return { name: 'w', description: '', contexts: [], createApp: () => ({}), ...partial };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as FastWorkflowError).code;
  }
  return undefined;
}

describe('context model', () => {
  it('loads an upstream context_inheritance_model.json as-is: commands = own + bases + global, own names win', () => {
    const own = defineCommand({ name: 'shared', description: 'own version', run: () => 'own' });
    const w = compileWorkflow(
      wf({
        inheritance: { A: { base: [] }, B: { base: ['A', '*'] }, C: { base: ['B'] } },
        contexts: [
          { name: '*', commands: [cmd('global_cmd')] },
          { name: 'A', commands: [cmd('a_cmd'), cmd('shared')] },
          { name: 'B', commands: [cmd('b_cmd')] },
          { name: 'C', commands: [own, cmd('c_cmd')] },
        ],
      }),
    );
    expect(w.commandsIn('C').map((c) => c.name)).toEqual(['shared', 'c_cmd', 'b_cmd', 'a_cmd', 'global_cmd']);
    expect(w.commandIn('C', 'shared')!.definition.description).toBe('own version');
    expect(w.commandIn('C', 'a_cmd')!.definedIn).toBe('A');
    expect(w.commandsIn('A').map((c) => c.name)).toEqual(['a_cmd', 'shared', 'global_cmd']);
    expect(w.commandIn('A', 'b_cmd')).toBeUndefined();
  });

  it('merges `base` declared on the context with the inheritance model', () => {
    const w = compileWorkflow(wf({ inheritance: { C: { base: ['A'] } }, contexts: [{ name: 'A', commands: [cmd('a1')] }, { name: 'B', commands: [cmd('b1')] }, { name: 'C', base: ['B'] }] }));
    expect(w.commandsIn('C').map((c) => c.name).sort()).toEqual(['a1', 'b1']);
  });

  it('rejects inheritance cycles, naming the cycle', () => {
    const def = wf({ contexts: [{ name: 'A', base: ['B'] }, { name: 'B', base: ['A'] }] });
    expect(codeOf(() => compileWorkflow(def))).toBe(ErrorCode.InheritanceCycle);
    expect(() => compileWorkflow(def)).toThrow(/A → B → A/);
  });

  it('rejects an unknown base, duplicate contexts, duplicate commands and built-in names with clear errors', () => {
    expect(() => compileWorkflow(wf({ contexts: [{ name: 'A', base: ['Nope'] }] }))).toThrow(/base "Nope", which is not defined/);
    expect(codeOf(() => compileWorkflow(wf({ contexts: [{ name: 'A' }, { name: 'A' }] })))).toBe(ErrorCode.InvalidWorkflow);
    expect(() => compileWorkflow(wf({ contexts: [{ name: 'A', commands: [cmd('x'), cmd('x')] }] }))).toThrow(/defined twice/);
    expect(() => compileWorkflow(wf({ contexts: [{ name: 'A', commands: [cmd('go_up')] }] }))).toThrow(/built-in/);
    expect(() => compileWorkflow(wf({ contexts: [{ name: 'A', commands: [cmd('bad name')] }] }))).toThrow(/not valid/);
  });

  it('rejects a confirm or validate that is neither a function nor (confirm) a boolean, saying what to write', () => {
    const withConfirm = (confirm: unknown) => wf({ contexts: [{ name: 'A', commands: [{ ...cmd('remove'), confirm } as never] }] });
    expect(codeOf(() => compileWorkflow(withConfirm('Are you sure?')))).toBe(ErrorCode.InvalidWorkflow);
    expect(() => compileWorkflow(withConfirm('Are you sure?'))).toThrow(/confirm must be true or a function returning the summary/);
    expect(codeOf(() => compileWorkflow(withConfirm(true)))).toBeUndefined();
    expect(codeOf(() => compileWorkflow(withConfirm(() => 'Sure?')))).toBeUndefined();
    expect(() => compileWorkflow(wf({ contexts: [{ name: 'A', commands: [{ ...cmd('check'), validate: 'x > 0' } as never] }] }))).toThrow(/validate must be a function/);
  });

  it('asking for an unknown context names the known ones', () => {
    const w = compileWorkflow(wf({ contexts: [{ name: 'A' }] }));
    expect(() => w.commandsIn('Zed')).toThrow(/Unknown context "Zed". Known contexts: A, \*/);
  });

  it('describes commands as plain metadata with JSON Schema from zod', () => {
    const c = defineCommand({
      name: 'cancel_order',
      description: 'Cancel an order',
      input: z.object({ order_id: z.string().regex(/^#W\d{7}$/).describe('Order id').meta({ examples: ['#W0000001'] }), reason: z.enum(['no longer needed', 'ordered by mistake']) }),
      utterances: ['cancel order {order_id}'],
      run: () => 'ok',
    });
    const meta = compileWorkflow(wf({ contexts: [{ name: 'Order', commands: [c] }] })).metadata();
    expect(meta.contexts.Order.commands).toEqual(['cancel_order']);
    const schema = meta.commands[0].inputSchema as { properties: Record<string, Record<string, unknown>>; required: string[] };
    expect(schema.properties.order_id.pattern).toBe('^#W\\d{7}$');
    expect(schema.properties.reason.enum).toEqual(['no longer needed', 'ordered by mistake']);
    expect(schema.required).toEqual(['order_id', 'reason']);
    expect(JSON.parse(JSON.stringify(meta))).toEqual(meta);
  });
});
