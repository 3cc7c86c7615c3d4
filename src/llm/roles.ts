import { OpenAIChatClient, type OpenAILoader } from './client.ts';
import type { LlmConfig } from './config.ts';
import type { ChatClient } from './types.ts';

/** A role given as a config (the `openai` client is made) or as a ready client (tests, custom transports). */
export type LlmRole = LlmConfig | ChatClient;

export function chatClientFor(role: LlmRole | undefined, load?: OpenAILoader): ChatClient | undefined {
  if (!role) return undefined;
  return 'chat' in role ? role : new OpenAIChatClient(role, load);
}
