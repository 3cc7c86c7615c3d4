import { describe, expect, inject, it } from 'vitest';
import { crumbs, expectReply, field, form, openDemo, say, useBrowserContext } from './support/browser.ts';

const demoUrl = inject('demoUrl');
const context = useBrowserContext();

describe('parameter forms', () => {
  it('asks for a missing parameter with a form generated from its fields, and runs on submit', async () => {
    const page = await openDemo(context(), demoUrl);
    expect(await say(page, 'add')).toMatch(/To run add_item I need/);
    await form(page).waitFor();
    expect(await field(page, 'title').getAttribute('type')).toBe('text');
    // enum → select with its values, default preselected
    expect(await field(page, 'priority').evaluate((el) => el.tagName)).toBe('SELECT');
    expect(await field(page, 'priority').inputValue()).toBe('medium');
    expect(await page.locator('fw-chat select[name="priority"] option').allTextContents()).toEqual(['low', 'medium', 'high']);
    // First ask: "missing" is not shown as an error yet.
    expect(await page.locator('fw-chat .param-form .problem').count()).toBe(0);

    await field(page, 'title').fill('water the plants');
    await field(page, 'priority').selectOption('high');
    const reply = await expectReply(page, () => page.locator('fw-chat [part="form-submit"]').click());
    expect(reply).toBe('Added #3 "water the plants" (high).');
    expect(await form(page).count()).toBe(0);
  });

  it('refuses an invalid value in place: inline message, nothing ran', async () => {
    const page = await openDemo(context(), demoUrl);
    await say(page, 'open item');
    await field(page, 'item').fill('99');
    const refusal = await expectReply(page, () => page.locator('fw-chat [part="form-submit"]').click());
    expect(refusal).toMatch(/There is no item "99"/);
    // Still the same form, the message next to the field, the field marked invalid, and nothing ran.
    const problem = page.locator('fw-chat .field[data-field="item"] .problem');
    expect(await problem.textContent()).toMatch(/There is no item "99" on the list/);
    expect(await field(page, 'item').getAttribute('aria-invalid')).toBe('true');
    expect(await field(page, 'item').inputValue()).toBe('99');
    expect(await crumbs(page).allTextContents()).toEqual(['list "My list"']);
    expect(await page.evaluate(() => document.querySelector('fw-chat')!.session!.state.conversation.stage)).toBe('asking_parameters');

    // A text answer still works too.
    expect(await say(page, '2')).toMatch(/^Opened #2/);
    await page.locator('#breadcrumb .crumb-display', { hasText: 'item #2' }).waitFor();
    expect(await form(page).count()).toBe(0);
  });

  it('uses number inputs for numbers and reports a field left empty', async () => {
    const page = await openDemo(context(), demoUrl, 'workflow=hello_world');
    await say(page, 'add two numbers');
    expect(await field(page, 'a').getAttribute('type')).toBe('number');
    expect(await field(page, 'b').getAttribute('type')).toBe('number');
    await field(page, 'a').fill('49');
    const again = await expectReply(page, () => field(page, 'a').press('Enter'));
    expect(again).toMatch(/b/);
    expect(await page.locator('fw-chat .field[data-field="b"] .problem').textContent()).toMatch(/required/);
    expect(await page.locator('fw-chat .field[data-field="a"] .problem').count()).toBe(0);
    await field(page, 'b').fill('51');
    expect(await expectReply(page, () => field(page, 'b').press('Enter'))).toBe('49 + 51 = 100');
  });
});
