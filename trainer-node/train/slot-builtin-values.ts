import type { BuiltinKind } from '../../src/params/slots/builtin/kind.ts';
import { placeNames } from '../../src/params/slots/builtin/places.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'tenth', 'twelfth', 'twentieth', 'twenty-first', 'thirtieth'];
const NUMBERS = ['1', '2', '3', '5', '10', '15', '20', '30', 'one', 'two', 'three', 'five', 'ten', 'a', 'an'];
const UNITS = ['second', 'seconds', 'minute', 'minutes', 'hour', 'hours', 'day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years'];
const RELATIVE = ['today', 'tonight', 'tomorrow', 'now', 'noon', 'midnight', 'this morning', 'this afternoon', 'this evening', 'tomorrow night', 'the weekend', 'this weekend', 'next weekend'];

const DECADES = ['twenties', 'thirties', 'forties', 'fifties', 'sixties', 'seventies', 'eighties', 'nineties'];

type Pick = <T>(xs: readonly T[]) => T;

function ordinalOf(n: number): string {
  const s = n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th';
  return `${n}${s}`;
}

/** A made-up date or time expression: "Jul. the 4th, 2024", "next Friday", "in 5 minutes", "at 5:30pm". */
export function dateTimeValue(pick: Pick, random: () => number): string {
  const month = () => {
    const m = pick(MONTHS);
    return random() < 0.3 ? `${m.slice(0, 3)}${random() < 0.5 ? '.' : ''}` : random() < 0.3 ? m.toLowerCase() : m;
  };
  const day = () => (random() < 0.5 ? ordinalOf(1 + Math.floor(random() * 31)) : random() < 0.5 ? String(1 + Math.floor(random() * 31)) : pick(ORDINALS));
  const year = () => String(1990 + Math.floor(random() * 50));
  const hour = 1 + Math.floor(random() * 12);
  const time = () => pick([`${hour}pm`, `${hour}am`, `${hour}:30`, `${hour}:${15 + Math.floor(random() * 45)} pm`, `${hour} o'clock`, `${(hour + 12) % 24}:00`]);
  const weekday = () => (random() < 0.3 ? pick(WEEKDAYS).toLowerCase() : pick(WEEKDAYS));
  const forms: (() => string)[] = [
    () => `${month()} ${day()}`,
    () => `${month()} the ${day()}`,
    () => `${month()} ${day()}, ${year()}`,
    () => `the ${day()} of ${month()}`,
    () => `${month()} ${year()}`,
    () => year(),
    () => weekday(),
    () => `next ${weekday()}`,
    () => `${weekday()} at ${time()}`,
    () => `at ${time()}`,
    () => time(),
    () => `in ${pick(NUMBERS)} ${pick(UNITS)}`,
    () => `${pick(NUMBERS)} ${pick(UNITS)} from now`,
    () => `${pick(['this', 'next', 'last'])} ${pick(UNITS.filter((u) => !u.endsWith('s')))}`,
    () => pick(RELATIVE),
    () => `${pick(RELATIVE)} at ${time()}`,
  ];
  return pick(forms)();
}

const titleCase = (s: string) => s.replace(/\b\p{Ll}/gu, (c) => c.toUpperCase());

/** A value of a built-in kind, for filling training sentences (places title-cased most of the time). */
export function builtinValue(kind: BuiltinKind, pick: Pick, random: () => number): string {
  if (kind === 'datetime') return dateTimeValue(pick, random);
  if (kind === 'year') return random() < 0.6 ? String(1920 + Math.floor(random() * 106)) : random() < 0.5 ? pick(DECADES) : `${pick(['20', '50', '60', '70', '80', '90'])}s`;
  const name = pick(placeNames(kind));
  return random() < 0.8 ? titleCase(name) : name;
}
