import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldsOf } from '../../src/index.ts';
import { fitsAskedShape } from '../../src/engine/answer-shape.ts';

const fields = fieldsOf(
  z.object({
    to: z.string().meta({ examples: ['alice', 'bob'] }),
    title: z.string().meta({ examples: ['buy milk', 'call the bank'] }),
    note: z.string(),
    count: z.number(),
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

  it('fields without examples and typed fields take anything (the extractor judges them)', () => {
    expect(fitsAskedShape(fields, ['note'], "what's the weather in Paris")).toBe(true);
    expect(fitsAskedShape(fields, ['count'], "what's the weather in Paris")).toBe(true);
    expect(fitsAskedShape(fields, ['to', 'note'], "what's the weather in Paris")).toBe(true);
  });
});
