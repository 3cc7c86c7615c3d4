import { describe, expect, it } from 'vitest';
import { ErrorCode, OutputKind, WorkflowSession, type AgentOptions, type AgentStep } from '../../../src/index.ts';
import retail, { createRetailApp } from '../../../demo/workflows/retail/workflow.ts';
import { useMockLlm, type ScriptedToolCall } from './mock-server.ts';

const llm = useMockLlm();

const open = (agent: AgentOptions = {}) =>
  WorkflowSession.open({ workflow: retail, app: createRetailApp(), mode: 'agent', agent, llm: { agent: { baseURL: llm.baseURL, model: 'mock-agent', maxRetries: 0, timeoutMs: 2000 } } });
const call = (name: string, args: ScriptedToolCall['arguments'] = {}) => ({ reply: { toolCalls: [{ name, arguments: args }] } });
const say = (content: string) => ({ reply: { content } });
const toolNames = (i: number): string[] => llm.received[i].body.tools.map((t: any) => t.function.name);
const toolResults = (i: number): string[] => llm.received[i].body.messages.filter((m: any) => m.role === 'tool').map((m: any) => m.content);
const steps = (trace: AgentStep[] | undefined) => (trace ?? []).map((s) => ('tool' in s ? `${s.type}:${s.tool}` : s.type));
const AVA = { first_name: 'Ava', last_name: 'Lee', zip: '10001' };

describe('agent mode (retail, local OpenAI-compatible server)', () => {
  it('finds the customer, gets the User tools, lists orders, and stops to ask before a write', async () => {
    llm.push(
      call('list_orders'), // another context's command: refused
      call('find_user_by_name_zip', AVA),
      call('list_orders'),
      call('open_order', { order_id: '#W0000001' }),
      call('cancel_pending_order', { reason: 'ordered by mistake' }),
    );
    const s = await open();
    const out = await s.send("I'm Ava Lee from 10001: show my orders, then cancel #W0000001, I ordered it by mistake");
    expect(steps(out.trace)).toEqual(['rejected:list_orders', 'command:find_user_by_name_zip', 'command:list_orders', 'command:open_order', 'confirmation:cancel_pending_order']);
    expect(out.trace![0]).toMatchObject({ type: 'rejected', reason: 'other_context' });
    expect(toolResults(1)[0]).toMatch(/^Refused: list_orders is a command of the User context, not of the current context \*/);

    // The tool list follows the context: global → User → PendingOrder.
    expect(toolNames(0)).toContain('find_user_by_name_zip');
    expect(toolNames(0)).not.toContain('list_orders');
    expect(toolNames(2)).toEqual(expect.arrayContaining(['list_orders', 'open_order', 'get_user_details', 'go_up']));
    expect(toolNames(4)).toContain('cancel_pending_order');
    expect(llm.received[2].body.tools.find((t: any) => t.function.name === 'open_order').function.parameters.properties.order_id).toMatchObject({ type: 'string' });
    expect(toolResults(3).at(-1)).toContain('#W0000001');

    // Stopped: the user is asked; nothing was written.
    expect(out).toMatchObject({ kind: OutputKind.AskConfirmation, command: 'cancel_pending_order', clarification: { type: 'confirmation' } });
    expect(s.app.store.order('#W0000001')!.status).toBe('pending');
    expect(llm.received).toHaveLength(5);

    // The user (not the agent) confirms; no LLM request for that.
    const yes = await s.send('yes');
    expect(yes).toMatchObject({ kind: OutputKind.Result, command: 'cancel_pending_order', success: true });
    expect(s.app.store.order('#W0000001')!.status).toBe('cancelled');
    expect(llm.received).toHaveLength(5);
  });

  it('invalid tool arguments go back to the model as the tool result; nothing runs and no question opens', async () => {
    llm.push(call('find_user_by_name_zip', { ...AVA, zip: '1234' }), say('Could you check your zip code? It should have 5 digits.'));
    const s = await open();
    const out = await s.send('I am Ava Lee, zip 1234');
    expect(steps(out.trace)).toEqual(['rejected:find_user_by_name_zip', 'reply']);
    expect(out.trace![0]).toMatchObject({ reason: 'invalid_parameters', problems: [{ field: 'zip' }] });
    expect(toolResults(1)[0]).toMatch(/^Not run: the parameters are missing or invalid/);
    expect(out).toMatchObject({ kind: OutputKind.Info, text: 'Could you check your zip code? It should have 5 digits.', context: '*' });
    expect(s.pendingClarification()).toBeUndefined();
  });

  it('a tool that does not exist and arguments that are not JSON: told to the model, nothing run', async () => {
    llm.push(call('delete_everything'), call('find_user_by_name_zip', '{"first_name": "Ava",'), say('Sorry, please give your name and zip code.'));
    const s = await open();
    const out = await s.send('hello');
    expect(steps(out.trace)).toEqual(['rejected:delete_everything', 'rejected:find_user_by_name_zip', 'reply']);
    expect(out.trace!.map((t) => (t.type === 'rejected' ? t.reason : t.type))).toEqual(['unknown_tool', 'bad_arguments', 'reply']);
    expect(toolResults(2)).toEqual([expect.stringMatching(/^There is no tool named delete_everything/), expect.stringMatching(/are not a JSON object/)]);
    expect(out.context).toBe('*');
  });

  it('streams the reply text and tool calls (SSE)', async () => {
    llm.push({ stream: true, reply: { content: 'Let me look you up.', toolCalls: [{ name: 'find_user_by_email', arguments: { email: 'ava.lee@example.com' } }] } }, { stream: true, reply: { content: 'Found you, Ava.' } });
    const s = await open({ stream: true });
    const deltas: string[] = [];
    const out = await s.send('my email is ava.lee@example.com', { onText: (d) => deltas.push(d) });
    expect(deltas.join('')).toBe('Let me look you up.Found you, Ava.');
    expect(out).toMatchObject({ kind: OutputKind.Result, command: 'find_user_by_email', context: 'User', text: 'Found you, Ava.' });
    expect(llm.received[0].body.stream).toBe(true);
  });

  it('/command bypasses the agent; agent mode makes no other LLM request (no extraction)', async () => {
    const s = await WorkflowSession.open({ workflow: retail, app: createRetailApp(), mode: 'agent', llm: { agent: { baseURL: llm.baseURL, model: 'a' }, extraction: { baseURL: llm.baseURL, model: 'e' } } });
    expect(s.mode).toBe('agent');
    const partial = await s.send('/find_user_by_name_zip first_name=Ava');
    expect(partial).toMatchObject({ kind: OutputKind.AskParameters, command: 'find_user_by_name_zip' });
    const out = await s.send('/find_user_by_email email=ava.lee@example.com');
    expect(out).toMatchObject({ kind: OutputKind.Result, context: 'User' });
    expect(llm.received).toHaveLength(0);
  });

  it('the step bound ends the turn', async () => {
    llm.push(call('go_up'), call('go_up'), call('go_up'));
    const s = await open({ maxSteps: 3 });
    const out = await s.send('loop forever');
    expect(steps(out.trace)).toEqual(['navigation:go_up', 'navigation:go_up', 'navigation:go_up', 'step_limit']);
    expect(out).toMatchObject({ kind: OutputKind.Info, success: false });
    expect(out.text).toContain('stopped after 3 steps');
  });

  it.each([
    ['a 500', { status: 500 }, 'server_error'],
    ['a 429', { status: 429 }, 'rate_limited'],
    ['a 401', { status: 401 }, 'unauthorized'],
    ['malformed JSON', { raw: 'not json at all' }, 'malformed_json'],
    ['an empty reply', { reply: { content: null } }, 'empty_reply'],
  ] as const)('%s ends in a clear message; the session stays usable', async (_n, fault, reason) => {
    llm.push(fault as never);
    const s = await open();
    const out = await s.send('find me, I am Ava Lee from 10001');
    expect(out).toMatchObject({ kind: OutputKind.Error, error: { code: ErrorCode.LlmFailed, reason }, context: '*' });
    expect(out.trace).toEqual([{ type: 'fault', error: out.error }]);
    llm.push(call('find_user_by_name_zip', AVA), say('Welcome back, Ava.'));
    expect(await s.send('again please')).toMatchObject({ kind: OutputKind.Result, context: 'User' });
  });

  it('a timeout and an abort end the turn cleanly', async () => {
    llm.push({ hangMs: 3000 });
    const s = await WorkflowSession.open({ workflow: retail, app: createRetailApp(), mode: 'agent', llm: { agent: { baseURL: llm.baseURL, model: 'm', maxRetries: 0, timeoutMs: 100 } } });
    expect(await s.send('hello')).toMatchObject({ kind: OutputKind.Error, error: { reason: 'timeout' } });
    llm.push({ hangMs: 3000 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    expect(await s.send('hello', { signal: ac.signal })).toMatchObject({ kind: OutputKind.Error, error: { code: ErrorCode.Aborted } });
    llm.push(say('Hi! How can I help?'));
    expect(await s.send('hello')).toMatchObject({ kind: OutputKind.Info, text: 'Hi! How can I help?' });
  });

  it('without an agent LLM, agent mode falls back to the assistant', async () => {
    const s = await WorkflowSession.open({ workflow: retail, app: createRetailApp(), mode: 'agent' });
    expect(await s.send('my email is ava.lee@example.com')).toMatchObject({ kind: OutputKind.Result, context: 'User' });
  });
});
