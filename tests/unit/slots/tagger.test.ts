import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldsOf } from '../../../src/index.ts';
import { SlotTagger } from '../../../src/params/slots/tagger.ts';
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
});
