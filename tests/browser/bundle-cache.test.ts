/**
 * Repeat visits: the intent Worker keeps the bundle's checked files in Cache Storage. A second visit
 * downloads only the manifest, a re-trained bundle downloads only what changed, and a damaged copy
 * is found by its hash and downloaded again.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { openDemo, say, useBrowserContext } from './support/browser.ts';

const demoUrl = inject('demoUrl');
const bundlesDir = inject('bundlesDir');
// Without the demo's service worker: what is measured is the Worker's own cache (and routes apply).
const context = useBrowserContext({ serviceWorkers: 'block' });

interface Files {
  fromCopies: number;
  fromSource: number;
  damagedCopies: number;
}

/** A visit with the todo bundle: where its files came from, and which bundle URLs were requested. */
async function visit(ctx: BrowserContext): Promise<{ page: Page; files: Files; requested: string[] }> {
  const requested: string[] = [];
  const onRequest = (r: { url(): string }) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/bundles/todo/')) requested.push(path.slice('/bundles/todo/'.length));
  };
  ctx.on('request', onRequest);
  const page = await openDemo(ctx, demoUrl, 'workflow=todo&classifier=bundle');
  const files = await page.evaluate(async () => {
    const chat = document.querySelector('fw-chat') as unknown as { intentClassifier?: { info: { files: Files } } };
    for (let i = 0; i < 600 && !chat.intentClassifier; i++) await new Promise((r) => setTimeout(r, 50));
    return chat.intentClassifier!.info.files;
  });
  // The copies are written in the background: wait until every file of the bundle has one.
  const urls = manifest().files.map((f) => new URL(`bundles/todo/${f.path}`, demoUrl).href);
  await page.waitForFunction(async (want) => {
    const kept = new Set((await (await caches.open('fastworkflow-bundles-v1')).keys()).map((r) => r.url));
    return want.every((u) => kept.has(u));
  }, urls);
  ctx.off('request', onRequest);
  return { page, files, requested: [...new Set(requested)].sort() };
}

const manifest = () => JSON.parse(readFileSync(join(bundlesDir, 'todo', 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string; bytes: number }[]; contexts: Record<string, { head: string }> };

describe('repeat visits read the bundle from its checked copies', () => {
  it('downloads only the manifest on a second visit, and still answers', async () => {
    const total = manifest().files.length;
    const first = await visit(context());
    expect(first.files).toMatchObject({ fromSource: total, fromCopies: 0 });
    await first.page.close();

    const second = await visit(context());
    expect(second.files).toEqual(expect.objectContaining({ fromCopies: total, fromSource: 0, damagedCopies: 0 }));
    expect(second.requested).toEqual(['manifest.json']);
    expect(await say(second.page, 'open the second item')).toContain('Opened #2');
  });

  it('downloads only the changed file of a re-trained bundle', async () => {
    const first = await visit(context());
    await first.page.close();
    // The server now has a bundle whose TodoItem head differs (one weight), with its manifest.
    const m = manifest();
    const head = m.contexts.TodoItem.head;
    const bytes = readFileSync(join(bundlesDir, 'todo', head));
    new DataView(bytes.buffer, bytes.byteOffset).setFloat32(0, 0.125, true);
    const entry = m.files.find((f) => f.path === head)!;
    entry.sha256 = createHash('sha256').update(bytes).digest('hex');
    await context().route('**/bundles/todo/manifest.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(m) }));
    await context().route(`**/bundles/todo/${head}`, (route) => route.fulfill({ contentType: 'application/octet-stream', body: bytes }));

    const second = await visit(context());
    expect(second.files).toEqual(expect.objectContaining({ fromCopies: m.files.length - 1, fromSource: 1, damagedCopies: 0 }));
    expect(second.requested).toEqual([head, 'manifest.json'].sort());
  });

  it('finds a damaged copy by its hash and downloads that file again', async () => {
    const first = await visit(context());
    const head = manifest().contexts.TodoItem.head;
    // Damage the kept copy's bytes but keep its recorded hash.
    await first.page.evaluate(async (url) => {
      const cache = await caches.open('fastworkflow-bundles-v1');
      const kept = (await cache.match(url))!;
      const bytes = new Uint8Array(await kept.arrayBuffer());
      bytes[16] ^= 0xff;
      await cache.put(url, new Response(bytes, { headers: kept.headers }));
    }, new URL(`bundles/todo/${head}`, demoUrl).href);
    await first.page.close();

    const second = await visit(context());
    expect(second.files).toEqual(expect.objectContaining({ damagedCopies: 1, fromSource: 1 }));
    expect(second.requested).toEqual([head, 'manifest.json'].sort());
    expect(await say(second.page, 'open the second item')).toContain('Opened #2');
    await second.page.close();

    const third = await visit(context());
    expect(third.files).toEqual(expect.objectContaining({ damagedCopies: 0, fromSource: 0 }));
  });
});
