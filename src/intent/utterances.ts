import type { FieldInfo } from '../schema/field-info.ts';
import { humanizeName } from '../text/normalize.ts';

const PLACEHOLDER = /\{(\w+)\}/g;

/** Values a `{field}` placeholder can be filled with: examples, enum values, default, a type sample. */
export function sampleValues(field: FieldInfo | undefined): string[] {
  if (!field) return ['it'];
  const out: string[] = [];
  for (const e of field.examples) out.push(String(e));
  for (const e of field.enumValues ?? []) out.push(e);
  if (field.default !== undefined && field.default !== null) out.push(String(field.default));
  if (out.length === 0) {
    if (field.kind === 'number' || field.kind === 'integer') out.push('3', '42', '7');
    else if (field.kind === 'boolean') out.push('yes');
    else out.push(field.label);
  }
  return [...new Set(out)];
}

/**
 * Fill `{field}` placeholders of a seed utterance. `variant` picks which sample of each field is used,
 * so that different variants give different (deterministic) sentences.
 */
export function fillTemplate(template: string, fields: readonly FieldInfo[], variant = 0): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const values = sampleValues(fields.find((f) => f.name === name));
    return values[variant % values.length];
  });
}

/** The placeholders a template names. */
export function templateFields(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** Base examples of a command: its humanised name and its seed utterances, filled. */
export function baseExamples(name: string, utterances: readonly string[], fields: readonly FieldInfo[]): string[] {
  const out = [humanizeName(name)];
  for (const u of utterances) out.push(fillTemplate(u, fields, 0));
  return [...new Set(out)];
}
