import { fnv1a } from '../util/fnv1a.ts';
import { normalizeText } from '../text/normalize.ts';

/**
 * Hashed bag of word unigrams and bigrams, L2-normalised and scaled: cheap lexical evidence next to
 * the sentence embedding ("remind me to …", "add …" are strong cues the encoder may under-weight).
 */
export function lexicalFeatures(text: string, size: number, scale: number): Float32Array {
  const out = new Float32Array(size);
  if (size === 0) return out;
  const words = normalizeText(text)
    .replace(/[^\p{L}\p{N}' ]/gu, ' ')
    .split(' ')
    .filter(Boolean)
    .map((w) => (/^\d+$/.test(w) ? '<num>' : w));
  const grams = [...words, ...words.slice(1).map((w, i) => `${words[i]} ${w}`)];
  for (const g of grams) out[fnv1a(g) % size] = 1;
  let norm = 0;
  for (const v of out) norm += v * v;
  if (norm > 0) {
    const k = scale / Math.sqrt(norm);
    for (let i = 0; i < size; i++) out[i] *= k;
  }
  return out;
}
