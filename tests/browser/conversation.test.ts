import { describe, expect, inject, it } from 'vitest';
import { assistantMessages, chatInput, crumbs, expectReply, openDemo, say, useBrowserContext, watchErrors } from './support/browser.ts';

const demoUrl = inject('demoUrl');
const context = useBrowserContext(); // a fresh profile per test: empty IndexedDB

describe('<fw-chat> conversation (todo)', () => {
  it('runs the command an utterance means, in the right context', async () => {
    const page = await openDemo(context(), demoUrl);
    const errors = watchErrors(page);
    expect(await crumbs(page).allTextContents()).toEqual(['list "My list"']);

    expect(await say(page, 'open item 2')).toBe('Opened #2 "call the bank". You can mark it complete, rename it or change its priority.');
    await page.locator('#breadcrumb .crumb-display', { hasText: 'item #2' }).waitFor();
    expect(await crumbs(page).allTextContents()).toEqual(['list "My list"', 'item #2 "call the bank"']);

    expect(await say(page, 'mark it as done')).toBe('Marked "call the bank" as done.');
    expect(await page.locator('[data-testid="intent-label"]').textContent()).toBe('mark complete');
    expect(Number(await page.locator('[data-testid="intent-score"]').textContent())).toBeGreaterThan(0.5);
    expect(await page.locator('[data-testid="candidates"] li').count()).toBeGreaterThan(1);
    expect(errors).toEqual([]);
  });

  it('asks which command an ambiguous utterance meant, with buttons that run it', async () => {
    const page = await openDemo(context(), demoUrl);
    // "show item" is genuinely ambiguous for the lexical classifier in the list context().
    const question = await say(page, 'show item');
    expect(question).toMatch(/ambiguous/);
    const choices = page.locator('fw-chat button.choice');
    const offered = await choices.evaluateAll((els) => els.map((e) => e.getAttribute('data-command')));
    expect(offered).toContain('list_items');
    expect(offered.length).toBeGreaterThan(1);
    // Keyboard users land on the first choice.
    expect(await page.evaluate(() => document.querySelector('fw-chat')!.shadowRoot!.activeElement?.getAttribute('data-command'))).toBe(offered[0]);

    const reply = await expectReply(page, () => page.locator('fw-chat button.choice[data-command="list_items"]').click());
    expect(reply).toBe('#1 [ ] buy milk (medium)\n#2 [ ] call the bank (high)');
    expect(await choices.count()).toBe(0);
    // The choice was learnt: the same words now run list_items directly.
    expect(await say(page, 'show item')).toBe('#1 [ ] buy milk (medium)\n#2 [ ] call the bank (high)');
    expect(await page.locator('#intent-panel').textContent()).toContain('your earlier correction');
  });

  it('is usable with the keyboard only', async () => {
    const page = await openDemo(context(), demoUrl);
    await chatInput(page).focus();
    await page.keyboard.type('show item');
    await expectReply(page, () => page.keyboard.press('Enter'));
    // Focus is on the first choice; Tab to open_item and press Enter.
    const offered = await page.locator('fw-chat button.choice').evaluateAll((els) => els.map((e) => e.getAttribute('data-command')));
    expect(offered).toContain('open_item');
    for (let i = 0; i < offered.indexOf('open_item'); i++) await page.keyboard.press('Tab');
    const reply = await expectReply(page, () => page.keyboard.press('Enter'));
    expect(reply).toMatch(/To run open_item I need/);
    // Focus moved into the form: type the value, Enter submits it.
    await page.keyboard.type('1');
    const done = await expectReply(page, () => page.keyboard.press('Enter'));
    expect(done).toMatch(/^Opened #1 "buy milk"/);
    // Back in the message box.
    await page.keyboard.type('details');
    expect(await expectReply(page, () => page.keyboard.press('Enter'))).toBe('#1 buy milk — medium priority, open.');
    expect(await assistantMessages(page).count()).toBe(4);
  });
});
