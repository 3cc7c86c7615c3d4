import { describe, expect, it } from 'vitest';
import { OutputKind, WorkflowSession } from '../../../src/index.ts';
import helloWorld from './workflow.ts';

describe('hello_world example', () => {
  it('adds two numbers from a natural utterance', async () => {
    const s = await WorkflowSession.open({ workflow: helloWorld });
    expect(await s.send("what's 49 plus 51")).toMatchObject({ command: 'add_two_numbers', data: { sum: 100 }, text: '49 + 51 = 100' });
  });

  it('asks for the missing number, then adds', async () => {
    const s = await WorkflowSession.open({ workflow: helloWorld });
    expect((await s.send('add 3')).kind).toBe(OutputKind.AskParameters);
    expect((await s.send('4')).data).toEqual({ sum: 7 });
  });

  it('refuses a non-number and says what is expected', async () => {
    const s = await WorkflowSession.open({ workflow: helloWorld });
    const out = await s.send('/add_two_numbers a=three b=4');
    expect(out.kind).toBe(OutputKind.AskParameters);
    expect(out.text).toContain('a must be a number, not "three"');
  });
});
