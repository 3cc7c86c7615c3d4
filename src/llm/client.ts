import { ErrorCode, FastWorkflowError, isAbortError, type LlmFault } from '../errors.ts';
import { DEFAULT_LLM_RETRIES, DEFAULT_LLM_TIMEOUT_MS, llmHost, type LlmConfig } from './config.ts';
import { llmError } from './faults.ts';
import type { ChatClient, ChatReply, ChatRequest, ToolCall } from './types.ts';

/** The slice of the `openai` module used here (typed locally: `openai` is an optional peer). */
interface OpenAIModule {
  default: new (options: Record<string, unknown>) => OpenAILike;
  APIConnectionTimeoutError: new (...a: never[]) => Error;
  APIConnectionError: new (...a: never[]) => Error;
  APIUserAbortError: new (...a: never[]) => Error;
  APIError: new (...a: never[]) => Error & { status?: number };
}
interface OpenAILike {
  chat: { completions: { create(body: Record<string, unknown>, options: Record<string, unknown>): Promise<any> } };
}

/** How the `openai` module is loaded; a bundled page passes `() => import('openai')` so the bundler sees it. */
export type OpenAILoader = () => Promise<unknown>;

const OPENAI = 'openai';
/** By name at run time (Node, import maps): a bundler does not pull `openai` into a page that never uses it. */
const importByName: OpenAILoader = () => import(/* @vite-ignore */ OPENAI);

/** `openai` is loaded on the first request only: a page without an LLM never loads it. */
async function loadOpenAI(load: OpenAILoader): Promise<OpenAIModule> {
  try {
    return (await load()) as OpenAIModule;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new FastWorkflowError(
      ErrorCode.MissingPackage,
      `The LLM roles need the 'openai' package (${detail}). Install it (npm install openai@^6.49.0); in a bundled page also pass { loadOpenAI: () => import('openai') }.`,
      { package: 'openai' },
    );
  }
}

/**
 * A chat client for one role, through the real `openai` client (isomorphic; in a page it runs with
 * `dangerouslyAllowBrowser`, which is why the documented default for teams is a proxy without a key
 * in the page). Retries (timeouts, 429, 5xx) are bounded with exponential backoff; every fault ends
 * in a `FastWorkflowError` with code `llm_failed` and a `reason`.
 */
export class OpenAIChatClient implements ChatClient {
  private client?: Promise<{ mod: OpenAIModule; api: OpenAILike }>;

  constructor(
    readonly config: LlmConfig,
    private readonly load: OpenAILoader = importByName,
  ) {}

  get model(): string {
    return this.config.model;
  }

  async chat(request: ChatRequest): Promise<ChatReply> {
    const { mod, api } = await (this.client ??= this.create().catch((err) => {
      this.client = undefined;
      throw err;
    }));
    const body: Record<string, unknown> = { model: this.config.model, messages: request.messages };
    if (request.tools?.length) body.tools = request.tools;
    if (request.jsonSchema) body.response_format = { type: 'json_schema', json_schema: { name: request.jsonSchema.name, strict: true, schema: request.jsonSchema.schema } };
    try {
      if (request.stream) {
        const stream = await api.chat.completions.create({ ...body, stream: true }, { signal: request.signal });
        return nonEmpty(await collectStream(stream, request.onText), this.config);
      }
      const res = await api.chat.completions.create(body, { signal: request.signal });
      const message = res?.choices?.[0]?.message;
      if (!message) throw llmError('malformed_json', `The language model at ${llmHost(this.config)} sent a reply without choices. Check that the base URL is an OpenAI-compatible endpoint.`);
      return nonEmpty({ content: message.content ?? null, toolCalls: (message.tool_calls ?? []).filter((c: ToolCall) => c?.type === 'function') }, this.config);
    } catch (err) {
      throw redacted(mapFault(err, mod, this.config, request.signal), this.config.apiKey);
    }
  }

  private async create(): Promise<{ mod: OpenAIModule; api: OpenAILike }> {
    const mod = await loadOpenAI(this.load);
    const c = this.config;
    const api = new mod.default({
      baseURL: c.baseURL,
      // Behind a proxy there is no key in the page; the client needs a non-empty value.
      apiKey: c.apiKey || 'no-key',
      defaultHeaders: c.headers,
      timeout: c.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS,
      maxRetries: c.maxRetries ?? DEFAULT_LLM_RETRIES,
      dangerouslyAllowBrowser: true,
    });
    return { mod, api };
  }
}

async function collectStream(stream: AsyncIterable<any>, onText?: (delta: string) => void): Promise<ChatReply> {
  let content = '';
  const calls: ToolCall[] = [];
  for await (const chunk of stream) {
    const delta = chunk?.choices?.[0]?.delta;
    if (!delta) continue;
    if (typeof delta.content === 'string' && delta.content) {
      content += delta.content;
      onText?.(delta.content);
    }
    for (const d of delta.tool_calls ?? []) {
      const i = typeof d.index === 'number' ? d.index : calls.length;
      const call = (calls[i] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
      if (d.id) call.id = d.id;
      if (d.function?.name) call.function.name += d.function.name;
      if (d.function?.arguments) call.function.arguments += d.function.arguments;
    }
  }
  return { content: content || null, toolCalls: calls.filter(Boolean) };
}

function nonEmpty(reply: ChatReply, config: LlmConfig): ChatReply {
  if (!reply.content?.trim() && reply.toolCalls.length === 0) {
    throw llmError('empty_reply', `The language model at ${llmHost(config)} sent an empty reply. Try again, or rephrase.`);
  }
  return reply;
}

function mapFault(err: unknown, mod: OpenAIModule, config: LlmConfig, signal?: AbortSignal): Error {
  if (err instanceof FastWorkflowError) return err;
  if (err instanceof mod.APIUserAbortError || isAbortError(err) || signal?.aborted) return new FastWorkflowError(ErrorCode.Aborted, 'The operation was aborted.');
  const host = llmHost(config);
  const retries = config.maxRetries ?? DEFAULT_LLM_RETRIES;
  const after = retries ? ` (after ${retries} ${retries === 1 ? 'retry' : 'retries'})` : '';
  if (err instanceof mod.APIConnectionTimeoutError) {
    return llmError('timeout', `The language model at ${host} did not answer within ${duration(config.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS)}${after}. Try again, or use a /command.`);
  }
  if (err instanceof mod.APIConnectionError) {
    return llmError('connection', `Could not reach the language model at ${config.baseURL}${after}. Check the base URL and that the server (or proxy) is running.`);
  }
  if (err instanceof mod.APIError) {
    const status = err.status;
    const fault: LlmFault = status === 401 || status === 403 ? 'unauthorized' : status === 429 ? 'rate_limited' : status !== undefined && status >= 500 ? 'server_error' : 'bad_request';
    const messages: Record<LlmFault, string> = {
      unauthorized: `The language model at ${host} refused the credentials (HTTP ${status}). Check the API key (FASTWORKFLOW_LLM_API_KEY, or the chat settings) or the proxy's configuration.`,
      rate_limited: `The language model at ${host} is limiting requests (HTTP 429)${after}. Wait a moment and try again.`,
      server_error: `The language model at ${host} failed (HTTP ${status})${after}. Try again later, or use a /command.`,
      bad_request: `The language model at ${host} rejected the request (HTTP ${status}): ${firstLine(err.message)}. Check the model name and that the endpoint supports tools and json_schema output.`,
    } as Record<LlmFault, string>;
    return llmError(fault, messages[fault], status);
  }
  if (err instanceof SyntaxError) {
    return llmError('malformed_json', `The language model at ${host} sent a reply that is not valid JSON. Check that the base URL is an OpenAI-compatible endpoint.`);
  }
  return llmError('connection', `The request to the language model at ${host} failed: ${firstLine(err instanceof Error ? err.message : String(err))}`);
}

function firstLine(s: string): string {
  return s.split('\n')[0].slice(0, 200);
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** A provider may echo the key in its error text: never let it into a message. */
function redacted(err: Error, key: string | undefined): Error {
  if (!key || !err.message.includes(key) || !(err instanceof FastWorkflowError)) return err;
  const data = err.toJSON();
  return new FastWorkflowError({ ...data, message: data.message.split(key).join('***') });
}
