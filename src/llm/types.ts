import type { JsonSchema } from '../schema/field-info.ts';

/** The parts of the OpenAI chat format this library uses (its own types: `openai` stays an optional peer). */
export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ToolDefinition {
  type: 'function';
  function: { name: string; description: string; parameters: JsonSchema };
}

export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  /** Structured output: `response_format: { type: 'json_schema', json_schema: { strict: true, … } }`. */
  jsonSchema?: { name: string; schema: JsonSchema };
  /** Stream the reply (SSE); `onText` gets the text as it arrives. */
  stream?: boolean;
  onText?: (delta: string) => void;
  signal?: AbortSignal;
}

/** A reply with text, tool calls, or both; never neither (that is an `empty_reply` fault). */
export interface ChatReply {
  content: string | null;
  toolCalls: ToolCall[];
}

/** What the engine needs of an LLM: one chat request at a time (tests may plug in their own). */
export interface ChatClient {
  readonly model: string;
  chat(request: ChatRequest): Promise<ChatReply>;
}
