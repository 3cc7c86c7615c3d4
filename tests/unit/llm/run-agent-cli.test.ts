import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../trainer-node/run-command.ts';
import { startMockLlm, type MockLlm } from './mock-server.ts';

let llm: MockLlm;
beforeAll(async () => {
  llm = await startMockLlm();
});
afterAll(() => llm.close());

async function run(args: string[], lines: string[]): Promise<{ code: number; out: string }> {
  const output = new PassThrough();
  let out = '';
  output.on('data', (c) => (out += c));
  const code = await runCommand(args, { input: Readable.from(lines.map((l) => `${l}\n`)), output, isTTY: false });
  return { code, out };
}

describe('fastworkflow run <wf> --agent', () => {
  it('drives the workflow through tool calls, prints each step, and leaves the confirmation to the user', async () => {
    llm.push(
      { reply: { toolCalls: [{ name: 'find_user_by_email', arguments: { email: 'ava.lee@example.com' } }] } },
      { reply: { toolCalls: [{ name: 'open_order', arguments: { order_id: '#W0000001' } }] } },
      { reply: { toolCalls: [{ name: 'cancel_pending_order', arguments: { reason: 'no longer needed' } }] } },
    );
    const r = await run(['retail', '--bundle', 'none', '--agent', '--llm-base-url', llm.baseURL, '--llm-model', 'mock'], ['I am ava.lee@example.com, cancel #W0000001, no longer needed', 'no']);
    expect(r.out).toContain('· find_user_by_email {"email":"ava.lee@example.com"} → ok [User]');
    expect(r.out).toContain('· cancel_pending_order {"reason":"no longer needed"} waits for your confirmation');
    expect(r.out).toMatch(/> no\n.*[Cc]ancel/);
    expect(llm.received).toHaveLength(3);
    expect(r.code).toBe(0);
  });

  it('--agent without an LLM configured says what to set', async () => {
    await expect(run(['retail', '--bundle', 'none', '--agent'], [])).rejects.toThrow(/FASTWORKFLOW_LLM_MODEL/);
  });
});
