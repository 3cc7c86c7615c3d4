import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldsOf } from '../../../src/index.ts';
import { capitalisedRuns } from '../../../src/params/slots/features.ts';
import { tokenize } from '../../../src/params/slots/tokens.ts';
import { SlotTagger } from '../../../src/params/slots/tagger.ts';
import { filledSentences, trainSlotTagger, type SlotCommand } from '../../../trainer-node/train/slot-train.ts';

const runs = (text: string) => {
  const tokens = tokenize(text);
  return capitalisedRuns(tokens).map((r) => text.slice(tokens[r.start].start, tokens[r.end - 1].end));
};

describe('capitalised runs (a title or a name is one value)', () => {
  it('joins capitalised words across small words, and not a lone capital', () => {
    expect(runs('add Joey Fatone to my Women of the Blues playlist')).toEqual(['Joey Fatone', 'Women of the Blues']);
    expect(runs('I want to book Dinner by Heston Blumenthal in AL')).toEqual(['Dinner by Heston Blumenthal in AL']);
    expect(runs('Play some music')).toEqual([]);
    expect(runs('rate the book of the year')).toEqual([]);
  });

  it('a run ends at its last capitalised word, not at a trailing small word', () => {
    expect(runs('play Spotlight on Country 2016 on the radio')).toEqual(['Spotlight on Country 2016']);
  });
});

const playlist: SlotCommand = {
  command: 'add_to_playlist',
  fields: fieldsOf(z.object({ song: z.string().meta({ examples: ['Hey Jude', 'Blue Monday', 'Hanging On'] }), playlist: z.string().meta({ examples: ['Road Trip', 'Late Night Jazz', 'Piano Ballads'] }) })),
  utterances: ['add {song} to {playlist}', 'put {song} on my {playlist} playlist', 'add {song} to the {playlist} list', 'please add {song} to {playlist}', 'i want {song} in {playlist}'],
};

describe('made-up values of title-like fields', () => {
  it('a field whose examples are capitalised names also learns longer made-up names with small words inside', () => {
    const sentences = filledSentences([playlist], { seed: 3 });
    const values = sentences.flatMap((s) => s.spans.filter((x) => x.field === 'playlist').map((x) => s.text.slice(x.start, x.end)));
    // "Jazz of the Road": capitalised words around a small lower-case word, as no example has.
    expect(values.some((v) => /\p{Lu}\S* (of|the|in|and|on|for|a|de|with) (\S+ )?\p{Lu}/u.test(v))).toBe(true);
  });

  it('tags a long unseen title as one value', () => {
    const tagger = new SlotTagger(trainSlotTagger([playlist], { seed: 3 })!);
    const spans = tagger.tag('add Hanging On to Women of the Blues', 'add_to_playlist');
    expect(spans.find((s) => s.field === 'playlist')?.value).toBe('Women of the Blues');
  });
});
