import { describe, expect, inject, it } from 'vitest';
import { assistantMessages, crumbs, form, openDemo, ready, say, useBrowserContext, userMessages } from './support/browser.ts';

const demoUrl = inject('demoUrl');
const context = useBrowserContext();

describe('persistence (IndexedDB)', () => {
  it('brings the conversation, the current context and an open question back after a reload', async () => {
    const page = await openDemo(context(), demoUrl);
    await say(page, 'open item 2');
    await say(page, 'rename it');
    await form(page).waitFor();

    await page.reload();
    await ready(page);
    expect(await userMessages(page).allTextContents()).toEqual(['open item 2', 'rename it']);
    expect(await assistantMessages(page).count()).toBe(2);
    expect(await assistantMessages(page).first().textContent()).toMatch(/^Opened #2/);
    await page.locator('#breadcrumb .crumb-display', { hasText: 'item #2' }).waitFor();
    expect(await crumbs(page).allTextContents()).toEqual(['list "My list"', 'item #2 "call the bank"']);
    // The pending question is back as a form, and answering it works.
    await page.locator('fw-chat .param-form [name="title"]').fill('call the bank at 9');
    await page.locator('fw-chat [part="form-submit"]').click();
    await assistantMessages(page).filter({ hasText: 'Renamed "call the bank" to "call the bank at 9".' }).waitFor();
  });

  it('keeps each workflow’s conversation apart', async () => {
    const page = await openDemo(context(), demoUrl);
    await say(page, 'open item 1');
    await page.locator('#workflow-select').selectOption('hello_world');
    await ready(page);
    await say(page, 'add 2 and 3');
    await page.locator('#workflow-select').selectOption('todo');
    await page.waitForFunction(() => document.querySelector('fw-chat')?.session?.workflow.name === 'todo' && document.querySelector('fw-chat')?.getAttribute('status') === 'ready');
    expect(await userMessages(page).allTextContents()).toEqual(['open item 1']);
    await page.reload();
    await ready(page);
    expect(page.url()).toContain('workflow=todo');
    expect(await userMessages(page).allTextContents()).toEqual(['open item 1']);
  });

  it('another tab on the same session picks up the change', async () => {
    const tabA = await openDemo(context(), demoUrl);
    const tabB = await openDemo(context(), demoUrl);
    await say(tabA, 'open item 2');
    // B reloads the session when A's save is broadcast.
    await tabB.locator('fw-chat .msg.user .bubble', { hasText: 'open item 2' }).waitFor({ timeout: 5000 });
    await tabB.locator('#breadcrumb .crumb-display', { hasText: 'item #2' }).waitFor();
    expect(await say(tabB, 'mark it as done')).toBe('Marked "call the bank" as done.');
    await tabA.locator('fw-chat .msg.user .bubble', { hasText: 'mark it as done' }).waitFor({ timeout: 5000 });
  });

  it('"New conversation" forgets the stored session', async () => {
    const page = await openDemo(context(), demoUrl);
    await say(page, 'open item 2');
    await page.locator('#restart').click();
    await page.waitForFunction(() => document.querySelector('fw-chat')?.session?.state.history.length === 0);
    await page.locator('#breadcrumb .crumb-display', { hasText: 'list' }).waitFor();
    expect(await crumbs(page).allTextContents()).toEqual(['list "My list"']);
    await page.reload();
    await ready(page);
    expect(await userMessages(page).count()).toBe(0);
  });
});
