import { similarity } from '../text/fuzzy.ts';
import { humanizeName, normalizeText } from '../text/normalize.ts';
import type { ResolvedCommand } from '../workflow/compile.ts';
import { IntentSource } from './output.ts';

/** A command named by the message itself: "add_two_numbers 3 4", "add two numbers", or a near spelling. */
export function matchCommandName(text: string, commands: readonly ResolvedCommand[]): { command: ResolvedCommand; rest: string; source: IntentSource } | undefined {
  const first = /^(\S+)\s*(.*)$/s.exec(text);
  if (first) {
    const byFirstWord = commands.find((c) => c.name === first[1]);
    if (byFirstWord) return { command: byFirstWord, rest: first[2], source: IntentSource.ExactName };
  }
  const norm = normalizeText(text);
  for (const c of commands) {
    const human = humanizeName(c.name);
    if (norm === human) return { command: c, rest: '', source: IntentSource.ExactName };
  }
  const close = commands.map((c) => ({ c, s: similarity(norm, humanizeName(c.name)) })).filter((x) => x.s >= 0.85).sort((a, b) => b.s - a.s);
  // The whole message is read for parameters: a near spelling may carry values ("delete expense 1").
  if (close.length === 1 || (close.length > 1 && close[0].s - close[1].s >= 0.1)) return { command: close[0].c, rest: text, source: IntentSource.FuzzyName };
  return undefined;
}
