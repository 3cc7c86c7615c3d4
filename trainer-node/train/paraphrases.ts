/**
 * `fastworkflow train --llm`: varied paraphrases per command from an LLM, deduplicated and cached on
 * disk keyed by the command's definition and the model — a re-training finds them all in the cache,
 * makes no request and gives the same bundle byte for byte.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, FastWorkflowError, toInputJsonSchema, type CompiledWorkflow, type ResolvedCommand } from '../../src/index.ts';
import { parseJsonObject } from '../../src/llm/faults.ts';
import type { ChatClient } from '../../src/llm/types.ts';

/** Bump when the prompt changes: old cache entries are then not reused. */
const PROMPT_VERSION = 1;

export interface ParaphraseOptions {
  /** The model's name (part of the cache key; needed even when everything is cached). */
  model: string;
  /** Makes the requests on a cache miss; absent → a miss is an error (offline re-training). */
  client?: ChatClient;
  dir: string;
  /** Paraphrases asked for per command; default 12. */
  count?: number;
  signal?: AbortSignal;
}

export interface ParaphraseResult {
  utterances: Record<string, string[]>;
  cached: number;
  requested: number;
}

export async function paraphrasesFor(workflow: CompiledWorkflow<any>, options: ParaphraseOptions): Promise<ParaphraseResult> {
  const count = options.count ?? 12;
  const commands = new Map<string, ResolvedCommand>();
  for (const context of workflow.contextNames()) for (const cmd of workflow.commandsIn(context)) commands.set(cmd.name, cmd);
  const raw: Record<string, string[]> = {};
  let cached = 0;
  let requested = 0;
  for (const cmd of [...commands.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const key = cacheKey(cmd, options.model, count);
    const file = join(options.dir, `${cmd.name}-${key.slice(0, 16)}.json`);
    const hit = await readCache(file, key);
    if (hit) {
      raw[cmd.name] = hit;
      cached++;
      continue;
    }
    if (!options.client) {
      throw new FastWorkflowError(ErrorCode.InvalidWorkflow, `No cached paraphrases for "${cmd.name}" with model ${options.model} (${file}), and no LLM endpoint to ask: set FASTWORKFLOW_LLM_BASE_URL or FASTWORKFLOW_LLM_API_KEY.`);
    }
    const list = await ask(options.client, cmd, count, options.signal);
    requested++;
    await mkdir(options.dir, { recursive: true });
    const tmp = `${file}.tmp`;
    await writeFile(tmp, `${JSON.stringify({ key, command: cmd.name, model: options.model, paraphrases: list }, null, 2)}\n`);
    await rename(tmp, file);
    raw[cmd.name] = list;
  }
  return { utterances: dedupeAcross(raw, commands), cached, requested };
}

/** The command's definition as the LLM sees it, plus the model and the prompt version. */
function cacheKey(cmd: ResolvedCommand, model: string, count: number): string {
  const def = cmd.definition;
  const definition = { name: cmd.name, description: def.description, utterances: def.utterances ?? [], input: def.input ? toInputJsonSchema(def.input) : null };
  return createHash('sha256').update(JSON.stringify({ v: PROMPT_VERSION, model, count, definition })).digest('hex');
}

async function readCache(file: string, key: string): Promise<string[] | undefined> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8'));
    return data?.key === key && Array.isArray(data.paraphrases) ? data.paraphrases.filter((p: unknown): p is string => typeof p === 'string') : undefined;
  } catch {
    return undefined;
  }
}

async function ask(client: ChatClient, cmd: ResolvedCommand, count: number, signal?: AbortSignal): Promise<string[]> {
  const def = cmd.definition;
  const reply = await client.chat({
    messages: [
      {
        role: 'system',
        content:
          'You write training data for an intent classifier. Given a command, write varied requests a user might type for it: different wording, length, politeness and ' +
          'vocabulary; realistic values where the command takes parameters; no numbering, no quotes around the sentence.',
      },
      { role: 'user', content: `Command: ${cmd.name}\nWhat it does: ${def.description}\nExamples ({x} is a parameter):\n${(def.utterances ?? []).map((u) => `- ${u}`).join('\n')}\n\nWrite ${count} new, different requests.` },
    ],
    jsonSchema: { name: 'paraphrases', schema: { type: 'object', properties: { paraphrases: { type: 'array', items: { type: 'string' } } }, required: ['paraphrases'], additionalProperties: false } },
    signal,
  });
  const value = parseJsonObject(reply.content, 'malformed_json', `The paraphrases for ${cmd.name}`);
  const list = Array.isArray(value.paraphrases) ? value.paraphrases.filter((p): p is string => typeof p === 'string') : [];
  const seeds = new Set((def.utterances ?? []).map(norm));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of list) {
    const text = p.trim().replace(/\s+/g, ' ');
    const k = norm(text);
    if (!k || text.length > 300 || seeds.has(k) || seen.has(k) || /\{\w+\}/.test(text)) continue;
    seen.add(k);
    out.push(text);
  }
  return out.slice(0, count);
}

/** A paraphrase given for two commands teaches nothing: dropped from both. */
function dedupeAcross(raw: Record<string, string[]>, commands: Map<string, ResolvedCommand>): Record<string, string[]> {
  const owners = new Map<string, Set<string>>();
  for (const [name, list] of Object.entries(raw)) for (const p of list) (owners.get(norm(p)) ?? owners.set(norm(p), new Set()).get(norm(p))!).add(name);
  return Object.fromEntries(Object.entries(raw).filter(([name]) => commands.has(name)).map(([name, list]) => [name, list.filter((p) => owners.get(norm(p))!.size === 1)]));
}

function norm(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}
