import { FieldKind, type FieldInfo } from '../schema/field-info.ts';

const words = (s: string) => s.trim().split(/\s+/).filter(Boolean).length;

/**
 * Could `text` be the value of one of the fields asked for, judging by its shape alone? Only clear
 * mismatches say no: a question ("what's the weather in Paris") for a field whose examples are
 * names ("alice", "bob"), or a text far longer than any example. Free-text fields without examples
 * take anything; typed fields are judged by the extractor (this says yes).
 */
export function fitsAskedShape(fields: readonly FieldInfo[], asked: readonly string[], text: string): boolean {
  const n = words(text);
  const question = /\?\s*$/.test(text) || /^(what|what's|whats|where|when|who|how|why|which|is|are|can|could|will|do|does)\b/i.test(text.trim());
  return asked.some((name) => {
    const f = fields.find((x) => x.name === name);
    if (!f || f.kind !== FieldKind.String || f.enumValues || f.pattern) return true;
    const examples = f.examples.map(String).filter((e) => e.trim());
    if (!examples.length) return true;
    const longest = Math.max(...examples.map(words));
    // Name-like fields take no question; any field takes at most three times its longest example (and six words).
    if (question && longest <= 2) return false;
    return n <= Math.max(6, 3 * longest);
  });
}
