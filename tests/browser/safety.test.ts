import { describe, expect, inject, it } from 'vitest';
import { openDemo, ready, say, useBrowserContext, userMessages } from './support/browser.ts';

const demoUrl = inject('demoUrl');
const context = useBrowserContext();

describe('safety and failures', () => {
  it('shows message text as text, never as HTML (user input and echoed replies)', async () => {
    const page = await openDemo(context(), demoUrl);
    const evil = '<img src=x onerror="window.__fwXss = 1">';
    const reply = await say(page, evil);
    expect(await userMessages(page).last().textContent()).toBe(evil);
    expect(reply).toContain(evil); // the out-of-scope reply quotes it — also as text
    // After a reload too (the transcript comes from storage).
    await page.reload();
    await page.waitForSelector('fw-chat[status="ready"]');
    expect(await userMessages(page).last().textContent()).toBe(evil);
    expect(await page.evaluate(() => document.querySelector('fw-chat')!.shadowRoot!.querySelectorAll('.log img').length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __fwXss?: number }).__fwXss)).toBeUndefined();
  });

  it('shows a clear error when the intent model cannot be loaded, and keeps working', async () => {
    const page = await context().newPage();
    await page.goto(`${demoUrl}?workflow=todo&classifier=failing`);
    // The classifier factory is the seam for a trained model: its loading state is shown…
    await page.waitForSelector('fw-chat[status="loading-classifier"]');
    expect(await page.locator('fw-chat [part="status"]').textContent()).toBe('Loading the intent model…');
    // … and its failure too; the chat then falls back to the lexical classifier.
    await ready(page);
    const alert = page.locator('fw-chat [role="alert"][data-error="classifier"]');
    expect(await alert.textContent()).toMatch(/The intent model could not be loaded: .*model\.onnx was not found/);
    expect(await say(page, 'open item 1')).toMatch(/^Opened #1/);
  });
});
