import { humanizeName, normalizeText } from '../text/normalize.ts';
import type { CompiledWorkflow } from '../workflow/compile.ts';

/**
 * The command (visible in `context`) whose training utterances include `utterance`: its humanised
 * name, or one of its seed utterances — a seed's `{field}` placeholders match any words, a seed made of
 * placeholders only matches nothing. A correction to another command would override what the
 * developer taught, so the engine does not record it (`src/engine/command-choice.ts`).
 */
export function trainedCommandFor(workflow: CompiledWorkflow<any>, context: string, utterance: string): string | undefined {
  const text = normalizeText(utterance);
  if (!text) return undefined;
  for (const cmd of workflow.commandsIn(context)) {
    if (humanizeName(cmd.name) === text) return cmd.name;
    for (const seed of cmd.definition.utterances ?? []) if (seedPattern(seed)?.test(text)) return cmd.name;
  }
  return undefined;
}

const patterns = new Map<string, RegExp | null>();

/** A seed as a pattern over normalised text: literal words kept, each `{field}` one or more words. */
function seedPattern(seed: string): RegExp | undefined {
  let re = patterns.get(seed);
  if (re === undefined) {
    const parts = seed.split(/\{\w+\}/);
    const literal = parts.map((p) => normalizeText(p));
    if (!literal.some((p) => p.length > 0)) re = null;
    else {
      const escaped = literal.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      // Normalised text has single spaces: a placeholder next to words is separated by one.
      re = new RegExp(`^${escaped.map((p, i) => (i === 0 ? p : `${escaped[i - 1] ? ' ' : ''}(.+?)${p ? ' ' : ''}${p}`)).join('')}$`);
    }
    patterns.set(seed, re);
  }
  return re ?? undefined;
}
