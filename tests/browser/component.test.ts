import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { expectReply, field, form, ready, say, useBrowserContext, watchErrors } from './support/browser.ts';

const harnessUrl = new URL('harness/', inject('demoUrl')).href;
const context = useBrowserContext();

async function openHarness(query = ''): Promise<Page> {
  const page = await context().newPage();
  await page.goto(`${harnessUrl}${query}`);
  return page;
}

type Recorded = { type: string; detail: Record<string, unknown> };
const recorded = (page: Page) => page.evaluate(() => (window as unknown as { fwEvents: Recorded[] }).fwEvents);

describe('<fw-chat> (component harness)', () => {
  it('generates controls for every field kind and sends typed values', async () => {
    const page = await openHarness();
    const errors = watchErrors(page);
    await ready(page);
    await say(page, 'create a ticket');
    await form(page).waitFor();
    expect(await field(page, 'code').getAttribute('type')).toBe('text');
    expect(await field(page, 'code').getAttribute('pattern')).toBe('.*(?:^[A-Z]{3}-\\d{3}$).*');
    expect(await field(page, 'urgent').getAttribute('type')).toBe('checkbox');
    expect(await field(page, 'count').getAttribute('type')).toBe('number');
    expect(await field(page, 'count').getAttribute('min')).toBe('1');
    expect(await field(page, 'count').getAttribute('max')).toBe('5');
    expect(await field(page, 'count').getAttribute('step')).toBe('1');

    // Wrong format and out of range: refused in place, field by field.
    await field(page, 'code').fill('abc');
    await field(page, 'tags').fill('billing, vip');
    await field(page, 'count').fill('9');
    await expectReply(page, () => page.locator('fw-chat [part="form-submit"]').click());
    expect(await page.locator('fw-chat .field[data-field="code"] .problem').textContent()).toMatch(/expected format/);
    expect(await page.locator('fw-chat .field[data-field="count"] .problem').textContent()).toMatch(/count/i);
    expect(await page.locator('fw-chat .field[data-field="tags"] .problem').count()).toBe(0);
    expect(await field(page, 'code').evaluate((el: HTMLInputElement) => el.matches(':invalid'))).toBe(true);

    await field(page, 'code').fill('ABC-123');
    await field(page, 'urgent').check();
    await field(page, 'count').fill('2');
    const reply = await expectReply(page, () => page.locator('fw-chat [part="form-submit"]').click());
    expect(JSON.parse(reply.replace(/^Ticket /, ''))).toEqual({ code: 'ABC-123', urgent: true, tags: ['billing', 'vip'], count: 2 });
    expect(errors).toEqual([]);
  });

  it('asks for confirmation with yes/no buttons', async () => {
    const page = await openHarness();
    await ready(page);
    expect(await say(page, 'delete all notes')).toMatch(/This deletes all 3 notes/);
    // The summary keeps its lines (a list of what is affected).
    expect(await page.locator('fw-chat [part="form-title"]').innerText()).toBe('This deletes all 3 notes:\n- a\n- b\n- c');
    const yes = page.locator('fw-chat [part="confirm-yes"]');
    // Focus moved to "yes"; "No" cancels.
    expect(await page.evaluate(() => document.querySelector('fw-chat')!.shadowRoot!.activeElement?.getAttribute('part'))).toBe('confirm-yes');
    expect(await expectReply(page, () => page.locator('fw-chat [part="confirm-no"]').click())).toMatch(/Cancelled delete_all_notes/);
    await say(page, 'delete all notes');
    expect(await expectReply(page, () => yes.click())).toBe('Deleted 3 notes.');
    expect(await yes.count()).toBe(0);
  });

  it('fires fw-command / fw-context-change that bubble out of the shadow root, and is themable', async () => {
    const page = await openHarness();
    await ready(page);
    await say(page, 'what can I do');
    const events = await recorded(page);
    expect(events.map((e) => e.type)).toEqual(['fw-context-change', 'fw-command']);
    expect(events[0].detail).toMatchObject({ context: '*', display: 'global context', path: [{ context: '*', display: 'global context' }] });
    expect(events[1].detail).toMatchObject({ kind: 'info', workflow: 'harness', intent: { label: 'what_can_i_do' } });
    expect(await page.locator('fw-chat [part="send"]').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(200, 0, 0)');
    expect(await page.locator('fw-chat [part="send"]').evaluate((el) => getComputedStyle(el).letterSpacing)).toBe('1px');
  });

  it('shows a clear error (and fw-error) when the session cannot be opened', async () => {
    const page = await openHarness('?store=broken');
    await page.waitForSelector('fw-chat[status="error"]');
    const alert = page.locator('fw-chat [role="alert"][data-error="open"]');
    expect(await alert.textContent()).toMatch(/Could not open the conversation: disk on fire/);
    expect(await page.locator('fw-chat [part="send"]').isDisabled()).toBe(true);
    const events = await recorded(page);
    expect(events).toEqual([{ type: 'fw-error', detail: expect.objectContaining({ phase: 'open', message: expect.stringMatching(/disk on fire/) }) }]);
  });
});
