import { FieldKind, type FieldInfo } from '../../schema/field-info.ts';
import { coerceValue } from '../coerce.ts';
import { extractWithEvidence, type DetailedExtraction, type ExtractedValue, type ExtractedValues, type ExtractionRequest, type ParameterExtractor } from '../extract.ts';
import type { SlotTagger } from './tagger.ts';

export interface TaggedExtractorOptions {
  /** Minimum confidence per field name; the model's own threshold otherwise. */
  thresholds?: Record<string, number>;
  /** Minimum confidence of the other fields; the model's own thresholds when not given. */
  threshold?: number;
}

/**
 * Deterministic evidence first (key=value, patterns, enums, booleans, numbers), then the trained
 * slot tagger for the free-text fields still open. Precision first: a tagged value below its
 * field's threshold is not used (it is reported as uncertain, so the question can show it).
 */
export class TaggedExtractor implements ParameterExtractor {
  constructor(
    readonly tagger: SlotTagger | undefined,
    private readonly options: TaggedExtractorOptions = {},
  ) {}

  async extract(request: ExtractionRequest): Promise<ExtractedValues> {
    return this.explain(request).values;
  }

  async extractDetailed(request: ExtractionRequest): Promise<DetailedExtraction> {
    return this.explain(request);
  }

  /** A field's threshold: this extractor's own for the field or for all, else the model's for the field, else the model's default. */
  threshold(field: string): number {
    return this.options.thresholds?.[field] ?? this.options.threshold ?? this.tagger?.thresholdOf(field) ?? 1;
  }

  explain(request: ExtractionRequest): DetailedExtraction {
    const tagger = this.tagger?.knows(request.command) ? this.tagger : undefined;
    const tagged = new Set(tagger ? (tagger.file.commands[request.command] ?? []) : []);
    const leave = (f: FieldInfo) => tagged.has(f.name);
    // A lone answer to one question stays the deterministic reading (it is that field's value).
    const lone = request.answering?.length === 1;
    const det = extractWithEvidence(request, lone ? {} : { leave });
    const evidence: Record<string, ExtractedValue> = {};
    for (const [name, value] of Object.entries(det.values)) evidence[name] = { value, source: det.sources[name], confidence: 1 };
    const out: DetailedExtraction = { values: { ...det.values }, evidence, uncertain: {} };
    if (!tagger || lone) return out;

    const fields = request.fields.filter((f) => leave(f) && !(f.name in det.values) && (!request.answering || request.answering.includes(f.name)));
    if (!fields.length) return out;
    const overlaps = (s: number, e: number) => det.used.some(([a, b]) => s < b && a < e);
    const spans = tagger.tag(request.text, request.command, fields.map((f) => f.name)).filter((s) => !overlaps(s.start, s.end));
    for (const f of fields) {
      const [best, rival] = spans.filter((s) => s.field === f.name).sort((a, b) => b.confidence - a.confidence);
      if (!best) continue;
      const text = withClosingQuestionMark(f, request.text, best.value, best.end);
      const item: ExtractedValue = { value: coerceValue(f, text), source: 'tagger', confidence: best.confidence, text };
      // Two likely values for one field ("rename buy milk to buy oat milk"): which one is meant is a
      // guess, so the best is only offered in the question.
      const contested = rival !== undefined && rival.confidence >= RIVAL_CONFIDENCE && rival.value.toLowerCase() !== best.value.toLowerCase();
      if (best.confidence >= this.threshold(f.name) && !contested) {
        out.values[f.name] = item.value;
        out.evidence[f.name] = item;
        continue;
      }
      // Below the threshold, but one of the command's own templates fits the whole message and gives
      // about the same words ("log 30 for a taxi to the airport" against "log {amount} for {note}"):
      // two readers agree, so the template's value is used.
      const hint = det.templateSpans[f.name];
      if (hint && !contested && agree(best, hint) && !overlaps(hint.start, hint.end)) {
        const value = coerceValue(f, hint.value);
        out.values[f.name] = value;
        out.evidence[f.name] = { value, source: 'template', confidence: best.confidence, text: hint.value };
        continue;
      }
      out.uncertain[f.name] = item;
    }
    return out;
  }
}

/** Two spans agree when each covers at least AGREEMENT of the other. */
const AGREEMENT = 0.6;

function agree(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  const shared = Math.min(a.end, b.end) - Math.max(a.start, b.start);
  return shared > 0 && shared >= AGREEMENT * (a.end - a.start) && shared >= AGREEMENT * (b.end - b.start);
}

/** A second span for the same field at least this likely makes the field's value uncertain. */
const RIVAL_CONFIDENCE = 0.5;

/**
 * A sentence-like free-text value that runs to a closing "?" keeps it ("message carol: lunch at
 * noon?" → "lunch at noon?"): the tagger's spans stop at words. Name-like fields (one-word
 * examples) and typed fields never take it.
 */
function withClosingQuestionMark(f: FieldInfo, text: string, value: string, end: number): string {
  if (f.kind !== FieldKind.String || f.enumValues || f.pattern) return value;
  const words = Math.max(0, ...f.examples.map((e) => String(e).trim().split(/\s+/).length));
  if (words < 2 || !/^\s*\?+\s*$/.test(text.slice(end))) return value;
  return `${value}?`;
}
