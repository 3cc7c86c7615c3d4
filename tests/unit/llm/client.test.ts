import { describe, expect, it } from 'vitest';
import { ErrorCode, FastWorkflowError } from '../../../src/errors.ts';
import { OpenAIChatClient } from '../../../src/llm/client.ts';
import type { LlmConfig } from '../../../src/llm/config.ts';
import { useMockLlm } from './mock-server.ts';

const llm = useMockLlm();

const config = (extra: Partial<LlmConfig> = {}): LlmConfig => ({ baseURL: llm.baseURL, model: 'mock-model', apiKey: 'sk-test-secret', maxRetries: 2, timeoutMs: 2000, ...extra });
const ask = (c = config()) => new OpenAIChatClient(c).chat({ messages: [{ role: 'user', content: 'hi' }] });

async function fault(p: Promise<unknown>) {
  const err = await p.then(
    () => undefined,
    (e) => e,
  );
  expect(err).toBeInstanceOf(FastWorkflowError);
  return (err as FastWorkflowError).toJSON();
}

describe('OpenAI-compatible client (real openai client, local server)', () => {
  it('sends the model, key and headers to the base URL and returns the text', async () => {
    llm.push({ reply: { content: 'hello there' } });
    const reply = await ask(config({ headers: { 'x-team': 'retail' } }));
    expect(reply).toEqual({ content: 'hello there', toolCalls: [] });
    expect(llm.received[0].url).toBe('/v1/chat/completions');
    expect(llm.received[0].body).toMatchObject({ model: 'mock-model', messages: [{ role: 'user', content: 'hi' }] });
    expect(llm.received[0].headers).toMatchObject({ authorization: 'Bearer sk-test-secret', 'x-team': 'retail' });
  });

  it('collects a streamed reply: text deltas and tool calls split across chunks', async () => {
    llm.push({ stream: true, reply: { content: 'Looking you up now.', toolCalls: [{ name: 'find_user_by_email', arguments: { email: 'ava.lee@example.com' } }] } });
    const deltas: string[] = [];
    const reply = await new OpenAIChatClient(config()).chat({ messages: [{ role: 'user', content: 'hi' }], stream: true, onText: (d) => deltas.push(d) });
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('Looking you up now.');
    expect(reply.toolCalls).toHaveLength(1);
    expect(reply.toolCalls[0].function).toEqual({ name: 'find_user_by_email', arguments: '{"email":"ava.lee@example.com"}' });
    expect(llm.received[0].body.stream).toBe(true);
  });

  it('retries 429 and 5xx (bounded) and then succeeds', async () => {
    llm.push({ status: 429 }, { status: 503 }, { reply: { content: 'ok' } });
    expect((await ask()).content).toBe('ok');
    expect(llm.received).toHaveLength(3);
  });

  it('gives up after the retries with a clear message', async () => {
    llm.push({ status: 500 }, { status: 500 }, { status: 500 }, { reply: { content: 'never asked for' } });
    const e = await fault(ask());
    expect(e).toMatchObject({ code: ErrorCode.LlmFailed, reason: 'server_error', status: 500 });
    expect(e.message).toMatch(/failed \(HTTP 500\) \(after 2 retries\)/);
    expect(llm.received).toHaveLength(3);
    llm.script.length = 0;
    llm.push({ status: 429 }, { status: 429 }, { status: 429 });
    expect(await fault(ask())).toMatchObject({ reason: 'rate_limited', status: 429 });
  });

  it('401: not retried, names what to check and never the key', async () => {
    llm.push({ status: 401, body: { error: { message: 'Incorrect API key provided: sk-test-secret' } } });
    const e = await fault(ask());
    expect(e).toMatchObject({ reason: 'unauthorized', status: 401 });
    expect(e.message).toContain('FASTWORKFLOW_LLM_API_KEY');
    expect(JSON.stringify(e)).not.toContain('sk-test-secret');
    expect(llm.received).toHaveLength(1);
  });

  it('a provider error echoing the key does not put it in the message', async () => {
    llm.push({ status: 400, body: { error: { message: 'Bad model for key sk-test-secret' } } });
    const e = await fault(ask());
    expect(e).toMatchObject({ reason: 'bad_request', status: 400 });
    expect(e.message).toContain('Bad model for key ***');
    expect(JSON.stringify(e)).not.toContain('sk-test-secret');
  });

  it('a timeout ends in a timeout fault', async () => {
    llm.push({ hangMs: 3000 }, { hangMs: 3000 });
    const e = await fault(ask(config({ timeoutMs: 150, maxRetries: 1 })));
    expect(e).toMatchObject({ reason: 'timeout' });
    expect(e.message).toContain('did not answer within 150 ms (after 1 retry)');
  });

  it('malformed JSON and an empty reply are faults, not results', async () => {
    llm.push({ raw: '{"choices": [ {"message": ' });
    expect(await fault(ask())).toMatchObject({ reason: 'malformed_json' });
    llm.push({ reply: { content: '' } });
    expect(await fault(ask())).toMatchObject({ reason: 'empty_reply' });
  });

  it('an aborted request is an abort, not an LLM fault', async () => {
    llm.push({ hangMs: 3000 });
    const ac = new AbortController();
    const p = new OpenAIChatClient(config()).chat({ messages: [{ role: 'user', content: 'hi' }], signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    expect(await fault(p)).toMatchObject({ code: ErrorCode.Aborted });
  });

  it('an unreachable server is a connection fault naming the base URL', async () => {
    const e = await fault(ask(config({ baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 })));
    expect(e).toMatchObject({ reason: 'connection' });
    expect(e.message).toContain('http://127.0.0.1:9/v1');
  });
});

describe('Node configuration from the environment', async () => {
  const { llmConfigFromEnv } = await import('../../../trainer-node/llm-env.ts');
  it('FASTWORKFLOW_LLM_* first, OPENAI_* as fallback, flags over both; no model → no LLM', () => {
    expect(llmConfigFromEnv({})).toBeUndefined();
    expect(llmConfigFromEnv({ FASTWORKFLOW_LLM_BASE_URL: 'http://proxy/v1', FASTWORKFLOW_LLM_MODEL: 'm', OPENAI_BASE_URL: 'http://other/v1', OPENAI_API_KEY: 'k' })).toEqual({ baseURL: 'http://proxy/v1', model: 'm', apiKey: 'k' });
    expect(llmConfigFromEnv({ OPENAI_API_KEY: 'k', FASTWORKFLOW_LLM_MODEL: 'm' })).toEqual({ baseURL: 'https://api.openai.com/v1', model: 'm', apiKey: 'k' });
    expect(llmConfigFromEnv({ FASTWORKFLOW_LLM_BASE_URL: 'http://proxy/v1' }, { model: 'flag-model', baseURL: 'http://flag/v1' })).toEqual({ baseURL: 'http://flag/v1', model: 'flag-model' });
    // A key alone (set for other tools) does not turn LLM use on; where an LLM is required, it says what to set.
    expect(llmConfigFromEnv({ OPENAI_API_KEY: 'k' })).toBeUndefined();
    expect(() => llmConfigFromEnv({ OPENAI_API_KEY: 'k' }, {}, true)).toThrow(/FASTWORKFLOW_LLM_MODEL/);
  });
});
