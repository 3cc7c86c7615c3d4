/**
 * Per-field confidence thresholds for the slot tagger. A field written in many seed templates has
 * had its contexts learned from many sentences, and its values are trusted from a lower confidence
 * than the default; a field in few templates (every field of a small workflow) keeps the default.
 *
 * Chosen on held-out SNIPS train rows (bench/slots-dev.ts, never the test rows): thresholds fitted
 * per field on held-out seed templates (a second fit) were too strict, because made-up values in
 * templates are harder to delimit than real ones: P 94.5 / R 73.3 / F1 82.6 on those rows, where this
 * rule gives P 92.9 / R 79.2 / F1 85.5, and training needs no second fit.
 */
import type { SlotCommand } from './slot-train.ts';

export interface ThresholdOptions {
  /** Templates a field must appear in to get the lower threshold (default 30). */
  minTemplates?: number;
  /** The lower threshold (default 0.55). */
  trusted?: number;
}

export const TRUSTED = { minTemplates: 30, threshold: 0.55 };

/** How many seed templates each field appears in (as a `{field}` placeholder). */
export function templateCounts(commands: readonly SlotCommand[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of commands) {
    for (const t of c.utterances) for (const f of new Set([...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))) counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  return counts;
}

/** The fields with their own (lower) threshold; every other field keeps the model's default. */
export function fieldThresholds(commands: readonly SlotCommand[], fields: readonly string[], options: ThresholdOptions = {}): Record<string, number> {
  const min = options.minTemplates ?? TRUSTED.minTemplates;
  const counts = templateCounts(commands);
  return Object.fromEntries(fields.filter((f) => (counts.get(f) ?? 0) >= min).sort().map((f) => [f, options.trusted ?? TRUSTED.threshold]));
}
