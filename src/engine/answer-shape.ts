import { FieldKind, type FieldInfo } from '../schema/field-info.ts';

const words = (s: string) => s.trim().split(/\s+/).filter(Boolean).length;
/** The words of a text without the punctuation around them ("(#W100)." → "#W100"). */
const bareWords = (text: string) =>
  text
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/^["'“‘(]+|[.,;:!?"'”’)]+$/g, ''))
    .filter((w) => w !== '');
/** A character other than letters, apostrophes and hyphens: what values such as "#W100", "4" or "ava.lee@example" have and plain words lack. */
const hasValueCharacter = (word: string) => /[^\p{L}'’-]/u.test(word);
/** The most words of a field's examples; undefined when it has none. */
const longestExample = (f: FieldInfo | undefined): number | undefined => {
  const examples = (f?.examples ?? []).map(String).filter((e) => e.trim());
  return examples.length ? Math.max(...examples.map(words)) : undefined;
};
const isQuestion = (text: string) => /\?\s*$/.test(text) || /^(what|what's|whats|where|when|who|how|why|which|is|are|can|could|will|do|does)\b/i.test(text.trim());

/**
 * Could `text` be the value of one of the fields asked for, judging by its shape alone? Only clear
 * mismatches say no: a question ("what's the weather in Paris") for a field whose values are short
 * (a number, a yes/no, a choice, a pattern, a name like "alice"), a text far longer than any such
 * value, or several plain words none of which could be part of a patterned value ("show me my
 * orders" for an email). Free-text fields without examples take anything, and free text with longer examples takes
 * questions ("what to buy for the party").
 */
export function fitsAskedShape(fields: readonly FieldInfo[], asked: readonly string[], text: string): boolean {
  const n = words(text);
  const question = isQuestion(text);
  return asked.some((name) => {
    const f = fields.find((x) => x.name === name);
    if (!f || f.kind === FieldKind.Array || f.kind === FieldKind.Other) return true;
    // Typed values ("12", "yes", "express", "#W100", "next tuesday"): short, and never a question.
    if (f.kind !== FieldKind.String || f.enumValues || f.pattern) {
      if (question || n > TYPED_MAX_WORDS) return false;
      return !f.pattern || n < 2 || mayHoldPatterned(f.pattern, text);
    }
    const longest = longestExample(f);
    if (longest === undefined) return true;
    // Name-like fields take no question; any field takes at most three times its longest example (and six words).
    if (question && longest <= 2) return false;
    return n <= Math.max(6, 3 * longest);
  });
}

/**
 * Unlike every value asked for, though it may fit their shape: a question, or plain words (no digit
 * or symbol, which values such as "#W101" or "4" have) more than two beyond the longest example of
 * each asked field ("remind me to call mom tomorrow" for an item that is "1", "buy milk" or "the
 * second item"). Fields without examples cannot tell: false. Used once the value was refused and
 * the classifier read the text as no command of this context.
 */
export function unlikeAskedValues(fields: readonly FieldInfo[], asked: readonly string[], text: string): boolean {
  if (isQuestion(text)) return true;
  if (bareWords(text).some(hasValueCharacter)) return false;
  const n = words(text);
  return asked.every((name) => {
    const longest = longestExample(fields.find((x) => x.name === name));
    return longest !== undefined && n > longest + 2;
  });
}

/** The most words a number, yes/no, choice or patterned answer is read from ("it's order #W100 I think"). */
const TYPED_MAX_WORDS = 8;

/**
 * Could some word of `text` be (part of) a value of this pattern? One that matches it, or that has a
 * character other than letters, apostrophes and hyphens ("ava.lee@example", "#W1O0", "555-0100") —
 * a near miss the validator explains. An unreadable pattern takes anything.
 */
function mayHoldPatterned(pattern: string, text: string): boolean {
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch {
    return true;
  }
  return re.test(text.trim()) || bareWords(text).some((w) => re.test(w) || hasValueCharacter(w));
}
