import { FieldKind, type FieldInfo } from '../schema/field-info.ts';
import { similarity } from '../text/fuzzy.ts';
import { cleanRaw, coerceValue, matchEnum, parseBoolean, unquote } from './coerce.ts';

export interface ExtractionRequest {
  text: string;
  command: string;
  fields: readonly FieldInfo[];
  /** Seed utterances of the command (templates with `{field}` placeholders). */
  utterances?: readonly string[];
  /** When the user answers a question about these fields: a lone answer fills the one asked field. */
  answering?: readonly string[];
  signal?: AbortSignal;
}

/** Values found in a message, already coerced to the field types where possible. */
export type ExtractedValues = Record<string, unknown>;

/** Parameter extraction, deterministic here; an LLM implementation plugs in behind the same interface. */
export interface ParameterExtractor {
  extract(request: ExtractionRequest): Promise<ExtractedValues>;
  /** The values with their sources and confidences, and what was understood but not used (optional). */
  extractDetailed?(request: ExtractionRequest): Promise<DetailedExtraction>;
}

/** Where a value comes from: a deterministic step (certain) or the slot tagger (with its confidence). */
export type ValueSource = DeterministicSource | 'tagger';

export interface ExtractedValue {
  value: unknown;
  source: ValueSource;
  /** 1 for deterministic evidence; the tagger's span confidence otherwise. */
  confidence: number;
  /** The text the value was read from, when known. */
  text?: string;
}

export interface DetailedExtraction {
  /** The values to use. */
  values: ExtractedValues;
  /** Every value used, with its source and confidence. */
  evidence: Record<string, ExtractedValue>;
  /** Values understood with too little confidence: not used; the question shows them. */
  uncertain: Record<string, ExtractedValue>;
}

/** Details from any extractor (one without `extractDetailed` reports its values as they are). */
export async function extractDetailed(extractor: ParameterExtractor, request: ExtractionRequest): Promise<DetailedExtraction> {
  if (extractor.extractDetailed) return extractor.extractDetailed(request);
  return { values: await extractor.extract(request), evidence: {}, uncertain: {} };
}

/**
 * Deterministic extraction, strongest evidence first: key=value pairs, the command's own utterance
 * templates, a field's name followed by its value, regex patterns, the shape of the examples, quoted
 * strings, enum values (fuzzy), booleans, and numbers in order. Each piece of text is used once.
 */
export class DeterministicExtractor implements ParameterExtractor {
  async extract(request: ExtractionRequest): Promise<ExtractedValues> {
    return extractDeterministic(request);
  }
}

export function extractDeterministic(request: ExtractionRequest): ExtractedValues {
  return extractWithEvidence(request).values;
}

/** Which step of the deterministic extraction found a value. */
export type DeterministicSource = 'key-value' | 'answer' | 'template' | 'label' | 'pattern' | 'shape' | 'enum' | 'boolean' | 'quoted' | 'number';

export interface DeterministicExtraction {
  values: ExtractedValues;
  sources: Record<string, DeterministicSource>;
  /** Character spans of the message the values were read from. */
  used: [number, number][];
  /**
   * What the command's own template that fits the whole message gives the fields left to another
   * reader (`DeterministicOptions.leave`): not used as values, only as corroboration.
   */
  templateSpans: Record<string, { value: string; start: number; end: number }>;
}

export interface DeterministicOptions {
  /**
   * Fields another extractor reads better (a trained slot tagger): the weak free-text steps
   * (templates, "<label> <value>", example shapes, quoted strings) leave them alone.
   */
  leave?: (field: FieldInfo) => boolean;
}

export function extractWithEvidence(request: ExtractionRequest, options: DeterministicOptions = {}): DeterministicExtraction {
  const text = new TextBudget(request.text);
  const fields = request.answering ? request.fields.filter((f) => request.answering!.includes(f.name)) : request.fields;
  const out: ExtractedValues = {};
  const sources: Record<string, DeterministicSource> = {};
  const leave = options.leave ?? (() => false);
  const open = () => fields.filter((f) => !(f.name in out));
  const weak = () => open().filter((f) => !leave(f));
  let source: DeterministicSource = 'key-value';
  const set = (f: FieldInfo, raw: string) => {
    const v = coerceValue(f, raw);
    if (v !== '' && v !== undefined) {
      out[f.name] = v;
      sources[f.name] = source;
    }
  };
  const templateSpans: DeterministicExtraction['templateSpans'] = {};
  const done = (): DeterministicExtraction => ({ values: out, sources, used: text.spans, templateSpans });

  // 1. key=value / key: value (the value runs to the next key= or the end)
  const kv = /([A-Za-z_][\w ]{0,40}?)\s*[=:]\s*("[^"]*"|'[^']*'|.+?)(?=\s*[,;]?\s+[A-Za-z_]\w*\s*[=:]|\s*[,;]\s*$|$)/g;
  for (const m of request.text.matchAll(kv)) {
    const f = findField(request.fields, m[1]);
    if (f && !(f.name in out)) {
      set(f, m[2]);
      text.use(m.index!, m.index! + m[0].length);
    }
  }

  // 2. a lone answer to a single question is that field's value (typed fields: when it converts)
  const lone = request.answering && open().length === 1 && Object.keys(out).length === 0 ? open()[0] : undefined;
  const answer = unquote(request.text);
  source = 'answer';
  if (lone && answer && (lone.kind === FieldKind.String && !lone.pattern ? true : acceptable(lone, answer))) {
    set(lone, answer);
    return done();
  }

  // 3. the command's own utterance templates
  source = 'template';
  const left = new Set(fields.filter(leave).map((f) => f.name));
  const useful = (template: string) => !left.size || [...template.matchAll(/\{(\w+)\}/g)].some(([, n]) => !left.has(n));
  // The most specific template first: "delete item {item}" before "delete {item}" for "delete item 1".
  for (const template of byLiteralLength((request.utterances ?? []).filter(useful))) {
    const match = matchTemplate(template, request.text);
    if (!match) continue;
    for (const [name, { value, start, end }] of Object.entries(match)) {
      const f = fields.find((x) => x.name === name);
      if (!f || f.name in out || !text.isFree(start, end) || !acceptable(f, value)) continue;
      if (leave(f)) {
        templateSpans[f.name] = { value, start, end };
        continue;
      }
      // A patterned field takes only the part that matches ("#W0000001 please" → "#W0000001").
      const m = f.pattern ? unanchored(f.pattern)?.exec(value) : undefined;
      set(f, m ? m[0] : value);
      text.use(start, end);
    }
    break;
  }

  // 4. "<field label> [is|=|:|of|to] <value>"
  source = 'label';
  for (const f of weak()) {
    const re = new RegExp(`\\b${escapeRegex(f.label).replace(/ /g, '[\\s_]+')}\\b(?:\\s+(?:is|of|to|as|=|:))?\\s*[:=]?\\s*("[^"]+"|'[^']+'|\\S+)`, 'i');
    const m = re.exec(text.free());
    if (m && acceptable(f, m[1])) {
      set(f, m[1]);
      text.use(m.index, m.index + m[0].length);
    }
  }

  // 5. regex-constrained fields, then fields whose examples have a recognisable shape (ids, emails)
  for (const f of open()) {
    const re = f.pattern ? unanchored(f.pattern) : leave(f) ? undefined : shapeOf(f);
    if (!re) continue;
    source = f.pattern ? 'pattern' : 'shape';
    const m = re.exec(text.free());
    if (m) {
      set(f, m[0]);
      text.use(m.index, m.index + m[0].length);
    }
  }

  // 6. enum values, fuzzy-matched against word n-grams
  source = 'enum';
  for (const f of open().filter((x) => x.kind === FieldKind.Enum)) {
    const hit = findEnumInText(text.free(), f.enumValues ?? []);
    if (hit) {
      out[f.name] = hit.value;
      sources[f.name] = 'enum';
      text.use(hit.start, hit.end);
    }
  }

  // 7. booleans
  const bools = open().filter((x) => x.kind === FieldKind.Boolean);
  if (bools.length === 1) {
    const m = /\b(yes|no|true|false)\b/i.exec(text.free());
    if (m) {
      out[bools[0].name] = parseBoolean(m[1]);
      sources[bools[0].name] = 'boolean';
      text.use(m.index, m.index + m[0].length);
    }
  }

  // 8. quoted strings → free-text string fields, in order
  for (const m of text.free().matchAll(/"([^"]+)"|“([^”]+)”|'([^']{2,})'/g)) {
    const f = weak().find((x) => x.kind === FieldKind.String && !x.pattern);
    if (!f) break;
    out[f.name] = (m[1] ?? m[2] ?? m[3]).trim();
    sources[f.name] = 'quoted';
    text.use(m.index!, m.index! + m[0].length);
  }

  // 9. numbers → numeric fields, in declaration order
  source = 'number';
  for (const m of text.free().matchAll(/(?<![\w#.])[-+]?\d[\d,]*(?:\.\d+)?(?![\w.]*[A-Za-z])/g)) {
    const f = open().find((x) => x.kind === FieldKind.Number || x.kind === FieldKind.Integer);
    if (!f) break;
    set(f, m[0]);
    text.use(m.index!, m.index! + m[0].length);
  }

  // 10. still nothing for a lone question: the whole answer, so that validation says what is wrong
  source = 'answer';
  if (lone && answer && !(lone.name in out)) set(lone, answer);
  return done();
}

/** The message with used spans blanked out (same length, so indices stay valid). */
class TextBudget {
  private chars: string[];
  readonly spans: [number, number][] = [];
  constructor(text: string) {
    this.chars = [...text];
  }
  free(): string {
    return this.chars.join('');
  }
  isFree(start: number, end: number): boolean {
    return this.chars.slice(start, end).every((c) => c !== '\u0000');
  }
  use(start: number, end: number): void {
    this.spans.push([start, end]);
    for (let i = start; i < end; i++) this.chars[i] = '\u0000';
  }
}

function findField(fields: readonly FieldInfo[], key: string): FieldInfo | undefined {
  const k = key.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return fields.find((f) => f.name.toLowerCase() === k) ?? fields.find((f) => similarity(f.name.toLowerCase(), k) >= 0.85);
}

function acceptable(f: FieldInfo, raw: string): boolean {
  const v = coerceValue(f, raw);
  switch (f.kind) {
    case FieldKind.Number:
    case FieldKind.Integer:
      return typeof v === 'number';
    case FieldKind.Boolean:
      return typeof v === 'boolean';
    case FieldKind.Enum:
      return matchEnum(cleanRaw(raw), f.enumValues ?? []) !== undefined;
    default:
      return f.pattern ? (unanchored(f.pattern)?.test(raw) ?? true) : cleanRaw(raw).length > 0;
  }
}

/** Templates with more literal text first (stable among equals). */
function byLiteralLength(templates: readonly string[]): string[] {
  const literal = (t: string) => t.replace(/\{\w+\}/g, '').replace(/[^\p{L}\p{N}]/gu, '').length;
  return templates.map((t, i) => ({ t, i, n: literal(t) })).sort((a, b) => b.n - a.n || a.i - b.i).map((x) => x.t);
}

/** Match a seed template against the message; placeholder values with their character spans. */
export function matchTemplate(template: string, message: string): Record<string, { value: string; start: number; end: number }> | undefined {
  const names: string[] = [];
  const parts = template.trim().replace(/[.?!]+$/, '').split(/(\{\w+\})/);
  let source = '';
  for (const part of parts) {
    const ph = /^\{(\w+)\}$/.exec(part);
    if (ph) {
      names.push(ph[1]);
      source += '(.+?)';
    } else {
      source += escapeRegex(part).replace(/\s+/g, '\\s+');
    }
  }
  if (names.length === 0) return undefined;
  const re = new RegExp(`^\\s*${source}\\s*[.?!]*\\s*$`, 'id');
  const m = re.exec(message);
  if (!m) return undefined;
  const out: Record<string, { value: string; start: number; end: number }> = {};
  names.forEach((n, i) => {
    const [start, end] = m.indices![i + 1];
    out[n] = { value: m[i + 1], start, end };
  });
  return out;
}

function findEnumInText(text: string, values: readonly string[]): { value: string; start: number; end: number } | undefined {
  const wordRe = /[\p{L}\p{N}][\p{L}\p{N}'_-]*/gu;
  const tokens = [...text.matchAll(wordRe)].map((m) => ({ w: m[0], start: m.index!, end: m.index! + m[0].length }));
  let best: { value: string; start: number; end: number; score: number } | undefined;
  for (const value of values) {
    const words = value.split(/\s+/).length;
    // Windows of the value's length, and one word longer ("ordered it by mistake").
    for (const n of words > 1 ? [words, words + 1] : [words]) {
      for (let i = 0; i + n <= tokens.length; i++) {
        const gram = tokens.slice(i, i + n);
        if (gram[gram.length - 1].end - gram[0].start > value.length * 2 + 4) continue;
        const phrase = gram.map((t) => t.w).join(' ');
        const score = similarity(phrase.toLowerCase(), value.toLowerCase());
        const min = value.length <= 4 ? 1 : 0.8;
        if (score >= min && (!best || score > best.score)) best = { value, start: gram[0].start, end: gram[gram.length - 1].end, score };
      }
    }
  }
  return best;
}

function unanchored(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern.replace(/^\^/, '').replace(/\$$/, ''), 'i');
  } catch {
    return undefined;
  }
}

/** A regex for the shape of id-like examples ("#W0000000" → `#W\d{7}`); none for plain words. */
function shapeOf(field: FieldInfo): RegExp | undefined {
  if (field.kind !== FieldKind.String) return undefined;
  const shapes = new Set<string>();
  for (const ex of field.examples) {
    const s = String(ex);
    if (!/\d|@/.test(s) || /\s/.test(s)) continue;
    shapes.add(
      s.replace(/[A-Za-z]+|\d+|[^A-Za-z\d]/g, (run) => {
        if (/^\d+$/.test(run)) return `\\d{${run.length}}`;
        if (/^[A-Za-z]+$/.test(run)) return run.length <= 2 && run === run.toUpperCase() ? run : '[A-Za-z]+';
        return escapeRegex(run);
      }),
    );
  }
  if (shapes.size === 0) return undefined;
  return new RegExp(`(?<![\\w#])(?:${[...shapes].join('|')})(?!\\w)`, 'i');
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
