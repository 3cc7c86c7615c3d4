/**
 * A synthetic 150-command workflow built from Banking77 (public, read in place from
 * ../shared/intent-eval): the training-time benchmark at "real scale" (150 commands × 100
 * user-written utterances, one context).
 *
 * - commands 1–77: the 77 Banking77 intents, the first 100 train utterances of each (a few
 *   intents have fewer: 14,476 utterances in all, every one used by the trainer);
 * - commands 78–150: the first 73 intents again as "business account" variants: the last 100
 *   train utterances of the intent, each prefixed with "for my business account, " (a distinct,
 *   learnable intent; its texts never equal a personal one).
 *
 * Accuracy on it is not comparable with real data sets (the business twins differ by a prefix);
 * it measures training time and that every utterance is used.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { defineCommand, defineWorkflow, type WorkflowDefinition } from '../src/index.ts';

export const SCALE = { commands: 150, utterancesPerCommand: 100 } as const;
const BUSINESS = 'for my business account, ';

export function banking77Rows(dataDir: string, split: 'train' | 'test'): { text: string; intent: string }[] {
  return readFileSync(join(dataDir, 'banking77', `${split}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { text: string; intent: string });
}

/** The 150-command workflow (one context, global commands). */
export function scaleWorkflow(dataDir: string): WorkflowDefinition {
  const rows = banking77Rows(dataDir, 'train');
  const byIntent = new Map<string, string[]>();
  for (const r of rows) byIntent.set(r.intent, [...(byIntent.get(r.intent) ?? []), r.text]);
  const intents = [...byIntent.keys()].sort();
  const n = SCALE.utterancesPerCommand;
  const commands = [
    ...intents.map((intent) => ({ name: commandName(intent), utterances: byIntent.get(intent)!.slice(0, n) })),
    ...intents.slice(0, SCALE.commands - intents.length).map((intent) => ({
      name: `business_${commandName(intent)}`,
      utterances: byIntent.get(intent)!.slice(-n).map((t) => BUSINESS + t.charAt(0).toLowerCase() + t.slice(1)),
    })),
  ].map(({ name, utterances }) => defineCommand({ name, description: name.replace(/_/g, ' '), input: z.object({}), utterances, run: () => 'ok' }));
  return defineWorkflow({ name: 'scale150', description: 'Banking77-based 150-command benchmark', contexts: [{ name: '*', commands }], createApp: () => ({}) });
}

/** Banking77 intent names as command names (letters, digits, underscores). */
function commandName(intent: string): string {
  return intent.replace(/[^A-Za-z0-9_]/g, '');
}
