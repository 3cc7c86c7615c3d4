import type { z } from 'zod';
import { FieldKind, describeExpected, type FieldInfo } from '../schema/field-info.ts';
import { fuzzyRank } from '../text/fuzzy.ts';
import type { ResolvedCommand } from '../workflow/compile.ts';
import type { CommandContext } from '../workflow/types.ts';

export const ProblemCode = {
  Missing: 'missing',
  Invalid: 'invalid',
  NotFound: 'not_found',
  CrossField: 'cross_field',
} as const;
export type ProblemCode = (typeof ProblemCode)[keyof typeof ProblemCode];

/** One thing wrong with the parameters, as plain data (the UI renders it next to the field). */
export interface FieldProblem {
  code: ProblemCode;
  /** The field concerned; absent for a cross-field problem. */
  field?: string;
  message: string;
  /** What is expected, in words (from the description, enum, pattern). */
  expected?: string;
  received?: unknown;
  allowed?: string[];
  suggestions?: string[];
}

export type ValidationResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; problems: FieldProblem[]; /** values that passed, kept for the next turn */ valid: Record<string, unknown> };

/**
 * The gate every command passes before it runs: the zod schema, then lookups against the application's
 * data, then the command's own cross-field checks.
 */
export async function validateParameters(command: ResolvedCommand, values: Record<string, unknown>, ctx: CommandContext): Promise<ValidationResult> {
  const def = command.definition;
  const input = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== ''));
  if (!def.input) return { ok: true, value: {} };

  const parsed = def.input.safeParse(input);
  if (!parsed.success) {
    const problems = schemaProblems(parsed.error, command.fields, input);
    const bad = new Set(problems.map((p) => p.field));
    const valid = Object.fromEntries(Object.entries(input).filter(([k]) => !bad.has(k) && command.fields.some((f) => f.name === k)));
    return { ok: false, problems, valid };
  }

  const value = { ...(parsed.data as Record<string, unknown>) };
  const problems: FieldProblem[] = [];
  for (const [name, lookup] of Object.entries(def.lookups ?? {})) {
    if (typeof lookup !== 'function' || value[name] === undefined) continue;
    const result = await lookup(value[name] as never, ctx);
    if (result.found) {
      if (result.value !== undefined) value[name] = result.value;
    } else {
      const field = command.fields.find((f) => f.name === name);
      const suggestions = result.suggestions ?? [];
      problems.push({
        code: ProblemCode.NotFound,
        field: name,
        received: value[name],
        message: result.message ?? `${field?.label ?? name} "${String(value[name])}" was not found.`,
        ...(suggestions.length ? { suggestions } : {}),
        ...(field ? { expected: describeExpected(field) } : {}),
      });
    }
  }
  if (problems.length === 0 && def.validate) {
    const messages = await def.validate(value as never, ctx);
    for (const message of [messages ?? []].flat()) {
      if (message) problems.push({ code: ProblemCode.CrossField, message });
    }
  }
  if (problems.length) {
    const bad = new Set(problems.map((p) => p.field));
    // A cross-field problem keeps every value: the user changes the one that is wrong.
    const valid = Object.fromEntries(Object.entries(input).filter(([k]) => !bad.has(k)));
    return { ok: false, problems, valid };
  }
  return { ok: true, value };
}

function schemaProblems(error: z.ZodError, fields: readonly FieldInfo[], input: Record<string, unknown>): FieldProblem[] {
  const byField = new Map<string, FieldProblem>();
  const other: FieldProblem[] = [];
  for (const issue of error.issues) {
    const name = issue.path[0];
    if (typeof name !== 'string') {
      other.push({ code: ProblemCode.CrossField, message: issue.message });
      continue;
    }
    if (byField.has(name)) continue;
    const field = fields.find((f) => f.name === name);
    const expected = field ? describeExpected(field) : undefined;
    if (!(name in input)) {
      byField.set(name, { code: ProblemCode.Missing, field: name, message: `${field?.label ?? name} is required.`, ...(expected ? { expected } : {}) });
      continue;
    }
    const received = input[name];
    const problem: FieldProblem = { code: ProblemCode.Invalid, field: name, received, message: invalidMessage(field, received, issue), ...(expected ? { expected } : {}) };
    if (field?.enumValues) {
      problem.allowed = field.enumValues;
      const suggestions = fuzzyRank(String(received), field.enumValues, (v) => v, 0.4).map((m) => m.item).slice(0, 3);
      if (suggestions.length) problem.suggestions = suggestions;
    }
    byField.set(name, problem);
  }
  // Report in the order the fields are declared.
  const ordered = fields.map((f) => byField.get(f.name)).filter((p): p is FieldProblem => !!p);
  return [...ordered, ...other];
}

function invalidMessage(field: FieldInfo | undefined, received: unknown, issue: z.core.$ZodIssue): string {
  const label = field?.label ?? String(issue.path[0]);
  const shown = typeof received === 'string' ? `"${received}"` : JSON.stringify(received);
  if (field?.enumValues) return `${label} ${shown} is not one of the allowed values.`;
  if (field && (field.kind === FieldKind.Number || field.kind === FieldKind.Integer) && typeof received !== 'number') {
    return `${label} must be ${field.kind === FieldKind.Integer ? 'a whole number' : 'a number'}, not ${shown}.`;
  }
  if (issue.code === 'invalid_format' && field?.pattern) return `${label} ${shown} does not have the expected format.`;
  return `${label} ${shown} is not valid: ${issue.message}.`;
}
