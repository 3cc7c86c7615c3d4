import { FieldKind, sampleValues, type FieldInfo, type ResolvedCommand } from '../../src/index.ts';
import { tokenFeatures, type Gazetteer } from '../../src/params/slots/features.ts';
import type { SlotTaggerFile } from '../../src/params/slots/model.ts';
import { tokenize } from '../../src/params/slots/tokens.ts';
import { builtinKindOf } from '../../src/params/slots/builtin/kind.ts';
import { seededRandom } from '../../src/util/rng.ts';
import { builtinValue } from './slot-builtin-values.ts';
import { fieldThresholds, type ThresholdOptions } from './slot-thresholds.ts';
import { fitSlotCrf, type SlotExample, type SlotFitOptions } from './slot-fit.ts';

/** What the slot trainer needs of a command: its fields and its seed templates. */
export interface SlotCommand {
  command: string;
  fields: readonly FieldInfo[];
  utterances: readonly string[];
}

export interface SlotTrainOptions extends Partial<SlotFitOptions> {
  seed: number;
  /** Filled sentences per seed template. */
  variants?: number;
  /** Which fields get the lower per-field threshold (slot-thresholds.ts). */
  thresholds?: ThresholdOptions;
}

/** Free text the tagger learns to delimit: strings without an enum (patterns are found before). */
export function taggable(f: FieldInfo): boolean {
  return f.kind === FieldKind.String && !f.enumValues;
}

/**
 * Words for made-up values: a value the model has never seen must be found from the words around
 * it, so every placeholder is also filled with random phrases of these.
 */
const FILLER_WORDS = [
  'book', 'tickets', 'quarterly', 'report', 'fix', 'the', 'fence', 'email', 'sarah', 'renew', 'passport', 'noon', 'my', 'car',
  'green', 'river', 'call', 'mom', 'tomorrow', 'server', 'was', 'down', 'lunch', 'meeting', 'project', 'alpha', 'rock', 'night', 'blue',
  'paris', 'jazz', 'old', 'town', 'pay', 'rent', 'garden', 'party', 'hello', 'world', 'new', 'york', 'dinner', 'ready', 'kevin', 'maria',
];

/** Small words inside and before made-up names (not "to" nor "my": they mark where a value starts or ends in most commands). */
const JOINING_WORDS = ['of', 'the', 'in', 'and', 'on', 'for', 'a', 'de', 'with'];
const LEADING_WORDS = ['the', 'a'];

/** Share of the made-up values of a place or date field that are built-in values of its kind. */
const BUILTIN_SHARE = 0.5;

const PREFIXES = ['please ', 'can you ', 'i want to ', 'could you ', 'hey ', "i'd like to "];
const SUFFIXES = [' please', ' now', ' thanks', '?', '.', ' for me'];

/** The commands of a compiled workflow that have free-text fields, once each. */
export function slotCommandsOf(commands: readonly ResolvedCommand[]): SlotCommand[] {
  const seen = new Map<string, SlotCommand>();
  for (const c of commands) {
    if (seen.has(c.name) || !c.fields.some(taggable) || !(c.definition.utterances ?? []).length) continue;
    seen.set(c.name, { command: c.name, fields: c.fields, utterances: c.definition.utterances ?? [] });
  }
  return [...seen.values()].sort((a, b) => (a.command < b.command ? -1 : a.command > b.command ? 1 : 0));
}

/** Example values and enum values of the taggable fields, by field name. */
export function gazetteerOf(commands: readonly SlotCommand[]): Gazetteer {
  const g: Record<string, Set<string>> = {};
  for (const c of commands) for (const f of c.fields.filter(taggable)) for (const v of sampleValuesOf(f)) (g[f.name] ??= new Set()).add(v.toLowerCase());
  return Object.fromEntries(Object.entries(g).map(([k, v]) => [k, [...v].sort()]));
}

function sampleValuesOf(f: FieldInfo): string[] {
  return f.examples.length ? f.examples.map(String) : [];
}

/** A seed template filled in: the text, the character spans of its free-text values, and its command's fields. */
export interface FilledSentence {
  command: string;
  template: string;
  text: string;
  spans: { field: string; start: number; end: number }[];
  fields: readonly string[];
}

/**
 * Seed templates filled with example values and made-up phrases (a placeholder of a typed field is
 * filled with a sample). Augmented with filler words before and after, and lower case.
 */
export function filledSentences(commands: readonly SlotCommand[], options: SlotTrainOptions): FilledSentence[] {
  const random = seededRandom(options.seed);
  const allWords = [...new Set(commands.flatMap((c) => c.fields.filter(taggable).flatMap((f) => sampleValuesOf(f).flatMap((e) => e.toLowerCase().split(/\s+/)))))].filter(Boolean).sort();
  if (!allWords.length) allWords.push(...FILLER_WORDS);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const made = () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(FILLER_WORDS)).join(' ');
  // Words of the field's own examples, recombined: new values of the same kind ("next week" + "3 days" → "next days").
  const recombined = (examples: readonly string[]) => {
    const words = examples.flatMap((e) => e.split(/\s+/)).filter(Boolean);
    const longest = Math.max(...examples.map((e) => e.split(/\s+/).length));
    return Array.from({ length: 1 + Math.floor(random() * longest) }, () => pick(words)).join(' ');
  };
  // A name-like phrase as long as the field's examples: words of any field's examples joined by small words, mostly title-cased ("Women of the Blues").
  const titled = (examples: readonly string[]) => {
    const longest = Math.max(2, ...examples.map((e) => e.split(/\s+/).length));
    const n = 1 + Math.floor(random() * longest);
    const words: string[] = [];
    if (random() < 0.25) words.push(pick(LEADING_WORDS));
    for (let i = 0; i < n; i++) {
      if (i > 0 && random() < 0.3) words.push(pick(JOINING_WORDS));
      words.push(pick(random() < 0.5 ? allWords : FILLER_WORDS));
    }
    return random() < 0.7 ? words.map((w, i) => (i > 0 && JOINING_WORDS.includes(w) ? w : w.charAt(0).toUpperCase() + w.slice(1))).join(' ') : words.join(' ');
  };
  const templates = commands.reduce((n, c) => n + c.utterances.length, 0);
  // Small workflows get many variants per template, about 1,500 sentences in all (training time:
  // the tagger is to add at most a fifth to a workflow's training); a large seed set gets 4 per template.
  const variants = options.variants ?? Math.max(4, Math.min(40, Math.round(1500 / Math.max(1, templates))));
  // A field whose examples are places or dates also gets made-up values of that kind (the built-in features then carry over to unseen ones).
  const builtinKinds = new Map(commands.flatMap((c) => c.fields.filter(taggable).map((f) => [f, builtinKindOf(sampleValuesOf(f))] as const)));
  // Fields whose examples are mostly capitalised (names, titles) also get made-up names.
  const titleLike = new Set(commands.flatMap((c) => c.fields.filter((f) => taggable(f) && sampleValuesOf(f).filter((e) => /^\p{Lu}/u.test(e)).length * 2 > sampleValuesOf(f).length)));
  const out: FilledSentence[] = [];
  for (const c of commands) {
    const fields = c.fields.filter(taggable).map((f) => f.name);
    for (const template of c.utterances) {
      const parts = template.split(/(\{\w+\})/);
      for (let v = 0; v < variants; v++) {
        let text = '';
        const spans: { field: string; start: number; end: number }[] = [];
        for (const part of parts) {
          const ph = /^\{(\w+)\}$/.exec(part);
          if (!ph) {
            text += part;
            continue;
          }
          const field = c.fields.find((f) => f.name === ph[1]);
          if (field && taggable(field)) {
            const examples = sampleValuesOf(field);
            const kind = builtinKinds.get(field);
            const other = () => (kind && random() < BUILTIN_SHARE ? builtinValue(kind, pick, random) : titleLike.has(field) && random() < 1 / 3 ? titled(examples) : random() < 0.5 ? recombined(examples) : made());
            const value = !examples.length ? made() : v % 2 === 0 ? examples[(v / 2 + out.length) % examples.length] : other();
            spans.push({ field: field.name, start: text.length, end: text.length + value.length });
            text += value;
          } else {
            const values = sampleValues(field);
            text += values[v % values.length];
          }
        }
        const prefix = v % 3 === 1 ? pick(PREFIXES) : '';
        const variant = v % 3 === 1 ? prefix + text.toLowerCase() : v % 3 === 2 ? text + pick(SUFFIXES) : text;
        const shift = prefix.length;
        out.push({ command: c.command, template, text: variant, spans: spans.map((s) => ({ ...s, start: s.start + shift, end: s.end + shift })), fields });
      }
    }
  }
  return out;
}

/** Filled seed templates as BIO-labelled token sequences. */
export function slotExamples(commands: readonly SlotCommand[], gazetteer: Gazetteer, options: SlotTrainOptions): SlotExample[] {
  return filledSentences(commands, options).map((s) => labelled(s.text, s.spans, s.fields, gazetteer));
}

function labelled(text: string, spans: readonly { field: string; start: number; end: number }[], fields: readonly string[], gazetteer: Gazetteer): SlotExample {
  const tokens = tokenize(text);
  const labels = tokens.map((t) => {
    const s = spans.find((x) => t.start >= x.start && t.end <= x.end);
    if (!s) return 'O';
    return tokens.some((u) => u.start >= s.start && u.start < t.start) ? `I-${s.field}` : `B-${s.field}`;
  });
  return { features: tokenFeatures(tokens, gazetteer), labels, fields };
}

/** Train the workflow's slot tagger from its commands' seed templates; undefined when nothing to tag. */
export function trainSlotTagger(commands: readonly SlotCommand[], options: SlotTrainOptions): SlotTaggerFile | undefined {
  if (!commands.length) return undefined;
  const gazetteer = gazetteerOf(commands);
  const byCommand = Object.fromEntries(commands.map((c) => [c.command, c.fields.filter(taggable).map((f) => f.name)]));
  const thresholds = fieldThresholds(commands, [...new Set(Object.values(byCommand).flat())], options.thresholds);
  return { ...fitSlotCrf(slotExamples(commands, gazetteer, options), gazetteer, byCommand, options), thresholds };
}
