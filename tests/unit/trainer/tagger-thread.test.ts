import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldsOf } from '../../../src/index.ts';
import { startSlotTagger } from '../../../trainer-node/train/tagger-thread.ts';
import { trainSlotTagger, type SlotCommand } from '../../../trainer-node/train/slot-train.ts';

const commands: SlotCommand[] = [
  {
    command: 'send_message',
    fields: fieldsOf(z.object({ to: z.string().meta({ examples: ['alice', 'bob'] }), message: z.string().meta({ examples: ['hello there'] }) })),
    utterances: ['send {message} to {to}', 'tell {to} {message}', 'tell {to} that {message}', 'message {to} saying {message}', 'let {to} know {message}'],
  },
];

describe('slot tagger on a worker thread', () => {
  it('trains on a second thread and gives exactly the tagger trained inline', async () => {
    const { tagger, thread } = await startSlotTagger(commands, { seed: 7 }, 1).result;
    expect(thread).toBe(true);
    expect(JSON.stringify(tagger)).toBe(JSON.stringify(trainSlotTagger(commands, { seed: 7 })));
  });

  it('a small tagger (fewer seed templates than the threshold) trains inline, the same', async () => {
    const { tagger, thread } = await startSlotTagger(commands, { seed: 7 }, 6).result;
    expect(thread).toBe(false);
    expect(JSON.stringify(tagger)).toBe(JSON.stringify(trainSlotTagger(commands, { seed: 7 })));
  });

  it('has nothing to train without taggable commands, and starts no thread for it', async () => {
    const { tagger, thread } = await startSlotTagger([], { seed: 7 }).result;
    expect(tagger).toBeUndefined();
    expect(thread).toBe(false);
  });
});
