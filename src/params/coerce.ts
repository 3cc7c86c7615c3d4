import { FieldKind, type FieldInfo } from '../schema/field-info.ts';
import { fuzzyRank } from '../text/fuzzy.ts';

const TRUE_WORDS = new Set(['yes', 'y', 'true', 'on', 'yeah', 'yep', 'sure', 'ok', 'okay', '1']);
const FALSE_WORDS = new Set(['no', 'n', 'false', 'off', 'nope', '0']);

/** Trim and strip matching quotes; free text keeps its punctuation. */
export function unquote(raw: string): string {
  const s = raw.trim();
  const q = s.match(/^(["'“‘])(.*)(["'”’])$/s);
  return q ? q[2].trim() : s;
}

/** For typed values: also strip trailing punctuation ("ordered by mistake." → "ordered by mistake"). */
export function cleanRaw(raw: string): string {
  return unquote(raw.trim().replace(/[.!?,;]+$/, ''));
}

export function parseBoolean(raw: string): boolean | undefined {
  const w = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(w)) return true;
  if (FALSE_WORDS.has(w)) return false;
  return undefined;
}

export function parseNumber(raw: string): number | undefined {
  const s = raw.trim().replace(/,(?=\d{3}\b)/g, '').replace(/^\$/, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return undefined;
  return Number(s);
}

/** Best enum value for a raw text: exact (case-insensitive), then fuzzy; undefined if none is close. */
export function matchEnum(raw: string, values: readonly string[], min = 0.8): string | undefined {
  const lower = raw.trim().toLowerCase();
  const exact = values.find((v) => v.toLowerCase() === lower);
  if (exact !== undefined) return exact;
  return fuzzyRank(lower, values, (v) => v, min)[0]?.item;
}

/**
 * Turn a raw text value into the field's type. A value that cannot be converted is returned as the
 * cleaned text so that validation reports it (and the user sees what was understood).
 */
export function coerceValue(field: FieldInfo, raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  if (field.kind === FieldKind.String && !field.pattern) return unquote(raw);
  const s = cleanRaw(raw);
  switch (field.kind) {
    case FieldKind.Number:
    case FieldKind.Integer:
      return parseNumber(s) ?? s;
    case FieldKind.Boolean:
      return parseBoolean(s) ?? s;
    case FieldKind.Enum:
      return matchEnum(s, field.enumValues ?? []) ?? s;
    case FieldKind.Array: {
      const json = jsonArray(s);
      if (json) return json;
      return s
        .split(/\s*,\s*|\s+and\s+/)
        .filter(Boolean)
        .map((item) => (field.itemKind === FieldKind.Number || field.itemKind === FieldKind.Integer ? (parseNumber(item) ?? item) : item));
    }
    default:
      return s;
  }
}

/** A list written as JSON (`["a","b"]`, `[1, 2]`), as in `/command items=["a","b"]`; else undefined. */
function jsonArray(s: string): unknown[] | undefined {
  if (!/^\[.*\]$/s.test(s)) return undefined;
  try {
    const value: unknown = JSON.parse(s);
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
