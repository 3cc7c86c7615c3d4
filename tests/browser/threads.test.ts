/**
 * The built-in encoder on two threads where the page is cross-origin isolated (COOP + COEP, added
 * here to every response): the Worker reports 2 threads and gives exactly the vectors of one thread.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { isolateCrossOrigin, openDemo, say, useBrowserContext } from './support/browser.ts';

const demoUrl = inject('demoUrl');
// No service worker: every response goes through the route below.
const context = useBrowserContext({ serviceWorkers: 'block' });

const SENTENCES = ['open the second item', 'this one is finished', 'what is on my list?', 'Remind me to call the plumber tomorrow and then email the landlord about the broken heater', 'go up'];

async function embedIn(page: Page): Promise<{ isolated: boolean; threads: number; embeddings: number[][] }> {
  return page.evaluate(async (texts) => {
    const chat = document.querySelector('fw-chat') as unknown as { intentClassifier: { info: { threads: number }; embed(t: string[]): Promise<number[][]> } };
    return { isolated: self.crossOriginIsolated, threads: chat.intentClassifier.info.threads, embeddings: await chat.intentClassifier.embed(texts) };
  }, SENTENCES);
}

describe('the built-in encoder in a cross-origin isolated page', () => {
  it('computes on two threads, with the same vectors as one thread, and runs commands', async () => {
    let isolate = true;
    await isolateCrossOrigin(context(), () => isolate);
    const isolatedPage = await openDemo(context(), demoUrl, 'workflow=todo&classifier=bundle');
    const two = await embedIn(isolatedPage);
    expect(two.isolated).toBe(true);
    expect(two.threads).toBe(2);
    expect(await say(isolatedPage, 'open the second item')).toContain('Opened #2');
    await isolatedPage.close();

    isolate = false;
    const plainPage = await openDemo(context(), demoUrl, 'workflow=todo&classifier=bundle');
    const one = await embedIn(plainPage);
    expect(one.isolated).toBe(false);
    expect(one.threads).toBe(1);
    expect(two.embeddings).toEqual(one.embeddings);
  });

  it('<fw-chat threads="1"> keeps one thread in an isolated page', async () => {
    await isolateCrossOrigin(context());
    const page = await openDemo(context(), demoUrl, 'workflow=todo&classifier=lexical');
    const info = await page.evaluate(async () => {
      const chat = document.querySelector('fw-chat') as unknown as HTMLElement & { bundle?: string; whenReady(): Promise<unknown>; intentClassifier?: { info: { threads: number } } };
      chat.setAttribute('threads', '1');
      chat.bundle = '/bundles/todo/';
      await new Promise((r) => setTimeout(r, 0));
      await chat.whenReady();
      while (!chat.intentClassifier?.info) await new Promise((r) => setTimeout(r, 5));
      return { isolated: self.crossOriginIsolated, threads: chat.intentClassifier.info.threads };
    });
    expect(info).toEqual({ isolated: true, threads: 1 });
  });
});
