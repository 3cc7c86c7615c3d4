import type { FieldInfo } from '../schema/field-info.ts';
import { ProblemCode, type FieldProblem } from './validate.ts';

/** The question asked when parameters are missing or invalid. */
export function parameterQuestion(command: string, fields: readonly FieldInfo[], problems: readonly FieldProblem[], values: Record<string, unknown>): string {
  const lines: string[] = [];
  const missing = problems.filter((p) => p.code === ProblemCode.Missing);
  const wrong = problems.filter((p) => p.code !== ProblemCode.Missing);
  lines.push(missing.length && !wrong.length ? `To run ${command} I need a bit more information.` : `I can't run ${command} with these values yet.`);
  const known = Object.entries(values).filter(([, v]) => v !== undefined);
  if (known.length) lines.push(`So far: ${known.map(([k, v]) => `${k}=${formatValue(v)}`).join(', ')}.`);
  if (missing.length) {
    lines.push('Missing:');
    // A value understood with too little confidence is shown, not used ("yes" keeps it when it is the only question).
    const keep = problems.length === 1 ? ': reply "yes" to keep it' : '';
    for (const p of missing) lines.push(`- ${p.field}${p.expected ? `: ${p.expected}` : ''}${p.suggestions?.length ? ` (I understood ${p.suggestions.map((s) => `'${s}'`).join(' or ')} but I'm not sure${keep})` : ''}`);
  }
  for (const p of wrong) {
    let line = `- ${p.message}`;
    if (p.allowed) line += ` Allowed values: ${p.allowed.map((v) => `'${v}'`).join(', ')}.`;
    else if (p.expected && p.code !== ProblemCode.CrossField) line += ` Expected: ${p.expected}.`;
    if (p.suggestions?.length) line += ` Did you mean ${p.suggestions.map((s) => `'${s}'`).join(' or ')}?`;
    lines.push(line);
  }
  const asked = problems.map((p) => p.field).filter((f): f is string => !!f);
  const first = fields.find((f) => f.name === asked[0]);
  if (asked.length === 1) lines.push(`Reply with the ${first && first.label.length > 2 ? first.label : `value for "${asked[0]}"`}, or say "abort".`);
  else if (asked.length > 1) lines.push(`Reply like: ${asked.map((a) => `${a}=…`).join(' ')} — or say "abort".`);
  else lines.push('Change the values (e.g. field=value), or say "abort".');
  return lines.join('\n');
}

export function formatValue(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}
