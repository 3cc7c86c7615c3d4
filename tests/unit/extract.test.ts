import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { extractDeterministic, fieldsOf } from '../../src/index.ts';

const schema = z.object({
  order_id: z.string().regex(/^#W\d{7}$/).describe('The order id').meta({ examples: ['#W0000001'] }),
  reason: z.enum(['no longer needed', 'ordered by mistake']).describe('Why the order is cancelled'),
  quantity: z.number().int().optional(),
  express: z.boolean().optional(),
  note: z.string().optional(),
});
const fields = fieldsOf(schema);
const extract = (text: string, extra: Partial<Parameters<typeof extractDeterministic>[0]> = {}) => extractDeterministic({ text, command: 'cancel_order', fields, ...extra });

describe('deterministic parameter extraction', () => {
  it('reads key=value pairs, with multi-word values running to the next key', () => {
    expect(extract('order_id=#W1234567 reason=ordered by mistake quantity=2')).toEqual({ order_id: '#W1234567', reason: 'ordered by mistake', quantity: 2 });
    expect(extract('order id: #W1234567, note: "leave at door"')).toMatchObject({ order_id: '#W1234567', note: 'leave at door' });
  });

  it('finds regex-constrained values anywhere in the text', () => {
    expect(extract('please cancel #W7654321 now')).toMatchObject({ order_id: '#W7654321' });
  });

  it('fuzzy-matches enum values, tolerating a typo', () => {
    expect(extract('cancel it, I orderd by mistake')).toMatchObject({ reason: 'ordered by mistake' });
    expect(extract('no longer neded')).toMatchObject({ reason: 'no longer needed' });
  });

  it('assigns numbers and booleans to typed fields, and quoted strings to free text', () => {
    expect(extract('3 of them, express yes, "gift wrap"')).toMatchObject({ quantity: 3, express: true, note: 'gift wrap' });
  });

  it('reads "<field name> <value>"', () => {
    expect(extract('quantity 5 and note fragile')).toMatchObject({ quantity: 5, note: 'fragile' });
  });

  it('uses the shape of the examples when a field has no pattern', () => {
    const f = fieldsOf(z.object({ order: z.string().meta({ examples: ['#W0000001'] }), email: z.string().meta({ examples: ['ann@example.com'] }) }));
    expect(extractDeterministic({ text: 'order #W5555555 for bob@corp.org', command: 'x', fields: f })).toEqual({ order: '#W5555555', email: 'bob@corp.org' });
  });

  it("matches the command's own utterance templates", () => {
    const f = fieldsOf(z.object({ to: z.string(), message: z.string() }));
    expect(extractDeterministic({ text: 'send see you at noon to bob', command: 'send', fields: f, utterances: ['send {message} to {to}'] })).toEqual({ to: 'bob', message: 'see you at noon' });
  });

  it('the most specific template wins, whatever order the seeds are in', () => {
    const utterances = ['delete {note}', 'delete item {note}'];
    expect(extract('delete item 12', { utterances })).toEqual({ note: '12' });
    expect(extract('delete the old one', { utterances })).toEqual({ note: 'the old one' });
  });

  it('uses each piece of text once: two numbers go to two fields in order', () => {
    const f = fieldsOf(z.object({ a: z.number(), b: z.number() }));
    expect(extractDeterministic({ text: "what's 49 plus 51", command: 'add', fields: f })).toEqual({ a: 49, b: 51 });
  });

  it('a lone answer to a single question is that field, whole', () => {
    expect(extract('ordered by mistake', { answering: ['reason'] })).toEqual({ reason: 'ordered by mistake' });
    expect(extract('leave it at the door', { answering: ['note'] })).toEqual({ note: 'leave it at the door' });
  });

  it('keeps an unconvertible value as text so validation can report it', () => {
    expect(extract('quantity=lots')).toMatchObject({ quantity: 'lots' });
  });

  it('finds nothing in an unrelated message', () => {
    expect(extract('hello there')).toEqual({});
  });
});
