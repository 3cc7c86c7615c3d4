import type { JsonSchema } from '../schema/field-info.ts';

/**
 * The strict structured-output schema for LLM extraction: just the fields asked for, taken from the
 * command's input JSON Schema (description, enum, examples), each nullable (the text may not say) and
 * required (strict mode wants every property listed). Fields whose shape strict mode cannot express
 * simply are left out (they are asked of the user). Kept apart from the validation schema: the gate
 * still runs the command's own zod schema on whatever comes back.
 */
export function extractionSchema(input: JsonSchema, fields: readonly string[]): { schema: JsonSchema; fields: string[] } {
  const properties = (input.properties ?? {}) as Record<string, JsonSchema>;
  const out: Record<string, JsonSchema> = {};
  for (const name of fields) {
    const prop = properties[name];
    const strict = prop && nullable(prop);
    if (strict) out[name] = strict;
  }
  const names = Object.keys(out);
  return { schema: { type: 'object', properties: out, required: names, additionalProperties: false }, fields: names };
}

const SCALARS = new Set(['string', 'number', 'integer', 'boolean']);

function nullable(prop: JsonSchema): JsonSchema | undefined {
  const base = unwrap(prop);
  const description = describe(prop, base);
  if (Array.isArray(base.enum)) {
    const values = base.enum.filter((v) => v !== null);
    return { type: [scalarType(values), 'null'], enum: [...values, null], ...description };
  }
  const type = Array.isArray(base.type) ? base.type.find((t) => t !== 'null') : base.type;
  if (typeof type === 'string' && SCALARS.has(type)) return { type: [type, 'null'], ...description };
  if (type === 'array') {
    const items = unwrap((base.items ?? {}) as JsonSchema);
    const itemType = Array.isArray(items.enum) ? scalarType(items.enum) : items.type;
    if (typeof itemType !== 'string' || !SCALARS.has(itemType)) return undefined;
    return { type: ['array', 'null'], items: { type: itemType, ...(Array.isArray(items.enum) ? { enum: items.enum } : {}) }, ...description };
  }
  return undefined;
}

function unwrap(prop: JsonSchema): JsonSchema {
  const alternatives = (prop.anyOf ?? prop.oneOf) as JsonSchema[] | undefined;
  const real = alternatives?.filter((a) => a.type !== 'null');
  return real && real.length === 1 ? { ...prop, ...real[0] } : prop;
}

function scalarType(values: unknown[]): string {
  return values.every((v) => typeof v === 'number') ? 'number' : values.every((v) => typeof v === 'boolean') ? 'boolean' : 'string';
}

/** Description with the examples in words (strict mode accepts few keywords besides `description`). */
function describe(prop: JsonSchema, base: JsonSchema): { description?: string } {
  const text = (prop.description ?? base.description) as string | undefined;
  const examples = (Array.isArray(prop.examples) ? prop.examples : Array.isArray(base.examples) ? base.examples : []) as unknown[];
  const shown = examples.length ? `Examples: ${examples.slice(0, 3).map((e) => JSON.stringify(e)).join(', ')}.` : '';
  const all = [text, shown].filter(Boolean).join(' ');
  return all ? { description: all } : {};
}
