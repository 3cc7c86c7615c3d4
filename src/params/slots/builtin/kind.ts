import { tokenize } from '../tokens.ts';
import { dateTimeWord, findDateTimes } from './datetime.ts';
import { findPlaces, type PlaceKind } from './places.ts';

/** The built-in entity a field's values are: a kind of place, a year or decade, a date/time, or none. */
export type BuiltinKind = PlaceKind | 'year' | 'datetime';

/** What one value is, when the whole value is one built-in entity. */
export function builtinKindOfValue(value: string): BuiltinKind | undefined {
  const tokens = tokenize(value);
  if (!tokens.length) return undefined;
  const places = findPlaces(tokens);
  if (places.length === 1 && places[0].start === 0 && places[0].end === tokens.length) return places[0].kinds[0];
  const kinds = tokens.map((t) => dateTimeWord(t.lower));
  if (kinds.every((k) => k === 'year')) return 'year';
  const runs = findDateTimes(tokens, kinds);
  if (runs.length === 1 && runs[0].start <= 1 && runs[0].end === tokens.length) return 'datetime';
  return undefined;
}

/** The built-in kind of a field: the kind of at least half of its examples, if any. */
export function builtinKindOf(examples: readonly string[]): BuiltinKind | undefined {
  const counts = new Map<BuiltinKind, number>();
  for (const e of examples) {
    const k = builtinKindOfValue(e);
    if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  return best && best[1] * 2 >= examples.length ? best[0] : undefined;
}
