import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startMockLlm, type MockLlm } from '../unit/llm/mock-server.ts';
import { expectReply, ready, say, useBrowserContext, watchErrors } from './support/browser.ts';

const harnessUrl = new URL('harness/?llm', inject('demoUrl')).href;
const context = useBrowserContext();
const SECRET = 'sk-browser-secret-123';

let llm: MockLlm;
beforeAll(async () => {
  llm = await startMockLlm();
});
afterAll(() => llm.close());

/** Every IndexedDB database of the page, every store, every record, as one string. */
const allIndexedDb = (page: Page) =>
  page.evaluate(async () => {
    const out: unknown[] = [];
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(info.name!);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      for (const name of Array.from(db.objectStoreNames)) {
        const all = await new Promise<unknown[]>((resolve) => {
          const r = db.transaction(name).objectStore(name).getAll();
          r.onsuccess = () => resolve(r.result);
        });
        out.push({ db: info.name, store: name, all });
      }
      db.close();
    }
    return JSON.stringify(out);
  });

async function applySettings(page: Page, opts: { mode: 'agent' | 'assistant'; remember: boolean }): Promise<void> {
  await page.locator('fw-chat fw-llm-settings summary').click();
  await page.locator(`fw-chat fw-llm-settings input[name="mode"][value="${opts.mode}"]`).check();
  await page.locator('fw-chat fw-llm-settings input[name="baseURL"]').fill(llm.baseURL);
  await page.locator('fw-chat fw-llm-settings input[name="model"]').fill('mock-agent');
  await page.locator('fw-chat fw-llm-settings input[name="apiKey"]').fill(SECRET);
  const remember = page.locator('fw-chat fw-llm-settings input[name="remember"]');
  if (opts.remember) await remember.check();
  else await remember.uncheck();
  await page.locator('fw-chat fw-llm-settings [part="llm-apply"]').click();
}

describe('<fw-chat llm-settings> against a local OpenAI-compatible server', () => {
  it('agent turn: a tool call through the gate, the reply, and a write that stops for the user; the key stays out of IndexedDB', async () => {
    const page = await context().newPage();
    const errors = watchErrors(page);
    await page.goto(harnessUrl);
    await ready(page);
    await applySettings(page, { mode: 'agent', remember: false });

    llm.push(
      { reply: { toolCalls: [{ name: 'create_ticket', arguments: { code: 'ABC-123', urgent: true, tags: ['billing'], count: 2 } }] } },
      { reply: { content: 'Your ticket ABC-123 is open.' } },
    );
    expect(await say(page, 'please open an urgent ticket ABC-123 about billing, two copies')).toBe('Your ticket ABC-123 is open.');
    expect(llm.received).toHaveLength(2);
    expect(llm.received[0].headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(llm.received[0].body.stream).toBe(true); // <fw-chat> streams the agent's replies
    expect(llm.received[0].body.tools.map((t: any) => t.function.name)).toEqual(expect.arrayContaining(['create_ticket', 'delete_all_notes', 'go_up']));
    expect(llm.received[1].body.messages.at(-1)).toMatchObject({ role: 'tool' });
    expect(llm.received[1].body.messages.at(-1).content).toContain('"code":"ABC-123"');
    // The tool call is shown in the transcript, before the reply.
    const log = (await page.locator('fw-chat .log').textContent()) ?? '';
    expect(log).toMatch(/Tool: create_ticket \{"code":"ABC-123".*\} → ok[\s\S]*Your ticket ABC-123 is open\./);

    // The reply is shown while it streams in.
    llm.push({ reply: { content: 'Streaming this answer slowly, piece by piece.' }, chunkDelayMs: 150 });
    const streamed = say(page, 'tell me about tickets');
    await page.locator('fw-chat .msg.assistant.sending').filter({ hasText: 'Streaming' }).waitFor();
    expect(await streamed).toBe('Streaming this answer slowly, piece by piece.');
    expect(await page.locator('fw-chat .msg.assistant.sending').count()).toBe(0);

    // The agent never confirms: the yes/no question is the user's.
    llm.push({ reply: { toolCalls: [{ name: 'delete_all_notes', arguments: {} }] } });
    expect(await say(page, 'delete all my notes')).toMatch(/This deletes all 3 notes/);
    await page.locator('fw-chat [part="confirm-no"]').waitFor();
    expect(await expectReply(page, () => page.locator('fw-chat [part="confirm-no"]').click())).toMatch(/Cancelled delete_all_notes/);
    expect(llm.received).toHaveLength(4);

    // /command bypasses the agent.
    expect(await say(page, '/delete_all_notes')).toMatch(/This deletes all 3 notes/);
    expect(llm.received).toHaveLength(4);
    await page.locator('fw-chat [part="confirm-no"]').click();

    const stored = await allIndexedDb(page);
    expect(stored).toContain('mock-agent'); // the settings are remembered …
    expect(stored).not.toContain(SECRET); // … but not the key
    expect(errors).toEqual([]);
  });

  it('"remember on this device" stores the key; a reload brings the settings back', async () => {
    const page = await context().newPage();
    await page.goto(harnessUrl);
    await ready(page);
    await applySettings(page, { mode: 'assistant', remember: true });
    await expect.poll(() => allIndexedDb(page)).toContain(SECRET);

    await page.reload();
    await ready(page);
    await page.locator('fw-chat fw-llm-settings summary').click();
    expect(await page.locator('fw-chat fw-llm-settings input[name="apiKey"]').inputValue()).toBe(SECRET);
    // Assistant mode with the remembered LLM: extraction fills what the text leaves open.
    llm.received.length = 0;
    llm.push({ reply: { content: JSON.stringify({ code: 'XYZ-999', urgent: false, tags: ['misc'], count: 1 }) } });
    const reply = await say(page, 'create a ticket');
    expect(reply).toContain('"code":"XYZ-999"');
    expect(llm.received[0].body.response_format.type).toBe('json_schema');
  });
});
