import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

/** Debian's Chromium (never a downloaded one). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(CHROMIUM);
}

/** Chromium with a profile folder, as a visitor's browser: an on-disk HTTP cache (a new context's is in memory and small). */
export function launchChromiumProfile(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, CHROMIUM);
}

/** One Chromium per test file and a fresh browser context per test: call at the top of a test file. */
export function useBrowserContext(options: BrowserContextOptions = {}): () => BrowserContext {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    context = await browser!.newContext(options);
  });
  afterEach(async () => {
    await context?.close();
  });
  return () => context!;
}

/**
 * Serves every response of `context` with COOP + COEP added (a cross-origin isolated page), while
 * `when()` says so (default: always). Use a context without a service worker, so that every
 * response goes through the route.
 */
export async function isolateCrossOrigin(context: BrowserContext, when: () => boolean = () => true): Promise<void> {
  await context.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = when() ? { ...response.headers(), 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : response.headers();
    await route.fulfill({ response, headers });
  });
}

/** Collects page errors so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

/** The demo opened with `query` (e.g. `workflow=todo`), once `<fw-chat>` has its session. */
export async function openDemo(context: BrowserContext, baseUrl: string, query = 'workflow=todo'): Promise<Page> {
  const page = await context.newPage();
  // These tests exercise the UI with the training-free classifier unless they ask for another.
  await page.goto(`${baseUrl}?${query}${query.includes('classifier=') ? '' : '&classifier=lexical'}`);
  await ready(page);
  return page;
}

export async function ready(page: Page): Promise<void> {
  await page.waitForSelector('fw-chat[status="ready"]', { timeout: 45_000 });
}

// Playwright's CSS selectors pierce open shadow roots.
export const chatInput = (page: Page): Locator => page.locator('fw-chat .composer input');
export const assistantMessages = (page: Page): Locator => page.locator('fw-chat .msg.assistant .bubble');
export const userMessages = (page: Page): Locator => page.locator('fw-chat .msg.user .bubble');
export const form = (page: Page): Locator => page.locator('fw-chat .param-form');
export const field = (page: Page, name: string): Locator => page.locator(`fw-chat .param-form [name="${name}"]`);
export const crumbs = (page: Page): Locator => page.locator('#breadcrumb .crumb-display');

/** Run an action that causes one more assistant reply; return that reply's text. */
export async function expectReply(page: Page, action: () => Promise<unknown>): Promise<string> {
  const before = await assistantMessages(page).count();
  await action();
  await page.waitForFunction(
    (n) => {
      const root = document.querySelector('fw-chat')?.shadowRoot;
      return !!root && root.querySelectorAll('.msg.assistant').length > n && !root.querySelector('.typing');
    },
    before,
    { timeout: 10_000 },
  );
  return (await assistantMessages(page).last().textContent()) ?? '';
}

/** Type a message and press Enter; return the reply. */
export function say(page: Page, text: string): Promise<string> {
  return expectReply(page, async () => {
    await chatInput(page).fill(text);
    await chatInput(page).press('Enter');
  });
}
