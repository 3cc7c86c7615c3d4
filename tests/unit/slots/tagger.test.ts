import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldsOf } from '../../../src/index.ts';
import { forwardBackward } from '../../../src/params/slots/decode.ts';
import { SLOT_TAGGER_VERSION } from '../../../src/params/slots/model.ts';
import { seededRandom } from '../../../src/util/rng.ts';
import { TaggedExtractor } from '../../../src/params/slots/tagged-extractor.ts';
import { SlotTagger } from '../../../src/params/slots/tagger.ts';
import { fieldThresholds, templateCounts } from '../../../trainer-node/train/slot-thresholds.ts';
import { trainSlotTagger, type SlotCommand } from '../../../trainer-node/train/slot-train.ts';

const commands: SlotCommand[] = [
  {
    command: 'send_message',
    fields: fieldsOf(z.object({ to: z.string().meta({ examples: ['alice', 'bob'] }), message: z.string().meta({ examples: ['hello there'] }) })),
    utterances: ['send {message} to {to}', 'tell {to} {message}', 'tell {to} that {message}', 'message {to} saying {message}', 'let {to} know {message}', 'send a message to {to}', 'write to {to}'],
  },
  {
    command: 'book_table',
    fields: fieldsOf(z.object({ restaurant: z.string().meta({ examples: ['chez paul'] }), guests: z.number().int() })),
    utterances: ['book a table at {restaurant} for {guests}', 'reserve {restaurant} for {guests} people'],
  },
];

const file = trainSlotTagger(commands, { seed: 7 })!;
const tagger = new SlotTagger(file);
const values = (text: string, command: string) => Object.fromEntries(tagger.tag(text, command).map((s) => [s.field, s.value]));

describe('slot tagger (CRF trained from seed templates)', () => {
  it('is deterministic: the same seeds give the same model', () => {
    expect(JSON.stringify(trainSlotTagger(commands, { seed: 7 }))).toBe(JSON.stringify(file));
  });

  it('extracts a field seen in only two templates', () => {
    expect(values('book a table at golden dragon for 4', 'book_table')).toEqual({ restaurant: 'golden dragon' });
    expect(values('reserve luigis for 2 people', 'book_table')).toEqual({ restaurant: 'luigis' });
  });

  it('tags an unseen value between known context words', () => {
    expect(values('message carol saying the build is green', 'send_message')).toEqual({ to: 'carol', message: 'the build is green' });
    expect(values('send a message to bbo saying hi', 'send_message')).toEqual({ to: 'bbo', message: 'hi' });
  });

  it('reports high confidence on a clear sentence and low confidence on an unclear one', () => {
    const clear = tagger.tag('message carol saying the build is green', 'send_message');
    expect(clear).toHaveLength(2);
    expect(clear.map((s) => s.confidence).every((c) => c >= tagger.threshold)).toBe(true);
    const unclear = tagger.tag('bob lunch maybe ready whatever', 'send_message');
    expect(unclear.length === 0 || unclear.some((s) => s.confidence < tagger.threshold)).toBe(true);
  });

  it('tags only the fields of the command', () => {
    expect(values('send hi to bob', 'book_table').to).toBeUndefined();
  });

  it('a span\'s confidence is the probability of exactly that span (forward-backward agrees with counting every path)', () => {
    // Labels O, B, I; I never starts nor follows O. Tokens 1..2 as the value: B at 1, I at 2, no I at 3.
    const T = 5;
    const K = 3;
    const r = seededRandom(3);
    const emit = Float64Array.from({ length: T * K }, () => r() * 4 - 2);
    const trans = Float64Array.from({ length: K * K }, (_, i) => (i === 0 * K + 2 ? -Infinity : r() * 2 - 1));
    const start = Float64Array.from([r(), r(), -Infinity]);
    const end = Float64Array.from([r(), r(), r()]);
    let z = 0;
    let span = 0;
    for (let code = 0; code < K ** T; code++) {
      const y = Array.from({ length: T }, (_, t) => Math.floor(code / K ** t) % K);
      let score = start[y[0]] + end[y[T - 1]];
      for (let t = 0; t < T; t++) score += emit[t * K + y[t]] + (t > 0 ? trans[y[t - 1] * K + y[t]] : 0);
      const p = Math.exp(score);
      z += p;
      if (y[1] === 1 && y[2] === 2 && y[3] !== 2) span += p;
    }
    const m = forwardBackward({ T, K, emit, trans, start, end });
    expect(m.node[1 * K + 1] * m.next(1, 1, 2) * (1 - m.next(2, 2, 2))).toBeCloseTo(span / z, 10);
  });
});

describe('per-field thresholds (a field in many seed templates is trusted from a lower confidence)', () => {
  it('a small workflow keeps the default threshold for every field (too few templates to judge)', () => {
    expect(file.thresholds).toEqual({});
    expect(tagger.thresholdOf('to')).toBe(tagger.threshold);
  });

  it('a field written in enough templates gets the lower threshold; the others keep the default', () => {
    expect(templateCounts(commands).get('to')).toBe(7);
    expect(templateCounts(commands).get('message')).toBe(5);
    expect(fieldThresholds(commands, ['to', 'message', 'restaurant'], { minTemplates: 6, trusted: 0.55 })).toEqual({ to: 0.55 });
    const trained = trainSlotTagger(commands, { seed: 7, thresholds: { minTemplates: 5 } })!;
    expect(Object.keys(trained.thresholds)).toEqual(['message', 'to']);
    expect(new SlotTagger(trained).thresholdOf('to')).toBeLessThan(trained.threshold);
    expect(new SlotTagger(trained).thresholdOf('restaurant')).toBe(trained.threshold);
  });

  it('the extractor uses a field\'s own threshold from the model unless it is given one', () => {
    const withOwn = new SlotTagger({ ...file, thresholds: { to: 0.6 } });
    expect(new TaggedExtractor(withOwn).threshold('to')).toBe(0.6);
    expect(new TaggedExtractor(withOwn).threshold('message')).toBe(file.threshold);
    expect(new TaggedExtractor(withOwn, { thresholds: { to: 0.9 } }).threshold('to')).toBe(0.9);
  });

  it('a tagger file of an older version is refused with what to do', () => {
    expect(SLOT_TAGGER_VERSION).toBe(4);
    const { thresholds: _, ...v1 } = { ...file, version: 1 };
    expect(() => SlotTagger.fromJson(JSON.stringify(v1), 'bundles/x/slots/tagger.json')).toThrow(
      'bundles/x/slots/tagger.json has slot tagger version 1; this runtime reads version 4. Re-train the bundle.',
    );
    // Versions 2 and 3 had the same shape but other features (no built-ins, no capitalised runs): their weights would be read wrongly.
    for (const version of [2, 3]) expect(() => SlotTagger.fromJson(JSON.stringify({ ...file, version }), 'bundles/x/slots/tagger.json')).toThrow('Re-train the bundle.');
  });
});


describe('a command template that fits the whole message corroborates an unsure tagger', () => {
  const expense: SlotCommand = {
    command: 'add_expense',
    fields: fieldsOf(
      z.object({
        amount: z.number(),
        category: z.enum(['food', 'travel', 'office']),
        note: z.string().meta({ examples: ['lunch with the team', 'train to Lyon'] }),
      }),
    ),
    utterances: ['add an expense of {amount} euros for {note} in {category}', 'I spent {amount} on {note}, category {category}', 'record {amount} euros {category} expense: {note}', 'log {amount} for {note}', 'expense {amount} {category} {note}'],
  };
  const small = new SlotTagger(trainSlotTagger([expense], { seed: 7 })!);
  // A threshold above what the tagger reports here: the unsure case (a bigger workflow's tagger, trained
  // with other commands, was below its threshold on these messages).
  const extractor = new TaggedExtractor(small, { thresholds: { note: 0.999 } });
  const request = (text: string) => ({ text, command: 'add_expense', fields: expense.fields, utterances: expense.utterances });

  it('takes the template\'s value when the tagger found about the same words below its threshold', () => {
    const tagged = small.tag('log 30 for a taxi to the airport', 'add_expense').find((s) => s.field === 'note');
    expect(tagged && tagged.confidence < extractor.threshold('note')).toBe(true); // the case this rule is for
    const out = extractor.explain(request('log 30 for a taxi to the airport'));
    expect(out.values).toEqual({ amount: 30, note: 'a taxi to the airport' });
    expect(out.evidence.note).toMatchObject({ source: 'template', text: 'a taxi to the airport' });
  });

  it('a message no template fits keeps the tagger\'s unsure value as uncertain (asked, not used)', () => {
    const out = extractor.explain(request('paid 30 for a taxi to the airport yesterday evening'));
    expect(out.values.note).toBeUndefined();
    expect(out.uncertain.note).toBeDefined();
  });
});
