import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { createNodeEncoder } from '../../trainer-node/node-encoder.ts';
import { loadNodeBundleClassifier } from '../../trainer-node/bundle-node.ts';
import { examples } from '../../demo/workflows/index.ts';
import { openDemo, say, useBrowserContext } from './support/browser.ts';

const demoUrl = inject('demoUrl');
const bundlesDir = inject('bundlesDir');
const context = useBrowserContext();

const classifierError = (page: Page) => page.locator('fw-chat [data-error="classifier"]');

describe('trained bundle in the intent Worker', () => {
  it('detects intents with the bundle and runs the command', async () => {
    const page = await openDemo(context(), demoUrl, 'workflow=todo&classifier=bundle');
    expect(await page.evaluate(() => !!(document.querySelector('fw-chat') as unknown as { intentClassifier?: unknown }).intentClassifier)).toBe(true);
    expect(await say(page, 'open the second item')).toContain('Opened #2 "call the bank"');
    expect(await say(page, 'this one is finished')).toContain('Marked "call the bank" as done.');
    await expect.poll(() => page.locator('#intent-panel').textContent()).toContain('mark complete');
  });

  it("extracts free text with the bundle's slot tagger in the page", async () => {
    const page = await openDemo(context(), demoUrl, 'workflow=todo&classifier=bundle');
    await expect.poll(() => page.evaluate(() => !!(document.querySelector('fw-chat') as unknown as { intentClassifier?: { info?: { slotTagger?: unknown } } }).intentClassifier?.info?.slotTagger)).toBe(true);
    expect(await say(page, 'add a todo buy milk')).toContain('"buy milk"');
  });

  it('keeps classifying and running with every network request blocked after the first load', async () => {
    const page = await openDemo(context(), demoUrl, 'workflow=todo&classifier=bundle');
    const blocked: string[] = [];
    await context().route('**/*', (route) => {
      blocked.push(route.request().url());
      return route.abort('internetdisconnected');
    });
    expect(await say(page, 'open the second item')).toContain('Opened #2');
    expect(await say(page, 'make this high priority')).toContain('is now high priority');
    expect(blocked).toEqual([]); // nothing even tried the network
  });

  it('shows a clear error in the chat when the bundle has a bad hash, and still works', async () => {
    const page = await openDemo(context(), demoUrl, 'workflow=hello_world&classifier=bundle&bundle=/bundles/bad-hash/');
    await expect.poll(() => classifierError(page).textContent(), { timeout: 15_000 }).toMatch(/does not match the manifest \(sha256/);
    expect(await say(page, '/add_two_numbers a=1 b=2')).toContain('1 + 2 = 3');
  });

  it('shows a clear error when the bundle is missing (404)', async () => {
    const page = await openDemo(context(), demoUrl, 'workflow=hello_world&classifier=bundle&bundle=/bundles/nope/');
    await expect.poll(() => classifierError(page).textContent(), { timeout: 15_000 }).toMatch(/manifest\.json: HTTP 404/);
  });

  it('runs the built-in encoder without onnxruntime-web: a page that does not serve its wasm loads the model', async () => {
    const ortRequests: string[] = [];
    context().on('request', (r) => {
      if (/ort-wasm|\/no-wasm-here\//.test(new URL(r.url()).pathname)) ortRequests.push(r.url());
    });
    const demo = await openDemo(context(), demoUrl, 'workflow=todo&classifier=bundle&ort=/no-wasm-here/');
    const info = await demo.evaluate(() => (document.querySelector('fw-chat') as unknown as { intentClassifier: { info: { runtime: string; device: string } } }).intentClassifier.info);
    expect(info).toMatchObject({ runtime: 'use-lite-wasm', device: 'wasm' });
    expect(await say(demo, 'open the second item')).toContain('Opened #2');
    expect(await classifierError(demo).count()).toBe(0);
    expect(ortRequests, ortRequests.join(", ")).toEqual([]);
  });

  it('names the missing file when the page does not serve onnxruntime-web\'s wasm for another encoder, and still works', async () => {
    const page = await openDemo(context(), demoUrl, 'workflow=hello_world&classifier=bundle&bundle=/bundles/tiny-bert/&ort=/no-wasm-here/');
    await expect.poll(() => classifierError(page).textContent(), { timeout: 20_000 }).toMatch(/ort-wasm-simd-threaded\.mjs is not served at http:\/\/[^ ]+\/no-wasm-here\/ort-wasm-simd-threaded\.mjs \((HTTP 404|the server answered with text\/html, not JavaScript)\)\. Serve the files/);
    expect(await say(page, '/add_two_numbers a=1 b=2')).toContain('1 + 2 = 3');
  });

  it('runs another encoder on onnxruntime-web when the page serves it', async () => {
    const page = await openDemo(context(), demoUrl, 'workflow=hello_world&classifier=bundle&bundle=/bundles/tiny-bert/');
    const info = await page.evaluate(() => (document.querySelector('fw-chat') as unknown as { intentClassifier: { info: { runtime: string } } }).intentClassifier.info);
    expect(info.runtime).toBe('onnxruntime-web');
    expect(await classifierError(page).count()).toBe(0);
  });

  it('gives the same embeddings and intents in Chromium (the built-in kernel) as in Node (onnxruntime-node, as the trainer)', async () => {
    const sentences = ['open the second item', 'this one is finished', 'what is on my list?', 'Remind me to call the plumber tomorrow.', 'go up'];
    const page = await openDemo(context(), demoUrl, 'workflow=todo&classifier=bundle');
    const browserSide = await page.evaluate(async (texts) => {
      const chat = document.querySelector('fw-chat') as unknown as { intentClassifier: { embed(t: string[]): Promise<number[][]>; classify(t: string, c: string): Promise<{ ranked: { label: string; score: number }[] }> } };
      const embeddings = await chat.intentClassifier.embed(texts);
      const top = [];
      for (const t of texts) top.push((await chat.intentClassifier.classify(t, 'TodoItem')).ranked[0]);
      return { embeddings, top };
    }, sentences);
    const encoder = await createNodeEncoder(join(bundlesDir, 'todo', 'model'), 'q8');
    expect(encoder.runtime).toBe('onnxruntime-node');
    const nodeSide = await encoder.embed(sentences);
    nodeSide.forEach((v, i) => {
      const w = browserSide.embeddings[i];
      const cos = v.reduce((a, x, k) => a + x * w[k], 0);
      // The same float32 weights on both sides: only the order of additions differs.
      expect(cos).toBeGreaterThan(0.99999);
      expect(Math.max(...v.map((x, k) => Math.abs(x - w[k])))).toBeLessThan(5e-6);
    });
    const classifier = await loadNodeBundleClassifier(join(bundlesDir, 'todo'), examples.todo);
    for (const [i, t] of sentences.entries()) {
      const node = (await classifier.classify(t, 'TodoItem')).ranked[0];
      expect(browserSide.top[i].label).toBe(node.label);
      expect(Math.abs(browserSide.top[i].score - node.score)).toBeLessThan(0.02);
    }
  });
});

describe('offline second visit', () => {
  it('loads the page, the model and the conversation from the caches with the network off', async () => {
    const page = await openDemo(context(), demoUrl, 'workflow=todo&classifier=bundle');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // A visit under the service worker's control fills its cache with everything the page needs.
    await page.reload();
    await page.waitForSelector('fw-chat[status="ready"]', { timeout: 30_000 });
    await page.waitForFunction(() => !!(document.querySelector('fw-chat') as unknown as { intentClassifier?: unknown }).intentClassifier);
    expect(await say(page, 'open the second item')).toContain('Opened #2');

    await context().setOffline(true);
    await page.reload();
    await page.waitForSelector('fw-chat[status="ready"]', { timeout: 30_000 });
    await page.waitForFunction(() => !!(document.querySelector('fw-chat') as unknown as { intentClassifier?: unknown }).intentClassifier, undefined, { timeout: 30_000 });
    expect(await page.locator('fw-chat [data-error="classifier"]').count()).toBe(0);
    expect(await say(page, 'this one is finished')).toContain('Marked "call the bank" as done.');
  }, 90_000);
});
