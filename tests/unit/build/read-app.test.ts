import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readApp } from '../../../trainer-node/build/read-app.ts';
import { missingPeer } from '../../../trainer-node/peer-deps.ts';
import { paraphrases, seedUtterances } from '../../../trainer-node/build/utterances.ts';
import { generateWorkflow } from '../../../trainer-node/build/generate.ts';
import type { AppModel } from '../../../trainer-node/build/app-model.ts';

const LIBRARY = `
export class Entity {
  /** Show the record. */
  show(): string { return 'x'; }
}
/** A lending library. */
export class Library {
  private books: Book[] = [];
  /**
   * Add a book.
   * @param title the title, e.g. "Dune"
   * @param genre the shelf
   * @example library.addBook("Emma", 'novel', 3, ['classic'])
   */
  addBook(title: string, genre: 'novel' | 'poetry', copies = 1, tags?: string[], signed?: boolean): Book { return new Book(); }
  removeBooks(...titles: string[]): void {}
  since(date: Date): void {}
  findMember({ id }: { id: string }): void {}
  private secret(): void {}
  _internal(): void {}
  static create(): Library { return new Library(); }
  rate(stars: 1 | 2 | 3): void {}
  abort(): void {}
  get count(): number { return 0; }
}
export class Book extends Entity {
  title = '';
  /** Lend the book. */
  async lend(member: string): Promise<void> {}
}
class Hidden {}
`;

let dir: string;
let app: AppModel;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fw-read-app-'));
  await writeFile(join(dir, 'library.ts'), LIBRARY);
  app = await readApp(join(dir, 'library.ts'), 'Library');
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('reading an application with the TypeScript compiler', () => {
  it('finds the classes reachable from the root; extends becomes base', () => {
    expect(app.classes.map((c) => [c.name, c.isRoot, c.base])).toEqual([
      ['Library', true, undefined],
      ['Book', false, 'Entity'],
      ['Entity', false, undefined],
    ]);
    expect(app.classes[1]).toMatchObject({ labelProperty: 'title', methods: [{ command: 'lend', params: [{ name: 'member', type: { kind: 'string' } }], returns: { kind: 'void' } }] });
  });

  it('maps parameter types, optional values, defaults, JSDoc and @example calls', () => {
    const add = app.classes[0].methods.find((m) => m.method === 'addBook')!;
    expect(add).toMatchObject({ command: 'add_book', description: 'Add a book.', returns: { kind: 'context', context: 'Book' } });
    expect(add.params).toEqual([
      { name: 'title', type: { kind: 'string' }, optional: false, description: 'the title, e.g. "Dune"', examples: ['Dune', 'Emma'] },
      { name: 'genre', type: { kind: 'enum', values: ['novel', 'poetry'] }, optional: false, description: 'the shelf', examples: ['novel'] },
      { name: 'copies', type: { kind: 'number' }, optional: true, defaultText: '1', examples: [3] },
      { name: 'tags', type: { kind: 'array', item: { kind: 'string' } }, optional: true, examples: [] },
      { name: 'signed', type: { kind: 'boolean' }, optional: true, examples: [] },
    ]);
    expect(app.classes[0].methods.find((m) => m.method === 'rate')!.params[0].type).toEqual({ kind: 'literals', values: [1, 2, 3] });
  });

  it('keeps only public instance methods and reports the ones it cannot take, with the reason', () => {
    expect(app.classes[0].methods.map((m) => m.method)).toEqual(['addBook', 'rate']);
    expect(app.skipped).toEqual([
      { className: 'Library', method: 'removeBooks', reason: 'parameter "titles" is a rest parameter (...titles); take an array instead' },
      { className: 'Library', method: 'since', reason: expect.stringMatching(/^parameter "date" has type Date \(supported: /) },
      { className: 'Library', method: 'findMember', reason: expect.stringContaining('parameter 1 is destructured') },
      { className: 'Library', method: 'abort', reason: expect.stringContaining('its command name "abort" is a built-in command\'s') },
    ]);
  });

  it('seeds utterances from the name and the parameters, most specific template first', () => {
    const seeds = seedUtterances(app.classes[0].methods.find((m) => m.method === 'addBook')!);
    expect(seeds).toContain('add book {title} genre {genre}');
    expect(seeds).toContain('add book {title} genre {genre} copies {copies} tags {tags} signed {signed}');
    expect(seeds).toContain('add a book');
    expect(seeds.every((s) => /\{title\}/.test(s) || s === 'add a book')).toBe(true);
  });

  it('names the exported classes when the root is wrong', async () => {
    await expect(readApp(join(dir, 'library.ts'), 'Shop')).rejects.toThrow('exports no class Shop. Its exported classes: Entity, Library, Book.');
  });

  it('without the TypeScript compiler installed, says exactly what to install', () => {
    expect(missingPeer('typescript', 'read your application (fastworkflow build)').message).toBe(
      'To read your application (fastworkflow build), fastworkflow needs the package "typescript" in this project: npm install -D typescript',
    );
  });

  it('generates a context per class, base from extends, and takes extra phrasings from a paraphraser', async () => {
    const extra = await paraphrases(app, async (m) => [`please ${m.command.replace(/_/g, ' ')} right now`]);
    const files = generateWorkflow(app, { outDir: dir, extraUtterances: extra });
    expect(Object.keys(files)).toEqual(['workflow.ts', 'reply.ts', 'contexts/library.ts', 'contexts/book.ts', 'contexts/entity.ts']);
    expect(files['contexts/book.ts']).toContain("base: ['Entity'],");
    expect(files['contexts/book.ts']).toContain("'please lend right now',");
    expect(files['contexts/library.ts']).toContain("run: async (ctx, input) => enter(ctx, 'Book', await ctx.app.addBook(input.title, input.genre, input.copies, input.tags, input.signed)),");
    expect(files['contexts/library.ts']).toContain("copies: z.number().meta({ examples: [3] }).default(1),");
    expect(files['workflow.ts']).toContain("import { Library } from './library.js';");
  });
});
