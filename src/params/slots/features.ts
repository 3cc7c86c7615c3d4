import { builtinFeatures } from './builtin/index.ts';
import type { Token } from './tokens.ts';

/**
 * Value lists per field (examples, enum values), lower-cased and tokenised: a token inside a known
 * value gets a feature naming the field, so a value seen as an example is recognised anywhere.
 */
export type Gazetteer = Record<string, string[]>;

interface GazetteerIndex {
  phrases: Map<string, string[]>;
  maxWords: number;
}

const cache = new WeakMap<Gazetteer, GazetteerIndex>();

function indexOf(gazetteer: Gazetteer): GazetteerIndex {
  let index = cache.get(gazetteer);
  if (!index) {
    const phrases = new Map<string, string[]>();
    let maxWords = 1;
    for (const [field, values] of Object.entries(gazetteer)) {
      for (const v of values) {
        const key = v.toLowerCase().trim().split(/\s+/).join(' ');
        if (!key) continue;
        maxWords = Math.max(maxWords, key.split(' ').length);
        const list = phrases.get(key) ?? [];
        if (!list.includes(field)) list.push(field);
        phrases.set(key, list);
      }
    }
    index = { phrases, maxWords: Math.min(maxWords, 6) };
    cache.set(gazetteer, index);
  }
  return index;
}

/** The shape of a word: `Xxxx` → `Xx`, `#W12` → `#Xd`, `12.5` → `d.d`. */
export function wordShape(word: string): string {
  let shape = shapes.get(word);
  if (shape === undefined) {
    if (shapes.size >= 50_000) shapes.clear();
    shape = shapeOf(word);
    shapes.set(word, shape);
  }
  return shape;
}

const shapes = new Map<string, string>();

function shapeOf(word: string): string {
  return word
    .replace(/\p{Lu}/gu, 'X')
    .replace(/\p{Ll}/gu, 'x')
    .replace(/\p{N}/gu, 'd')
    .replace(/(.)\1+/g, '$1');
}

/**
 * String features of every token: the word, its shape, prefix and suffix, neighbouring words and
 * bigrams, gazetteer hits (B/I of a known value of a field) and built-in entities (dates, times, places).
 */
export function tokenFeatures(tokens: readonly Token[], gazetteer: Gazetteer): string[][] {
  const words = tokens.map((t) => t.lower);
  const at = (i: number) => (i < 0 ? '<s>' : i >= words.length ? '</s>' : words[i]);
  const shapes = tokens.map((t) => wordShape(t.text));
  const shapeAt = (i: number) => (i < 0 ? '<s>' : i >= shapes.length ? '</s>' : shapes[i]);
  const out = tokens.map((t, i) => {
    const w = words[i];
    const f = [
      'b',
      `w=${w}`,
      `s=${shapes[i]}`,
      `s-1s=${shapeAt(i - 1)}|${shapes[i]}`,
      `ss+1=${shapes[i]}|${shapeAt(i + 1)}`,
      `w-1s=${at(i - 1)}|${shapes[i]}`,
      `p3=${w.slice(0, 3)}`,
      `x3=${w.slice(-3)}`,
      `w-1=${at(i - 1)}`,
      `w+1=${at(i + 1)}`,
      `w-2=${at(i - 2)}`,
      `w+2=${at(i + 2)}`,
      `w-1w=${at(i - 1)}|${w}`,
      `ww+1=${w}|${at(i + 1)}`,
      `w-2-1=${at(i - 2)}|${at(i - 1)}`,
      `w+1+2=${at(i + 1)}|${at(i + 2)}`,
    ];
    if (i === 0) f.push('first');
    if (i === tokens.length - 1) f.push('last');
    return f;
  });
  builtinFeatures(tokens).forEach((fs, i) => out[i].push(...fs));
  for (const run of capitalisedRuns(tokens)) {
    for (let i = run.start; i < run.end; i++) out[i].push(i === run.start ? 'cr:B' : i === run.end - 1 ? 'cr:E' : 'cr:I');
  }
  const { phrases, maxWords } = indexOf(gazetteer);
  for (let i = 0; i < words.length; i++) {
    for (let n = Math.min(maxWords, words.length - i); n >= 1; n--) {
      const fields = phrases.get(words.slice(i, i + n).join(' '));
      if (!fields) continue;
      for (const field of fields) {
        out[i].push(`g:${field}:B`);
        for (let k = i + 1; k < i + n; k++) out[k].push(`g:${field}:I`);
      }
    }
  }
  return out;
}

const JOINING = new Set(['of', 'the', 'in', 'and', 'to', 'on', 'for', 'a', 'an', 'de', 'la', 'el', 'with', 'at', 'from', 'by', '&', ',', "'s"]);
const capitalised = (t: Token) => /^\p{Lu}/u.test(t.text) || /^\p{N}/u.test(t.text);

/**
 * Runs of two or more capitalised words, small words allowed between them ("Women of the Blues",
 * "Dinner by Heston Blumenthal"): a title or a name, whose words belong to one value.
 */
export function capitalisedRuns(tokens: readonly Token[]): { start: number; end: number }[] {
  const runs: { start: number; end: number }[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (!/^\p{Lu}/u.test(tokens[i].text)) {
      i++;
      continue;
    }
    let end = i + 1;
    let j = i + 1;
    while (j < tokens.length) {
      if (capitalised(tokens[j])) end = j + 1;
      else if (!JOINING.has(tokens[j].lower)) break;
      j++;
    }
    if (end - i >= 2) runs.push({ start: i, end });
    i = Math.max(end, i + 1);
  }
  return runs;
}
