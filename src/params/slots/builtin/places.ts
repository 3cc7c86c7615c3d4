import type { Token } from '../tokens.ts';
import { CITIES, COUNTRIES, STATE_CODES, STATES } from './places-data.ts';

/** A kind of built-in place. */
export type PlaceKind = 'country' | 'state' | 'city';

interface PlaceIndex {
  phrases: Map<string, PlaceKind[]>;
  maxWords: number;
}

let index: PlaceIndex | undefined;

/** Names as matched: lower case, words split like the tokenizer, "st." → "st ." */
function key(name: string): string {
  return name.replace(/\./g, ' .').split(/\s+/).filter(Boolean).join(' ');
}

function placeIndex(): PlaceIndex {
  if (index) return index;
  const phrases = new Map<string, PlaceKind[]>();
  let maxWords = 1;
  const add = (list: string, kind: PlaceKind) => {
    for (const name of list.split('|')) {
      const k = key(name);
      maxWords = Math.max(maxWords, k.split(' ').length);
      const kinds = phrases.get(k) ?? [];
      if (!kinds.includes(kind)) kinds.push(kind);
      phrases.set(k, kinds);
    }
  };
  add(COUNTRIES, 'country');
  add(STATES, 'state');
  add(CITIES, 'city');
  index = { phrases, maxWords };
  return index;
}

const STATE_CODE = new Set(STATE_CODES.split('|'));

/** A place name found in the text: tokens [start, end) and what it may be (a name can be several). */
export interface PlaceMatch {
  start: number;
  end: number;
  kinds: PlaceKind[];
}

/** Known place names, longest first and not overlapping; state codes only in capitals ("OK"). */
export function findPlaces(tokens: readonly Token[]): PlaceMatch[] {
  const { phrases, maxWords } = placeIndex();
  const out: PlaceMatch[] = [];
  for (let i = 0; i < tokens.length; ) {
    let found: PlaceMatch | undefined;
    // The longest name starting here: keys grow a word at a time.
    let phrase = '';
    for (let n = 1; n <= Math.min(maxWords, tokens.length - i); n++) {
      phrase = n === 1 ? tokens[i].lower : `${phrase} ${tokens[i + n - 1].lower}`;
      const kinds = phrases.get(phrase);
      if (kinds) found = { start: i, end: i + n, kinds };
    }
    if (!found && /^[A-Z]{2}$/.test(tokens[i].text) && STATE_CODE.has(tokens[i].lower)) found = { start: i, end: i + 1, kinds: ['state'] };
    if (found) {
      out.push(found);
      i = found.end;
    } else i++;
  }
  return out;
}

/** All names of one kind (for filling training sentences with values of a place field). */
export function placeNames(kind: PlaceKind): string[] {
  return (kind === 'country' ? COUNTRIES : kind === 'state' ? STATES : CITIES).split('|');
}
