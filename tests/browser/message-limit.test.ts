import { describe, expect, inject, it } from 'vitest';
import { chatInput, openDemo, say, useBrowserContext } from './support/browser.ts';

const demoUrl = inject('demoUrl');
const context = useBrowserContext();

describe('message length in <fw-chat>', () => {
  it('refuses a 5,000-character message with a clear reply, runs nothing and gives the text back', async () => {
    const page = await openDemo(context(), demoUrl);
    const long = `add ${'x'.repeat(4996)}`;
    const reply = await say(page, long);
    expect(reply).toMatch(/5,000 characters long; the limit is 2,000\. Nothing was run/);
    expect(await chatInput(page).inputValue()).toBe(long);
    expect(await page.evaluate(() => document.querySelector('fw-chat')!.session!.state.conversation.stage)).toBe('idle');
    await chatInput(page).fill('');
    expect(await say(page, 'open item 1')).toMatch(/^Opened #1/);
  });
});
