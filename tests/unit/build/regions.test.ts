import { describe, expect, it } from 'vitest';
import { mergeRegions, region } from '../../../trainer-node/build/regions.ts';

const file = (...parts: string[]) => parts.join('\n');

describe('generated regions', () => {
  it('rewrites the regions, keeps the text around them, adds new ones in order and drops gone ones', () => {
    const existing = file('// mine: a note', region('a', 'const a = 1;'), '// mine: between', region('gone', 'const gone = 1;'), region('c', 'const c = 1;'), '// mine: end');
    const generated = file('// header', region('a', 'const a = 2;'), region('b', 'const b = 1;'), region('c', 'const c = 1;'));
    const m = mergeRegions(existing, generated);
    expect(m).toMatchObject({ changed: ['a'], added: ['b'], removed: ['gone'], owned: [] });
    expect(m.text).toBe(file('// mine: a note', region('a', 'const a = 2;'), '', region('b', 'const b = 1;'), '// mine: between', region('c', 'const c = 1;'), '// mine: end'));
  });

  it('leaves a region alone once the user deleted its markers (it declares the same name outside any region)', () => {
    const existing = file('const a = "my own version";', region('c', 'const c = 1;'));
    const m = mergeRegions(existing, file(region('a', 'const a = 2;'), region('c', 'const c = 1;')));
    expect(m).toMatchObject({ changed: [], added: [], owned: ['a'] });
    expect(m.text).toBe(existing);
  });

  it('is unchanged when the application is', () => {
    const text = file('// x', region('a', 'const a = 1;'), '');
    expect(mergeRegions(text, text).text).toBe(text);
  });

  it('with the record of the last build, knows a taken-over region even when it declares no name', () => {
    const existing = file("import { mine } from './mine.js';", region('context', 'export default 1;'));
    const generated = file(region('imports', "import { z } from 'zod';"), region('context', 'export default 1;'));
    expect(mergeRegions(existing, generated, new Set(['imports', 'context']))).toMatchObject({ text: existing, added: [], owned: ['imports'] });
    // a region the last build did not write is new
    expect(mergeRegions(existing, generated, new Set(['context'])).added).toEqual(['imports']);
  });
});
