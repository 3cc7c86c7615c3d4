import type { Token } from '../tokens.ts';

/** The date/time role of a single word, if it has one. */
export type DateTimeWord = 'month' | 'weekday' | 'ordinal' | 'year' | 'time' | 'rel' | 'unit' | 'num' | 'part';

const MONTHS = 'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec';
const WEEKDAYS = 'monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|weekday|weekend';
const ORDINAL_WORDS =
  'first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth';
const NUMBER_WORDS =
  'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|a|an|half|couple|few|several';
const RELATIVE =
  'today|tonight|tomorrow|yesterday|now|noon|midnight|morning|afternoon|evening|night|midday|dawn|sunrise|sunset|dusk|next|this|last|coming|following|upcoming|current|later|soon|ago|from|until|till|before|after|within|during|early|late|mid|tmrw|tmr|christmas|easter|thanksgiving|halloween|holidays|breakfast|brunch|lunch|lunchtime|dinner|dinnertime|supper|teatime';
const UNITS = 'second|seconds|minute|minutes|min|mins|hour|hours|hr|hrs|day|days|week|weeks|month|months|year|years|decade|decades|fortnight|season|summer|winter|spring|fall|autumn';
const PARTS = 'am|pm|a.m|p.m|oclock|o\'clock';

const DECADES = 'twenties|thirties|forties|fourties|fifties|sixties|seventies|eighties|nineties|noughties';

const words = (list: string) => new Set(list.split('|'));
const SETS: [DateTimeWord, Set<string>][] = [
  ['year', words(DECADES)],
  ['month', words(MONTHS)],
  ['weekday', words(WEEKDAYS)],
  ['ordinal', words(ORDINAL_WORDS)],
  ['unit', words(UNITS)],
  ['rel', words(RELATIVE)],
  ['part', words(PARTS)],
  ['num', words(NUMBER_WORDS)],
];

/** "4th", "21st", "twenty-first". */
const ORDINAL = /^(?:\d{1,2}(?:st|nd|rd|th)|(?:twenty|thirty)-(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth))$/;
/** "5pm", "5:30", "17:30", "5:30pm", "5.30pm". */
const TIME = /^(?:\d{1,2}(?::|\.)\d{2}(?::\d{2})?(?:am|pm|a\.m|p\.m)?|\d{1,2}(?:am|pm|a\.m|p\.m))$/;
/** 1900–2099, and decades: "1990s", "80s". */
const YEAR = /^(?:19|20)\d{2}s?$|^'?\d0s$/;
/** "7/4", "07/04/2024", "2024-07-04". */
const DATE = /^(?:\d{1,2}\/\d{1,2}(?:\/\d{2,4})?|\d{4}-\d{1,2}-\d{1,2})$/;

/** The date/time role of one word. "may" and "march" are months here; the CRF weighs the context. */
export function dateTimeWord(lower: string): DateTimeWord | undefined {
  if (ORDINAL.test(lower)) return 'ordinal';
  if (TIME.test(lower)) return 'time';
  if (DATE.test(lower)) return 'month';
  if (YEAR.test(lower)) return 'year';
  if (/^\d{1,2}$/.test(lower)) return 'num';
  for (const [kind, set] of SETS) if (set.has(lower)) return kind;
  return undefined;
}

/** Words that join date/time words into one expression ("Jul. the 4th , 2024", "in 5 minutes"). */
const JOINERS = new Set(['.', ',', 'the', 'of', 'at', 'on', 'by', 'to', '-', 'and', 'around', 'about']);
/** Words that start an expression before an amount of time ("in 5 minutes", "within an hour"). */
const LEADS = new Set(['in', 'within', 'for']);
/** Words that are date/time only next to a stronger one ("a", "5", "this" alone are not dates). */
const WEAK = new Set<DateTimeWord>(['num', 'rel']);

/** A date/time expression: tokens [start, end). */
export interface DateTimeRun {
  start: number;
  end: number;
}

/**
 * Runs of date/time words joined by joiners, holding at least one strong word (month, weekday,
 * ordinal, year, time, unit) or a relative word that is a time on its own (today, tonight, noon…).
 */
export function findDateTimes(tokens: readonly Token[], kinds: readonly (DateTimeWord | undefined)[]): DateTimeRun[] {
  const out: DateTimeRun[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (!kinds[i]) {
      i++;
      continue;
    }
    let end = i + 1;
    for (;;) {
      let j = end;
      while (j < tokens.length && !kinds[j] && JOINERS.has(tokens[j].lower)) j++;
      if (j < tokens.length && kinds[j] && j - end <= 2) end = j + 1;
      else break;
    }
    const strong = kinds.slice(i, end).some((k, n) => (k && !WEAK.has(k)) || STANDALONE.has(tokens[i + n].lower));
    const lead = i > 0 && LEADS.has(tokens[i - 1].lower) && kinds.slice(i, end).includes('unit');
    if (strong) out.push({ start: lead ? i - 1 : i, end });
    i = end;
  }
  return out;
}

const STANDALONE = new Set(['today', 'tonight', 'tomorrow', 'yesterday', 'now', 'noon', 'midnight', 'tmrw', 'tmr', 'morning', 'afternoon', 'evening', 'breakfast', 'brunch', 'lunch', 'lunchtime', 'dinner', 'dinnertime', 'supper', 'teatime']);
