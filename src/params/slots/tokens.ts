/** A word or a punctuation mark of a message, with its character span. */
export interface Token {
  text: string;
  lower: string;
  start: number;
  end: number;
}

/** Words (letters/digits joined by inner apostrophes, dots, hyphens, &, / and :, so "1/20/2023" and "06:42" stay whole) and single punctuation marks. */
const TOKEN = /[\p{L}\p{N}]+(?:['’.\-&/:][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;

export function tokenize(text: string): Token[] {
  return [...text.matchAll(TOKEN)].map((m) => ({ text: m[0], lower: m[0].toLowerCase(), start: m.index!, end: m.index! + m[0].length }));
}
