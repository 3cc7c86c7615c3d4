import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { parseCorrectionsFile } from '../../src/index.ts';
import { expectReply, openDemo, ready, say, useBrowserContext } from './support/browser.ts';

const demoUrl = inject('demoUrl');
const context = useBrowserContext();

/** The todo example with the trained bundle; corrections shared by every session of this browser profile. */
const query = (session: string) => `workflow=todo&classifier=bundle&corrections=device&session=${session}`;
const LIST = /^#1 \[ \] buy milk/;
const NOT_SURE = /^I'm not sure what you mean by "what's pending"/;

const learned = (page: Page) => page.locator('fw-chat details.learned');
const learnedItems = (page: Page) => page.locator('fw-chat .learned-item');

describe('corrections (device scope, trained bundle in the Worker)', () => {
  it('a correction applies to the phrase and a paraphrase, survives a reload, reaches another tab, and is undone', async () => {
    const tabA = await openDemo(context(), demoUrl, query('a'));
    const tabB = await openDemo(context(), demoUrl, query('b')); // another conversation, open all along

    // Misclassified: the bundle does not know "what's pending".
    expect(await say(tabA, "what's pending")).toMatch(NOT_SURE);
    expect(await learned(tabA).count()).toBe(0);
    await say(tabA, 'you misunderstood');
    const reply = await expectReply(tabA, () => tabA.locator('fw-chat .choices .choice[data-command="list_items"]').click());
    expect(reply).toMatch(LIST);

    // Next turn: the same phrase (the correction) and a paraphrase (the nearest-neighbour memory).
    expect(await say(tabA, "What's pending?")).toMatch(LIST);
    expect(await say(tabA, 'what is still pending')).toMatch(LIST);

    // "What I learned": utterance → command, context, when; keyboard opens it.
    await learned(tabA).locator('summary').focus();
    await tabA.keyboard.press('Enter');
    await expect.poll(() => learned(tabA).evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(await learned(tabA).locator('summary').textContent()).toBe('What I learned (1)');
    expect(await learnedItems(tabA).textContent()).toMatch(/“?what's pending”?\s*→\s*list items\s*TodoList · /);
    await learnedItems(tabA).locator('time').waitFor({ state: 'attached' });

    // The download is the corrections file.
    const [download] = await Promise.all([tabA.waitForEvent('download'), tabA.locator('fw-chat [part="learned-download"]').click()]);
    expect(download.suggestedFilename()).toBe('todo-corrections.json');
    const parsed = parseCorrectionsFile(await readFile((await download.path())!, 'utf8'));
    expect(parsed).toMatchObject({ ok: true, corrections: [{ workflow: 'todo', context: 'TodoList', utterance: "what's pending", command: 'list_items' }] });

    // After a reload it still holds (the stored correction, and the memory taught again on open).
    await tabA.reload();
    await ready(tabA);
    expect(await say(tabA, 'what is still pending')).toMatch(LIST);
    expect(await say(tabA, "what's pending")).toMatch(LIST);

    // The other tab learned it live (BroadcastChannel), without a reload.
    await learnedItems(tabB).waitFor({ state: 'attached', timeout: 10_000 });
    expect(await say(tabB, "what's pending")).toMatch(LIST);
    expect(await say(tabB, 'what is still pending')).toMatch(LIST);

    // Undo in tab B: both tabs are back to asking.
    await learned(tabB).locator('summary').click();
    const undo = learnedItems(tabB).getByRole('button', { name: /Undo: “what's pending” means list items/ });
    await undo.click();
    await tabB.locator('fw-chat .msg.notice', { hasText: 'Forgot that “what\'s pending” means list_items.' }).waitFor();
    await expect.poll(() => learned(tabB).count()).toBe(0);
    expect(await say(tabB, "what's pending")).toMatch(NOT_SURE);
    await expect.poll(() => learned(tabA).count(), { timeout: 10_000 }).toBe(0);
    expect(await say(tabA, "what's pending")).toMatch(NOT_SURE);
    expect(await say(tabA, 'what is still pending')).not.toMatch(LIST);
  }, 180_000); // two tabs loading the bundle and ~15 turns: slow on a shared machine
});
