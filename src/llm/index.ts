export { DEFAULT_LLM_RETRIES, DEFAULT_LLM_TIMEOUT_MS, llmHost, type LlmConfig, type LlmRoles } from './config.ts';
export { OpenAIChatClient, type OpenAILoader } from './client.ts';
export type { ChatClient, ChatMessage, ChatReply, ChatRequest, ToolCall, ToolDefinition } from './types.ts';
export { chatClientFor, type LlmRole } from './roles.ts';
