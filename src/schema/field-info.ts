import { z } from 'zod';
import { humanizeName } from '../text/normalize.ts';

export const FieldKind = {
  String: 'string',
  Number: 'number',
  Integer: 'integer',
  Boolean: 'boolean',
  Enum: 'enum',
  Array: 'array',
  Other: 'other',
} as const;
export type FieldKind = (typeof FieldKind)[keyof typeof FieldKind];

/** What the assistant knows about one input field: enough to extract, coerce and ask for it. */
export interface FieldInfo {
  name: string;
  /** `order id` for `order_id`: how the field is named in questions and matched in text. */
  label: string;
  kind: FieldKind;
  required: boolean;
  description?: string;
  examples: unknown[];
  enumValues?: string[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  itemKind?: FieldKind;
}

export type JsonSchema = Record<string, unknown>;

export type InputSchema = z.ZodObject<z.ZodRawShape>;

/** JSON Schema (draft-7, input side) of a command's input: what the UI and an LLM see. */
export function toInputJsonSchema(schema: InputSchema): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

export function toOutputJsonSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** Fields of a JSON Schema object, in declaration order. */
export function fieldsFromJsonSchema(json: JsonSchema): FieldInfo[] {
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, prop]) => describeField(name, prop, required.has(name)));
}

export function fieldsOf(schema: InputSchema | undefined): FieldInfo[] {
  return schema ? fieldsFromJsonSchema(toInputJsonSchema(schema)) : [];
}

function describeField(name: string, prop: JsonSchema, required: boolean): FieldInfo {
  const base = unwrap(prop);
  const info: FieldInfo = {
    name,
    label: humanizeName(name),
    kind: kindOf(base),
    required,
    examples: Array.isArray(prop.examples) ? prop.examples : Array.isArray(base.examples) ? base.examples : [],
  };
  const description = (prop.description ?? base.description) as string | undefined;
  if (description) info.description = description;
  if (Array.isArray(base.enum)) info.enumValues = base.enum.filter((v) => v !== null).map(String);
  if (typeof base.pattern === 'string') info.pattern = base.pattern;
  if (typeof base.minimum === 'number' && Math.abs(base.minimum) < Number.MAX_SAFE_INTEGER) info.minimum = base.minimum;
  if (typeof base.maximum === 'number' && Math.abs(base.maximum) < Number.MAX_SAFE_INTEGER) info.maximum = base.maximum;
  if ('default' in prop) info.default = prop.default;
  if (info.kind === FieldKind.Array && base.items) info.itemKind = kindOf(unwrap(base.items as JsonSchema));
  return info;
}

/** Nullable / anyOf wrappers → the one real alternative. */
function unwrap(prop: JsonSchema): JsonSchema {
  const alternatives = (prop.anyOf ?? prop.oneOf) as JsonSchema[] | undefined;
  if (alternatives) {
    const real = alternatives.filter((a) => a.type !== 'null');
    if (real.length === 1) return { ...real[0], ...withoutKeys(prop, ['anyOf', 'oneOf']) };
  }
  return prop;
}

function withoutKeys(obj: JsonSchema, keys: string[]): JsonSchema {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k)));
}

function kindOf(prop: JsonSchema): FieldKind {
  if (Array.isArray(prop.enum)) return FieldKind.Enum;
  if (prop.const !== undefined) return FieldKind.Enum;
  const types = (Array.isArray(prop.type) ? prop.type : [prop.type]).filter((t) => t !== 'null');
  switch (types[0]) {
    case 'string':
      return FieldKind.String;
    case 'integer':
      return FieldKind.Integer;
    case 'number':
      return FieldKind.Number;
    case 'boolean':
      return FieldKind.Boolean;
    case 'array':
      return FieldKind.Array;
    default:
      return FieldKind.Other;
  }
}

/** How a field's expected value is described to the user. */
export function describeExpected(field: FieldInfo): string {
  const parts: string[] = [];
  if (field.description) parts.push(field.description);
  const described = (v: string) => !!field.description && field.description.toLowerCase().includes(v.toLowerCase());
  if (field.enumValues && !field.enumValues.every(described)) parts.push(`one of: ${field.enumValues.map((v) => `'${v}'`).join(', ')}`);
  else if (field.kind === FieldKind.Integer) parts.push('a whole number');
  else if (field.kind === FieldKind.Number) parts.push('a number');
  else if (field.kind === FieldKind.Boolean) parts.push('yes or no');
  else if (field.kind === FieldKind.Array) parts.push('a comma-separated list');
  if (field.minimum !== undefined) parts.push(`at least ${field.minimum}`);
  if (field.maximum !== undefined) parts.push(`at most ${field.maximum}`);
  // A raw regex means little to a user: shown only when there is no example of the format.
  if (field.pattern && !field.examples.length) parts.push(`format ${field.pattern}`);
  if (field.examples.length && !field.enumValues) {
    parts.push(`e.g. ${field.examples.slice(0, 2).map((e) => JSON.stringify(e)).join(', ')}`);
  }
  return parts.join('; ');
}
