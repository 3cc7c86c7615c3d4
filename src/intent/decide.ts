import { OUT_OF_SCOPE } from '../workflow/builtin-names.ts';
import { DEFAULT_THRESHOLDS, type IntentPrediction, type IntentScore, type IntentThresholds } from './classifier.ts';

export const IntentDecisionKind = {
  Confident: 'confident',
  Ambiguous: 'ambiguous',
  OutOfScope: 'out_of_scope',
} as const;
export type IntentDecisionKind = (typeof IntentDecisionKind)[keyof typeof IntentDecisionKind];

export type IntentDecision =
  | { kind: 'confident'; label: string; score: number; ranked: IntentScore[] }
  | { kind: 'ambiguous'; candidates: IntentScore[]; ranked: IntentScore[] }
  | { kind: 'out_of_scope'; ranked: IntentScore[] };

/** How many candidates an ambiguity question lists at most. */
export const MAX_CANDIDATES = 3;

/** The top label's support, score × similarity, or undefined when it has no similarity. */
export function supportOf(top: IntentScore): number | undefined {
  return top.similarity === undefined ? undefined : top.score * Math.max(0, top.similarity);
}

/**
 * Confident only when the top label is clear of the threshold and of the runner-up, and (with
 * support thresholds and a similarity) close enough to what it was trained on; close scores ask the
 * user; out-of-scope or weak scores never guess.
 */
export function decideIntent(prediction: IntentPrediction, allowed?: ReadonlySet<string>): IntentDecision {
  const t: IntentThresholds = prediction.thresholds ?? DEFAULT_THRESHOLDS;
  const ranked = prediction.ranked
    .filter((s) => s.label === OUT_OF_SCOPE || !allowed || allowed.has(s.label))
    .slice()
    .sort((a, b) => b.score - a.score);
  const top = ranked[0];
  if (!top || top.label === OUT_OF_SCOPE || top.score < t.minimum) return { kind: 'out_of_scope', ranked };
  const support = t.support && supportOf(top);
  if (t.support && support !== undefined && support < t.support.reject) return { kind: 'out_of_scope', ranked };
  const second = ranked.find((s) => s !== top && s.label !== OUT_OF_SCOPE);
  const supported = !t.support || support === undefined || support >= t.support.execute;
  if (top.score >= t.confident && top.score - (second?.score ?? 0) >= t.margin && supported) {
    return { kind: 'confident', label: top.label, score: top.score, ranked };
  }
  const candidates = ranked.filter((s) => s.label !== OUT_OF_SCOPE && s.score >= t.minimum).slice(0, MAX_CANDIDATES);
  return { kind: 'ambiguous', candidates, ranked };
}
