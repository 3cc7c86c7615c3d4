/**
 * A local OpenAI-compatible server for the tests (127.0.0.1, a free port): each POST
 * /v1/chat/completions takes the next scripted reply, streamed (SSE) or not, or a fault.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';

export interface ScriptedToolCall {
  name: string;
  /** An object is sent as JSON; a string as it is (to script arguments that are not JSON). */
  arguments: Record<string, unknown> | string;
  id?: string;
}

export type Scripted =
  | { reply: { content?: string | null; toolCalls?: ScriptedToolCall[] }; stream?: boolean; /** Pause between streamed chunks. */ chunkDelayMs?: number }
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { raw: string; contentType?: string }
  | { hangMs: number };

export interface Received {
  body: any;
  headers: IncomingHttpHeaders;
  url: string;
}

export interface MockLlm {
  baseURL: string;
  received: Received[];
  /** Replies still to be sent. */
  script: Scripted[];
  push(...replies: Scripted[]): void;
  close(): Promise<void>;
}

let seq = 0;

export async function startMockLlm(): Promise<MockLlm> {
  const received: Received[] = [];
  const script: Scripted[] = [];
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, cors()).end();
        return;
      }
      let body: any;
      try {
        body = JSON.parse(data);
      } catch {
        body = data;
      }
      received.push({ body, headers: req.headers, url: req.url ?? '' });
      const next = script.shift();
      if (!next) {
        res.writeHead(500, { 'content-type': 'application/json', ...cors() }).end(JSON.stringify({ error: { message: 'mock: script exhausted' } }));
        return;
      }
      if ('hangMs' in next) {
        const t = setTimeout(() => res.writeHead(200, { 'content-type': 'application/json', ...cors() }).end(completion(body, { content: 'too late' })), next.hangMs);
        res.on('close', () => clearTimeout(t));
        return;
      }
      if ('status' in next) {
        res.writeHead(next.status, { 'content-type': 'application/json', 'retry-after-ms': '5', ...cors(), ...next.headers }).end(JSON.stringify(next.body ?? { error: { message: `mock status ${next.status}` } }));
        return;
      }
      if ('raw' in next) {
        res.writeHead(200, { 'content-type': next.contentType ?? 'application/json', ...cors() }).end(next.raw);
        return;
      }
      if (next.stream || body?.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream', ...cors() });
        const chunks = [...streamChunks(body, next.reply)].map((c) => `data: ${JSON.stringify(c)}\n\n`);
        const write = () => {
          const chunk = chunks.shift();
          if (chunk === undefined) return void res.end('data: [DONE]\n\n');
          res.write(chunk);
          if (next.chunkDelayMs) setTimeout(write, next.chunkDelayMs);
          else write();
        };
        write();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', ...cors() }).end(completion(body, next.reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    received,
    script,
    push: (...replies) => script.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function cors(): Record<string, string> {
  return { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'POST, OPTIONS' };
}

function toolCalls(calls: ScriptedToolCall[] = []) {
  return calls.map((c) => ({ id: c.id ?? `call_${++seq}`, type: 'function', function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) } }));
}

function completion(req: any, reply: { content?: string | null; toolCalls?: ScriptedToolCall[] }): string {
  const calls = toolCalls(reply.toolCalls);
  return JSON.stringify({
    id: `chatcmpl-${++seq}`,
    object: 'chat.completion',
    created: 0,
    model: req?.model ?? 'mock',
    choices: [{ index: 0, finish_reason: calls.length ? 'tool_calls' : 'stop', message: { role: 'assistant', content: reply.content ?? null, ...(calls.length ? { tool_calls: calls } : {}) } }],
  });
}

function* streamChunks(req: any, reply: { content?: string | null; toolCalls?: ScriptedToolCall[] }) {
  const base = { id: `chatcmpl-${++seq}`, object: 'chat.completion.chunk', created: 0, model: req?.model ?? 'mock' };
  const text = reply.content ?? '';
  // The text in a few pieces, then each tool call with its arguments split in two.
  for (let i = 0; i < text.length; i += 7) yield { ...base, choices: [{ index: 0, delta: { content: text.slice(i, i + 7) }, finish_reason: null }] };
  const calls = toolCalls(reply.toolCalls);
  for (const [index, c] of calls.entries()) {
    const a = c.function.arguments;
    const half = Math.ceil(a.length / 2);
    yield { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.function.name, arguments: a.slice(0, half) } }] }, finish_reason: null }] };
    yield { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: a.slice(half) } }] }, finish_reason: null }] };
  }
  yield { ...base, choices: [{ index: 0, delta: {}, finish_reason: calls.length ? 'tool_calls' : 'stop' }] };
}

/**
 * One mock server for a test file: started before its tests, closed after, its script and log
 * emptied before each test. The returned object is filled in when the server has started.
 */
export function useMockLlm(): MockLlm {
  const handle = {} as MockLlm;
  beforeAll(async () => {
    Object.assign(handle, await startMockLlm());
  });
  afterAll(() => handle.close());
  beforeEach(() => {
    handle.script.length = 0;
    handle.received.length = 0;
  });
  return handle;
}
