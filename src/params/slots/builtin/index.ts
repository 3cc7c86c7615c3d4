import type { Token } from '../tokens.ts';
import { dateTimeWord, findDateTimes } from './datetime.ts';
import { findPlaces } from './places.ts';

/**
 * Built-in entity features (like Snips NLU's builtin entities): date/time words and expressions and
 * known place names, the same at training and at run time. Per token: `dt:<role>` for a date/time
 * word, `dt:B`/`dt:I` inside a date/time expression, `gaz:<country|state|city>:B/I` inside a known
 * place name, `cap:unknown` on a capitalised word that is neither, and the built-in class of the
 * neighbouring tokens (`bi-1=`, `bi+1=`).
 */
export function builtinFeatures(tokens: readonly Token[]): string[][] {
  const out: string[][] = tokens.map(() => []);
  const cls: string[] = tokens.map(() => '-');
  const kinds = tokens.map((t) => dateTimeWord(t.lower));
  kinds.forEach((k, i) => k && out[i].push(`dt:${k}`));
  for (const run of findDateTimes(tokens, kinds)) {
    for (let i = run.start; i < run.end; i++) {
      out[i].push(i === run.start ? 'dt:B' : 'dt:I');
      cls[i] = 'dt';
    }
  }
  for (const m of findPlaces(tokens)) {
    for (let i = m.start; i < m.end; i++) {
      for (const kind of m.kinds) out[i].push(`gaz:${kind}:${i === m.start ? 'B' : 'I'}`);
      if (m.kinds.length > 1) out[i].push('gaz:place');
      cls[i] = m.kinds.join('+');
    }
  }
  // A capitalised word that is no known place or date: a name the lists do not know (an unknown town is a city, not a state).
  tokens.forEach((t, i) => cls[i] === '-' && !kinds[i] && /^\p{Lu}/u.test(t.text) && out[i].push('cap:unknown'));
  for (let i = 0; i < tokens.length; i++) {
    if (i > 0 && cls[i - 1] !== '-') out[i].push(`bi-1=${cls[i - 1]}`);
    if (i + 1 < tokens.length && cls[i + 1] !== '-') out[i].push(`bi+1=${cls[i + 1]}`);
  }
  return out;
}
