/**
 * `fastworkflow build` end to end: a small application written with no knowledge of this project →
 * build → train (the repository trainer) → the terminal runner. All through the CLI, as a user runs it.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../support/run-cli.ts';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
let dir: string;
let built: CliResult;

/** A small application written with no knowledge of this project. */
const SHOP = readFileSync(join(REPO, 'tests/fixtures/shop-app/shop.ts'), 'utf8');

/** The CLI in the temporary project, with the encoder the other trainer tests prepare (not a second copy). */
const fw = (args: string[], input?: string) => runCli(args, { input, cwd: dir, timeout: 120_000, env: { ...process.env, FASTWORKFLOW_CACHE: join(REPO, 'node_modules/.cache/fastworkflow') } });

async function hashes(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[join(entry.parentPath, entry.name)] = createHash('sha256').update(await readFile(join(entry.parentPath, entry.name))).digest('hex');
  }
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fw-build-'));
  await mkdir(join(dir, 'src'));
  await writeFile(join(dir, 'src/shop.ts'), SHOP);
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'shop', private: true, type: 'module' }));
  // Stand-ins for the installed packages (tests/package/ installs the real tarball): zod, and
  // fastworkflow-web as this repository's sources.
  await mkdir(join(dir, 'node_modules/fastworkflow-web'), { recursive: true });
  await symlink(join(REPO, 'node_modules/zod'), join(dir, 'node_modules/zod'));
  await writeFile(join(dir, 'node_modules/fastworkflow-web/package.json'), JSON.stringify({ name: 'fastworkflow-web', type: 'module', exports: './index.ts' }));
  await writeFile(join(dir, 'node_modules/fastworkflow-web/index.ts'), `export * from ${JSON.stringify(join(REPO, 'src/index.ts'))};\n`);

  built = await fw(['build', 'src/shop.ts', '--root', 'Catalogue', '--out', 'workflow']);
  expect(built.stderr).toBe('');
  expect(built.code).toBe(0);
  const trained = await fw(['train', 'workflow', '--quiet']);
  expect(trained.stderr).toBe('');
  expect(trained.code).toBe(0);
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('fastworkflow build → train → run', () => {
  it('turns the classes into contexts and the public methods into commands', async () => {
    expect(built.stdout).toContain('context * (class Catalogue): add_item, list_items, find_item');
    expect(built.stdout).toContain('context Item (class Item): set_price, describe');
    expect((await readdir(join(dir, 'workflow'), { recursive: true })).sort()).toEqual(['.fastworkflow-build.json', 'contexts', 'contexts/catalogue.ts', 'contexts/item.ts', 'reply.ts', 'workflow.ts']);
    const catalogue = await readFile(join(dir, 'workflow/contexts/catalogue.ts'), 'utf8');
    expect(catalogue).toContain(`name: z.string().describe('what the item is called, e.g. "desk" or "mirror"').meta({ examples: ['desk', 'mirror'] })`);
    expect(catalogue).toContain(`price: z.number().describe('its price in euros').meta({ examples: [120] })`);
  });

  it('writes TypeScript that type-checks against the application (strict)', async () => {
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, skipLibCheck: true, allowImportingTsExtensions: true, types: [], lib: ['ES2023', 'DOM'] }, include: ['workflow', 'src'] }));
    const tsc = await run('node', [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: dir }).then(() => ({ stdout: '' }), (e: { stdout: string }) => e);
    expect(tsc.stdout).toBe('');
  });

  it('reports a parameter type a command cannot take, and skips that method', async () => {
    expect(built.stdout).toContain('skipped Catalogue.importPrices: parameter "prices" has type Map<string, number> (supported: string, number, boolean');
    expect(await readFile(join(dir, 'workflow/contexts/catalogue.ts'), 'utf8')).not.toContain('importPrices');
  });

  it('runs a /command, a request in words, enters an item and shows the application\'s own errors', async () => {
    const r = await fw(['run', 'workflow', '--verbose'], ['/add_item name=desk price=120', 'show me all the items', 'find the lamp', 'describe this item', 'change the price to 12', '/set_price price=-5', 'go up', '/add_item name=vase price=0'].join('\n'));
    const turns = r.stdout.split('\n> ').slice(1);
    expect(turns[0]).toContain('Added desk at 120 euros.');
    expect(turns[1]).toMatch(/lamp: 30\nchair: 45\ndesk: 120\n {2}· intent classifier → list_items/);
    expect(turns[2]).toMatch(/Now in Item lamp\.\n {2}· intent classifier → find_item/);
    expect(turns[3]).toContain('lamp costs 30 euros.');
    expect(turns[4]).toMatch(/lamp now costs 12 euros\.\n {2}· intent classifier → set_price/);
    expect(turns[5]).toContain('The price must be positive, not -5.');
    expect(turns[7]).toContain('The price must be positive, not 0.');
  });

  it('builds again: updates the generated regions, keeps the user\'s edits; --dry-run writes nothing', async () => {
    const itemFile = join(dir, 'workflow/contexts/item.ts');
    // The user adds an own command and a note; the application gains a method.
    const edited = (await readFile(itemFile, 'utf8')).replace(
      /const ownCommands: (.*) = \[\];/,
      `// Note: prices are in euros.\nconst ownCommands: $1 = [\n  command({ name: 'price_in_cents', description: 'The price in cents.', run: (ctx) => \`\${ctx.object.price * 100} cents\` }),\n];`,
    );
    // … and takes over the describe command (deletes its markers) to phrase it their way.
    const describe = /\/\/ <fastworkflow:generated command describe>\n([\s\S]*?)\/\/ <\/fastworkflow:generated command describe>\n/;
    await writeFile(itemFile, edited.replace(describe, (_, body: string) => body.replace("'describe this item',", "'tell me about it',")));
    const shop = SHOP.replace('  /** Describe this item. */', '  /** Give the item a new name. */\n  rename(newName: string): string {\n    this.name = newName;\n    return `Renamed to ${newName}.`;\n  }\n\n  /** Describe this item. */');
    await writeFile(join(dir, 'src/shop.ts'), shop);

    const before = await hashes(join(dir, 'workflow'));
    const dry = await fw(['build', 'src/shop.ts', '--root', 'Catalogue', '--out', 'workflow', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('update    contexts/item.ts (updated context; added command rename; left yours: command describe)');
    expect(dry.stdout).toContain('unchanged contexts/catalogue.ts');
    expect(dry.stdout).toContain('(dry run: nothing written)');
    expect(await hashes(join(dir, 'workflow'))).toEqual(before);

    const again = await fw(['build', 'src/shop.ts', '--root', 'Catalogue', '--out', 'workflow']);
    expect(again.code).toBe(0);
    const text = await readFile(itemFile, 'utf8');
    expect(text).toContain('// Note: prices are in euros.');
    expect(text).toContain("name: 'price_in_cents'");
    expect(text).toContain("name: 'rename'");
    expect(text).toMatch(/commands: \[setPriceCommand, renameCommand, describeCommand, \.\.\.ownCommands\]/);
    expect(text).toContain("'tell me about it',");
    expect(text).not.toContain('<fastworkflow:generated command describe>');
    expect(text.match(/const describeCommand/g)).toHaveLength(1);

    const r = await fw(['run', 'workflow', '--bundle', 'none'], ['/find_item name=chair', '/rename newName=stool', '/price_in_cents'].join('\n'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Renamed to stool.');
    expect(r.stdout).toContain('4500 cents');
  });

  it('refuses to write into a folder holding a workflow it did not generate', async () => {
    await mkdir(join(dir, 'handmade'));
    await writeFile(join(dir, 'handmade/workflow.ts'), 'export default {};\n');
    const r = await fw(['build', 'src/shop.ts', '--root', 'Catalogue', '--out', 'handmade']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('handmade/ holds workflow.ts, which fastworkflow build did not write: nothing was written. Pick another --out');
    expect(await readdir(join(dir, 'handmade'))).toEqual(['workflow.ts']);
  });
});
