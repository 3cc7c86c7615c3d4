import { humanizeName, normalizeText } from '../text/normalize.ts';
import { similarity } from '../text/fuzzy.ts';

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];

/**
 * Which of the numbered candidates the user picked: "2", "#2", "option 2", "the second one", the
 * command's name or a close spelling of it. Undefined when the answer names none of them.
 */
export function parseChoice(answer: string, candidates: readonly string[]): string | undefined {
  const t = normalizeText(answer).replace(/^(option|number|no\.?|choice|the)\s+/, '').replace(/\s+(one|please)$/, '').replace(/^#/, '');
  if (candidates.length === 1 && parseYesNo(answer) === true) return candidates[0];
  const n = /^(\d{1,2})$/.exec(t);
  if (n) return candidates[Number(n[1]) - 1];
  const ord = ORDINALS.indexOf(t);
  if (ord >= 0) return candidates[ord];
  if (t === 'last' && candidates.length) return candidates[candidates.length - 1];
  const exact = candidates.find((c) => c.toLowerCase() === t || humanizeName(c) === t);
  if (exact) return exact;
  const scored = candidates.map((c) => ({ c, s: similarity(t, humanizeName(c)) })).sort((a, b) => b.s - a.s);
  if (scored[0] && scored[0].s >= 0.8 && (scored.length < 2 || scored[0].s - scored[1].s >= 0.1)) return scored[0].c;
  return undefined;
}

export function parseYesNo(answer: string): boolean | undefined {
  const t = normalizeText(answer);
  if (/^(yes|y|yeah|yep|confirm|confirmed|sure|ok|okay|do it|go ahead|proceed)( please)?$/.test(t)) return true;
  if (/^(no|n|nope|don't|do not|cancel|stop)( please)?$/.test(t)) return false;
  return undefined;
}
