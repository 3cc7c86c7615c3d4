/**
 * Per-field confidence thresholds for the slot tagger, chosen on seed templates the model did not
 * learn from: a tagger trained on the other templates tags them (filled as for training), and each
 * field gets the lowest threshold at which its values were still right often enough (precision
 * first), never above the default. Fields with too little evidence keep the default threshold.
 */
import { SlotTagger } from '../../src/params/slots/tagger.ts';
import type { SlotTaggerFile } from '../../src/params/slots/model.ts';
import type { FilledSentence, SlotCommand } from './slot-train.ts';

export interface CalibrationOptions {
  /** Precision a field's values must reach on the held-out templates (default 0.92, chosen on held-out train rows with bench/slots-dev.ts: 0.95 cost 2.3 points of recall for 1.1 of precision). */
  precision?: number;
  /** Thresholds are kept within [floor, default threshold] (default floor 0.5). */
  floor?: number;
  /** A field in fewer held-out templates than this keeps the default threshold (default 10): a small workflow is not sure enough of its own scores. */
  minTemplates?: number;
  /** Sees each field's held-out values (confidence, right or not), e.g. for tuning. */
  inspect?: (field: string, values: readonly { confidence: number; right: boolean }[]) => void;
}

/** Every `fold`-th template of commands with at least `fold` templates is held out. */
export function holdOutTemplates(commands: readonly SlotCommand[], fold = 5): { fit: SlotCommand[]; held: SlotCommand[] } {
  const fit = commands.map((c) => (c.utterances.length >= fold ? { ...c, utterances: c.utterances.filter((_, i) => i % fold !== fold - 1) } : c));
  const held = commands.filter((c) => c.utterances.length >= fold).map((c) => ({ ...c, utterances: c.utterances.filter((_, i) => i % fold === fold - 1) }));
  return { fit, held };
}

/** Each field's threshold from how the (held-out) tagger did on `sentences`. */
export function fieldThresholds(file: SlotTaggerFile, sentences: readonly FilledSentence[], options: CalibrationOptions = {}): Record<string, number> {
  const target = options.precision ?? 0.92;
  const floor = options.floor ?? 0.5;
  const minTemplates = options.minTemplates ?? 10;
  const tagger = new SlotTagger(file);
  const byField = new Map<string, { confidence: number; right: boolean }[]>();
  const templates = new Map<string, Set<string>>();
  for (const s of sentences) {
    for (const g of s.spans) templates.set(g.field, (templates.get(g.field) ?? new Set()).add(`${s.command}\u0000${s.template}`));
    for (const span of tagger.tag(s.text, s.command)) {
      const right = s.spans.some((g) => g.field === span.field && g.start === span.start && g.end === span.end);
      const list = byField.get(span.field) ?? [];
      list.push({ confidence: span.confidence, right });
      byField.set(span.field, list);
    }
  }
  const out: Record<string, number> = {};
  for (const [field, values] of [...byField].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    values.sort((a, b) => b.confidence - a.confidence);
    options.inspect?.(field, values);
    if ((templates.get(field)?.size ?? 0) < minTemplates) continue;
    // The lowest confidence down to which the values above it are right at least `target` of the time.
    let right = 0;
    let threshold = file.threshold;
    values.forEach((v, i) => {
      if (v.right) right++;
      if (right / (i + 1) >= target) threshold = Math.min(threshold, v.confidence);
    });
    out[field] = Math.round(Math.max(floor, Math.min(file.threshold, threshold)) * 1000) / 1000;
  }
  return out;
}
