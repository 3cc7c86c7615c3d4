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

/**
 * Confident only when the top label is clear of the threshold and of the runner-up; close scores
 * ask the user; out-of-scope or weak scores never guess.
 */
export function decideIntent(prediction: IntentPrediction, allowed?: ReadonlySet<string>): IntentDecision {
  const t: IntentThresholds = prediction.thresholds ?? DEFAULT_THRESHOLDS;
  const ranked = prediction.ranked
    .filter((s) => s.label === OUT_OF_SCOPE || !allowed || allowed.has(s.label))
    .slice()
    .sort((a, b) => b.score - a.score);
  const top = ranked[0];
  if (!top || top.label === OUT_OF_SCOPE || top.score < t.minimum) return { kind: 'out_of_scope', ranked };
  const second = ranked.find((s) => s !== top && s.label !== OUT_OF_SCOPE);
  if (top.score >= t.confident && top.score - (second?.score ?? 0) >= t.margin) {
    return { kind: 'confident', label: top.label, score: top.score, ranked };
  }
  const candidates = ranked.filter((s) => s.label !== OUT_OF_SCOPE && s.score >= t.minimum).slice(0, MAX_CANDIDATES);
  return { kind: 'ambiguous', candidates, ranked };
}
