/**
 * The demo's service worker and onnxruntime-web's wasm: an unchanged file (same ETag as the kept
 * copy) is answered from Cache Storage, where Chromium keeps the module's compiled code for the next
 * visit; a changed file replaces the copy. Bundles are left to the intent Worker's own checked copies.
 * The bundle here uses a tiny BERT-style encoder: the built-in encoder needs no onnxruntime-web.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { openDemo, say, useBrowserContext } from './support/browser.ts';

const demoUrl = inject('demoUrl');
const context = useBrowserContext();
const WASM = 'ort/ort-wasm-simd-threaded.wasm';

const classifierError = (page: Page) => page.locator('fw-chat [data-error="classifier"]');

const TINY_BERT = 'workflow=hello_world&classifier=bundle&bundle=/bundles/tiny-bert/';

/** A visit with the tiny-bert bundle under the service worker's control, once the intent Worker is ready. */
async function controlledVisit(ctx: BrowserContext): Promise<Page> {
  const page = await openDemo(ctx, demoUrl, TINY_BERT);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await page.reload();
  await page.waitForSelector('fw-chat[status="ready"]', { timeout: 45_000 });
  await page.waitForFunction(() => !!(document.querySelector('fw-chat') as unknown as { intentClassifier?: unknown }).intentClassifier, undefined, { timeout: 45_000 });
  return page;
}

/** What the service worker keeps: URL paths in its cache. */
function keptPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await (await caches.open('fastworkflow-demo-v1')).keys()).map((r) => new URL(r.url).pathname));
}

/** Serve the wasm as bytes that cannot compile, with the given ETag. */
async function serveBrokenWasm(ctx: BrowserContext, etag: string): Promise<void> {
  await ctx.route(`**/${WASM}`, (route) =>
    route.fulfill({ status: 200, headers: { 'content-type': 'application/wasm', etag, 'cache-control': 'no-cache' }, body: Buffer.from('not a wasm module') }),
  );
}

describe("the demo's service worker and the runtime's wasm", () => {
  it('answers an unchanged wasm (same ETag) from its kept copy, and keeps no bundle files', async () => {
    const first = await controlledVisit(context());
    const kept = await keptPaths(first);
    expect(kept).toContain(`/${WASM}`);
    expect(kept.filter((p) => p.startsWith('/bundles/'))).toEqual([]);
    const etag = (await fetch(new URL(WASM, demoUrl))).headers.get('etag')!;
    await first.close();

    // The server now sends other bytes under the same ETag: only the kept copy can make the model run.
    await serveBrokenWasm(context(), etag);
    const second = await controlledVisit(context());
    expect(await classifierError(second).count()).toBe(0);
    const answer = await second.evaluate(async () => {
      const chat = document.querySelector('fw-chat') as unknown as { intentClassifier: { info: { runtime: string }; classify(t: string, c: string): Promise<{ ranked: unknown[] }> } };
      return { runtime: chat.intentClassifier.info.runtime, ranked: (await chat.intentClassifier.classify('add 1 and 2', '*')).ranked.length };
    });
    expect(answer.runtime).toBe('onnxruntime-web');
    expect(answer.ranked).toBeGreaterThan(0);
  });

  it('replaces the kept copy when the wasm changed (new ETag)', async () => {
    const first = await controlledVisit(context());
    await first.close();

    await serveBrokenWasm(context(), 'W/"changed"');
    const page = await openDemo(context(), demoUrl, TINY_BERT);
    await expect.poll(() => classifierError(page).textContent(), { timeout: 30_000 }).toMatch(/could not be loaded/);
    expect(await say(page, '/add_two_numbers a=1 b=2')).toContain('1 + 2 = 3');
  });
});
