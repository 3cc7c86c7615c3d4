import { FieldKind, type FieldInfo } from '../schema/field-info.ts';

const words = (s: string) => s.trim().split(/\s+/).filter(Boolean).length;

/**
 * Could `text` be the value of one of the fields asked for, judging by its shape alone? A field
 * whose examples are short names ("alice", "bob") does not take a sentence; a question ("what's
 * the weather in Paris?") answers no free-text field with short examples. Free-text fields without
 * examples take anything; typed fields are judged by the extractor (this says yes).
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
    if (question && longest <= 3) return false;
    return n <= Math.max(3, 2 * longest);
  });
}
