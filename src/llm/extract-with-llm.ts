import type { FieldInfo, JsonSchema } from '../schema/field-info.ts';
import { coerceValue } from '../params/coerce.ts';
import { extractionSchema } from './extraction-schema.ts';
import { parseJsonObject } from './faults.ts';
import type { ChatClient, ChatMessage } from './types.ts';

export interface LlmExtractionRequest {
  command: string;
  description: string;
  /** The command's input JSON Schema. */
  input: JsonSchema;
  fields: readonly FieldInfo[];
  /** The fields to fill (missing or invalid after the deterministic pass). */
  wanted: readonly string[];
  /** The request as the user typed it. */
  utterance: string;
  /** Values already understood and valid (deterministic or confident tagger values): shown as given, never asked for. */
  given?: Record<string, unknown>;
  /** Recent turns, oldest first (the current message last). */
  recent: readonly { role: 'user' | 'assistant'; text: string }[];
  signal?: AbortSignal;
}

/**
 * One `chat.completions` request with a strict json_schema of the wanted fields. Returns the values
 * the model found (nulls dropped, strings converted to the field types); the caller puts them through
 * the command's gate. Throws an `llm_failed` error on any fault.
 */
export async function extractWithLlm(client: ChatClient, req: LlmExtractionRequest): Promise<Record<string, unknown>> {
  const { schema, fields } = extractionSchema(req.input, req.wanted);
  if (fields.length === 0) return {};
  const messages: ChatMessage[] = [
    {
      role: 'system',
      content:
        `You fill in parameters of the command "${req.command}" (${req.description}) from what the user wrote. ` +
        'Use only values the user stated in the conversation; copy them as written. When the text does not give a value, use null. Never guess or invent.',
    },
    { role: 'user', content: `Conversation so far:\n${req.recent.map((t) => `${t.role}: ${t.text}`).join('\n')}\n\nThe request: ${req.utterance}\n\n${givenLines(req.given)}Fill: ${fields.join(', ')}.` },
  ];
  const reply = await client.chat({ messages, jsonSchema: { name: `${req.command}_parameters`.slice(0, 64), schema }, signal: req.signal });
  const values = parseJsonObject(reply.content, 'malformed_json', 'The language model’s parameter values');
  const out: Record<string, unknown> = {};
  for (const name of fields) {
    const v = values[name];
    if (v === null || v === undefined || v === '') continue;
    const field = req.fields.find((f) => f.name === name);
    out[name] = field && typeof v === 'string' ? coerceValue(field, v) : v;
  }
  return out;
}

/** "Already understood" lines: the model should not read that text as another field's value. */
function givenLines(given: Record<string, unknown> | undefined): string {
  const entries = Object.entries(given ?? {}).filter(([, v]) => v !== undefined);
  if (!entries.length) return '';
  return `Already understood (given, do not fill them): ${entries.map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join('; ')}.\n`;
}
