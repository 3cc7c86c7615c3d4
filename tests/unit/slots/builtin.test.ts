import { describe, expect, it } from 'vitest';
import { builtinFeatures } from '../../../src/params/slots/builtin/index.ts';
import { builtinKindOf } from '../../../src/params/slots/builtin/kind.ts';
import { tokenize } from '../../../src/params/slots/tokens.ts';
import { SlotTagger } from '../../../src/params/slots/tagger.ts';
import { trainSlotTagger } from '../../../trainer-node/train/slot-train.ts';
import { fieldsOf } from '../../../src/index.ts';
import { z } from 'zod';

/** The built-in features of each word of `text`, by word. */
function featuresOf(text: string): [string, string[]][] {
  const tokens = tokenize(text);
  const f = builtinFeatures(tokens);
  return tokens.map((t, i) => [t.text, f[i]]);
}

const of = (text: string, word: string) => featuresOf(text).find(([w]) => w === word)?.[1] ?? [];

describe('built-in entity features', () => {
  it('a written date is one date expression, its words marked by role', () => {
    const f = featuresOf('book it for Jul. the 4th, 2024 at 5pm please');
    const inside = f.filter(([, fs]) => fs.includes('dt:B') || fs.includes('dt:I')).map(([w]) => w);
    expect(inside).toEqual(['Jul', '.', 'the', '4th', ',', '2024', 'at', '5pm']);
    expect(of('book it for Jul. the 4th, 2024 at 5pm please', 'Jul')).toContain('dt:month');
    expect(of('book it for Jul. the 4th, 2024 at 5pm please', '4th')).toContain('dt:ordinal');
    expect(of('book it for Jul. the 4th, 2024 at 5pm please', '5pm')).toContain('dt:time');
    expect(of('book it for Jul. the 4th, 2024 at 5pm please', 'please')).not.toContain('dt:I');
  });

  it('relative times are dates; a lone number or "this" is not', () => {
    expect(of('remind me in 5 minutes', 'in')).toContain('dt:B');
    expect(of('remind me in 5 minutes', 'minutes')).toContain('dt:I');
    expect(of('remind me tomorrow', 'tomorrow')).toContain('dt:B');
    expect(of('add 5 apples', '5')).not.toContain('dt:B');
    expect(of('play this song', 'this')).not.toContain('dt:B');
  });

  it('place names, multi-word ones whole; state codes only in capitals', () => {
    expect(of('weather in Saint Vincent and the Grenadines', 'Grenadines')).toContain('gaz:country:I');
    expect(of('weather in Saint Vincent and the Grenadines', 'Saint')).toContain('gaz:country:B');
    expect(of('flights to new york city', 'new')).toContain('gaz:city:B');
    expect(of('is it cold in OK', 'OK')).toContain('gaz:state:B');
    expect(of('ok thanks', 'ok')).toEqual([]);
    expect(of('a table in Texas', 'in')).toContain('bi+1=state');
  });

  it('a field whose examples are places or dates is of that kind', () => {
    expect(builtinKindOf(['Brazil', 'Niger', 'China', 'Atlantis'])).toBe('country');
    expect(builtinKindOf(['tomorrow', 'next week', 'in one minute', 'meal'])).toBe('datetime');
    expect(builtinKindOf(['sixties', '1958', 'eighties'])).toBe('year');
    expect(builtinKindOf(['pizza', 'burrito', 'Brazil'])).toBeUndefined();
  });
});

describe('the tagger with built-in features', () => {
  const fields = fieldsOf(z.object({ country: z.string().meta({ examples: ['France', 'Spain', 'Japan'] }), when: z.string().meta({ examples: ['tomorrow', 'next week', 'today'] }) }));
  const utterances = ['weather in {country}', 'will it rain in {country} {when}', 'forecast for {when} in {country}', "what's the weather {when}", 'is it hot in {country}', 'how cold is it {when}'];
  const tagger = new SlotTagger(trainSlotTagger([{ command: 'weather', fields, utterances }], { seed: 3 })!);
  const values = (text: string) => Object.fromEntries(tagger.tag(text, 'weather').map((s) => [s.field, s.value]));

  it('tags a country and a date never seen as examples', () => {
    expect(values('will it rain in Portugal next Friday')).toEqual({ country: 'Portugal', when: 'next Friday' });
    expect(values('forecast for Jul. the 4th in Peru')).toEqual({ country: 'Peru', when: 'Jul. the 4th' });
    expect(values('is it hot in New Zealand')).toEqual({ country: 'New Zealand' });
  });
});
