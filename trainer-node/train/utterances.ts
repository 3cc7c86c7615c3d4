import { BUILTIN_NAMES, BUILTIN_UTTERANCES, fillTemplate, humanizeName, sampleValues, type Builtin, type FieldInfo, type ResolvedCommand } from '../../src/index.ts';
import { seededRandom, shuffled } from '../../src/util/rng.ts';

const PREFIXES = ['please ', 'can you ', 'i want to ', 'could you ', "i'd like to ", 'help me ', 'i need to ', 'go ahead and '];
const SUFFIXES = [' please', ' now', ' for me', ' thanks', '?'];

export interface UtteranceOptions {
  seed: number;
  /**
   * Generated utterances fill a label up to this many; written ones are always all kept (a label
   * with this many written utterances gets no generated ones).
   */
  maxPerLabel: number;
}

/** Bare values and chit-chat: the junk-shaped part of every context's out-of-scope class. */
export const JUNK_UTTERANCES = [
  '3', '42', '2024', '7.5', 'france', 'hello', 'hi there', 'ok', 'thanks', 'banana', 'id=3636', '#W1234567', 'john', 'blue',
  'asdf qwer', "what's the weather like", 'tell me a joke', 'who won the game last night', 'play some music', 'how tall is the eiffel tower',
  'good morning', 'lol', 'test', 'the red one', 'tomorrow at noon', 'my name is sam', 'i like turtles', 'what time is it', 'translate this to french',
  'book a flight to paris', 'order a pizza', 'set an alarm for 7am', 'how are you', 'sing me a song',
];

/**
 * Generic values for free-text fields, so that the model learns the words around a slot rather than
 * the few example values (which would otherwise dominate the sentence embedding).
 */
const FREE_TEXT_FILLERS = ['book tickets', 'the quarterly report', 'fix the fence', 'email sarah', 'renew my passport', 'see you at noon'];

function isFreeText(f: FieldInfo): boolean {
  return f.kind === 'string' && !f.pattern && !f.enumValues;
}

/**
 * An utterance and the seed template it comes from (the held-out split keeps templates whole).
 * `written`: a developer wrote it (a seed, once filled, or an extra utterance); otherwise generated
 * (the humanised name, further slot fillings, augmentations). Written ones are never capped.
 */
export interface Utterance {
  text: string;
  group: string;
  written: boolean;
}

/** Seeds filled with several sample values (so slot values vary), plus the humanised name. */
export function seedUtterances(cmd: ResolvedCommand): Utterance[] {
  const templates = cmd.definition.utterances ?? [];
  const fields = cmd.fields.map((f) => (isFreeText(f) ? { ...f, examples: [...f.examples, ...FREE_TEXT_FILLERS] } : f));
  const variants = Math.max(1, ...fields.map((f) => Math.min(4, sampleValues(f).length)));
  const out: Utterance[] = [{ text: humanizeName(cmd.name), group: 'name', written: false }];
  templates.forEach((t, i) => {
    for (let v = 0; v < variants; v++) out.push({ text: fillTemplate(t, fields, v + hashIndex(t)), group: `t${i}`, written: v === 0 });
  });
  return dedupe(out);
}

function hashIndex(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h % 7;
}

export function builtinSeeds(name: Builtin): Utterance[] {
  return dedupe([humanizeName(name), ...BUILTIN_UTTERANCES[name]].map((text, i) => ({ text, group: `b${i}`, written: true })));
}

/**
 * Field values said alone (numbers, ids, enum values): they answer questions, they are not requests.
 * Free-text examples are left out: "buy milk" alone is junk, but it is also half of "add buy milk".
 */
export function bareValues(cmd: ResolvedCommand): string[] {
  return cmd.fields.filter((f) => !isFreeText(f)).flatMap((f) => sampleValues(f)).filter((v) => v.length > 0);
}

/**
 * Deterministic augmentation: case and punctuation, filler words before and after, and light typos.
 * Every written seed is kept, first (the nearest-neighbour memory takes a label's first rows); the
 * generated seeds, then the augmentations, fill the label up to `maxPerLabel`.
 */
export function augment(seeds: readonly Utterance[], options: UtteranceOptions): Utterance[] {
  const random = seededRandom(options.seed);
  const written = dedupe(seeds.filter((s) => s.written));
  const variants: Utterance[] = [];
  for (const { text, group } of seeds) {
    const plain = text.toLowerCase().replace(/[?.!,]/g, '').trim();
    const add = (t: string) => variants.push({ text: t, group, written: false });
    add(plain);
    add(PREFIXES[Math.floor(random() * PREFIXES.length)] + plain);
    add(plain + SUFFIXES[Math.floor(random() * SUFFIXES.length)]);
    add(capitalise(plain) + '.');
    const typo = withTypo(plain, random);
    if (typo) add(typo);
  }
  const seen = new Set(written.map((u) => key(u.text)));
  const generated = dedupe([...seeds.filter((s) => !s.written), ...shuffled(variants, random)]).filter((u) => !seen.has(key(u.text)));
  return [...written, ...generated.slice(0, Math.max(0, options.maxPerLabel - written.length))];
}

export function allBuiltinNames(): Builtin[] {
  return [...BUILTIN_NAMES];
}

function withTypo(text: string, random: () => number): string | undefined {
  const words = text.split(' ');
  const candidates = words.map((w, i) => ({ w, i })).filter(({ w }) => /^[a-z]{5,}$/.test(w));
  if (!candidates.length) return undefined;
  const { w, i } = candidates[Math.floor(random() * candidates.length)];
  const p = 1 + Math.floor(random() * (w.length - 2));
  words[i] = w.slice(0, p) + w[p + 1] + w[p] + w.slice(p + 2);
  return words.join(' ');
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function key(text: string): string {
  return text.trim().toLowerCase();
}

function dedupe(items: readonly Utterance[]): Utterance[] {
  const seen = new Set<string>();
  const out: Utterance[] = [];
  for (const item of items) {
    const k = key(item.text);
    if (k && !seen.has(k)) {
      seen.add(k);
      out.push({ text: item.text.trim(), group: item.group, written: item.written });
    }
  }
  return out;
}
