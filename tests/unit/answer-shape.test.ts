import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldsOf } from '../../src/index.ts';
import { fitsAskedShape, unlikeAskedValues } from '../../src/engine/answer-shape.ts';

const fields = fieldsOf(
  z.object({
    to: z.string().meta({ examples: ['alice', 'bob'] }),
    title: z.string().meta({ examples: ['buy milk', 'call the bank'] }),
    note: z.string(),
    count: z.number(),
    email: z.email(),
    order: z.string().regex(/^#W\d{3}$/),
  }),
);

describe('does an answer look like the value asked for', () => {
  it('a name field takes a name, not a question or a long sentence', () => {
    expect(fitsAskedShape(fields, ['to'], 'bob')).toBe(true);
    expect(fitsAskedShape(fields, ['to'], 'carol smith')).toBe(true);
    expect(fitsAskedShape(fields, ['to'], "what's the weather in Paris")).toBe(false);
    expect(fitsAskedShape(fields, ['to'], 'please book me a table for two tonight at eight')).toBe(false);
  });

  it('a free-text field takes a longer answer, and a question when its examples are not names', () => {
    expect(fitsAskedShape(fields, ['title'], 'call the plumber about the leak tomorrow')).toBe(true);
    expect(fitsAskedShape(fields, ['title'], 'what to buy for the party')).toBe(true);
  });

  it('a free-text field without examples takes anything', () => {
    expect(fitsAskedShape(fields, ['note'], "what's the weather in Paris")).toBe(true);
    expect(fitsAskedShape(fields, ['to', 'note'], "what's the weather in Paris")).toBe(true);
  });

  it('a typed field (number, yes/no, choice, pattern) takes a short answer, never a question', () => {
    expect(fitsAskedShape(fields, ['count'], '12')).toBe(true);
    expect(fitsAskedShape(fields, ['count'], 'twelve')).toBe(true); // the validator says what is wrong with it
    expect(fitsAskedShape(fields, ['count'], 'make it 12 please')).toBe(true);
    expect(fitsAskedShape(fields, ['count'], "what's the weather like")).toBe(false);
    expect(fitsAskedShape(fields, ['count'], 'how many do I have?')).toBe(false);
    expect(fitsAskedShape(fields, ['count'], 'please book me a table for two tonight at eight in the city')).toBe(false);
  });

  it('a patterned field takes any word that could be part of its value, not a request made of plain words', () => {
    expect(fitsAskedShape(fields, ['email'], 'ava.lee@example.com')).toBe(true);
    expect(fitsAskedShape(fields, ['email'], "it's ava.lee at example")).toBe(true); // a near miss: the validator explains
    expect(fitsAskedShape(fields, ['email'], 'bob')).toBe(true); // one word is an attempt at an answer
    expect(fitsAskedShape(fields, ['email'], 'show me my orders')).toBe(false);
    expect(fitsAskedShape(fields, ['order'], 'it is #W100.')).toBe(true);
    expect(fitsAskedShape(fields, ['order'], 'the one from W12')).toBe(true);
    expect(fitsAskedShape(fields, ['order'], 'cancel everything please')).toBe(false);
    expect(fitsAskedShape(fields, ['order', 'note'], 'cancel everything please')).toBe(true); // the free-text field takes it
  });

  it('a question, or a text much longer than every example, is unlike the values asked for', () => {
    expect(unlikeAskedValues(fields, ['to'], 'what is the capital of france')).toBe(true);
    expect(unlikeAskedValues(fields, ['to'], 'remind me to call mom')).toBe(true);
    expect(unlikeAskedValues(fields, ['to'], 'bob smith')).toBe(false);
    expect(unlikeAskedValues(fields, ['title'], 'call the plumber')).toBe(false);
    expect(unlikeAskedValues(fields, ['title'], 'call the plumber about the leak')).toBe(true);
    expect(unlikeAskedValues(fields, ['to'], 'it is user 42 I think')).toBe(false); // a value's digits and symbols
    expect(unlikeAskedValues(fields, ['note'], 'remind me to call mom tomorrow')).toBe(false); // no examples: cannot tell
    expect(unlikeAskedValues(fields, ['to', 'note'], 'remind me to call mom tomorrow')).toBe(false);
  });
});
