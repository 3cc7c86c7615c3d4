import { describe, expect, inject, it } from 'vitest';
import { crumbs, openDemo, ready, say, useBrowserContext } from './support/browser.ts';

const demoUrl = inject('demoUrl');
const context = useBrowserContext();

/** The demo's context bar once it shows something other than "opening…". */
async function contextBar(page: import('playwright-core').Page): Promise<string[]> {
  await page.locator('#breadcrumb .crumb-display').first().waitFor({ timeout: 10_000 });
  return crumbs(page).allTextContents();
}

describe('the context bar of the demo', () => {
  it('shows the context right after switching workflow (and back), without a turn', async () => {
    const page = await openDemo(context(), demoUrl);
    await say(page, 'open item 1');
    expect(await contextBar(page)).toEqual(['list "My list"', 'item #1 "buy milk"']);
    await page.locator('#workflow-select').selectOption('hello_world');
    await ready(page);
    expect(await contextBar(page)).toEqual(['global context']);
    await page.locator('#workflow-select').selectOption('todo');
    await page.waitForFunction(() => document.querySelector('fw-chat')?.session?.workflow.name === 'todo');
    await ready(page);
    expect(await contextBar(page)).toEqual(['list "My list"', 'item #1 "buy milk"']);
  });

  it('shows the context after switching workflow while a classifier loads for each workflow', async () => {
    // `failing`: a classifier factory that takes a moment and fails, so each switch goes through
    // loading the classifier, the fallback, and opening the session.
    const page = await openDemo(context(), demoUrl, 'workflow=hello_world&classifier=failing');
    expect(await contextBar(page)).toEqual(['global context']);
    await page.locator('#workflow-select').selectOption('todo');
    await page.waitForFunction(() => document.querySelector('fw-chat')?.session?.workflow.name === 'todo');
    await ready(page);
    expect(await contextBar(page)).toEqual(['list "My list"']);
    // Switching again before the first switch has finished loading: the last one wins.
    await page.locator('#workflow-select').selectOption('hello_world');
    await page.locator('#workflow-select').selectOption('todo');
    await page.waitForFunction(() => document.querySelector('fw-chat')?.session?.workflow.name === 'todo');
    await ready(page);
    expect(await contextBar(page)).toEqual(['list "My list"']);
    expect(await say(page, 'open item 2')).toMatch(/^Opened #2/);
    expect(await contextBar(page)).toEqual(['list "My list"', 'item #2 "call the bank"']);
  });

  it('follows a rename of the current object', async () => {
    const page = await openDemo(context(), demoUrl);
    await say(page, 'open item 1');
    expect(await say(page, 'rename it to buy oat milk')).toBe('Renamed "buy milk" to "buy oat milk".');
    await page.locator('#breadcrumb .crumb-display', { hasText: 'buy oat milk' }).waitFor({ timeout: 5000 });
    expect(await crumbs(page).allTextContents()).toEqual(['list "My list"', 'item #1 "buy oat milk"']);
  });
});
