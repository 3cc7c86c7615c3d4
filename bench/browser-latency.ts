/** Worker cold start and intent latency in a real Chromium (onnxruntime-web, wasm). */
import { serveDemo } from '../scripts/serve-demo.ts';
import { launchChromium } from '../tests/browser/support/browser.ts';
import { summary, UTTERANCES } from './stats.ts';

interface PageTimings {
  coldStartMs: number;
  firstAnswerMs: number;
  encode: number[];
  intent: number[];
  info: unknown;
}

export async function benchBrowser(bundlesDir: string, rounds = 20) {
  const demo = await serveDemo({ bundlesDir });
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${demo.url}?workflow=todo&classifier=lexical`);
    await page.waitForSelector('fw-chat[status="ready"]');
    // Measured inside the page: bundle load (fetch + sha256 checks + encoder start) to the first answer.
    const t = (await page.evaluate(
      async ({ texts, rounds }) => {
        const chat = document.querySelector('fw-chat') as unknown as { bundle?: string; workflow: unknown; whenReady(): Promise<unknown>; intentClassifier?: { classify(t: string, c: string): Promise<unknown>; embed(t: string[]): Promise<unknown>; info: unknown } };
        const start = performance.now();
        chat.bundle = '/bundles/todo/';
        // Re-open with the bundle: the element starts the Worker and loads the bundle.
        await new Promise((r) => setTimeout(r, 0));
        await chat.whenReady();
        while (!chat.intentClassifier) await new Promise((r) => setTimeout(r, 5));
        const coldStartMs = performance.now() - start;
        await chat.intentClassifier.classify(texts[0], 'TodoItem');
        const firstAnswerMs = performance.now() - start;
        const encode: number[] = [];
        const intent: number[] = [];
        for (let r = 0; r < rounds; r++) {
          for (const u of texts) {
            let t0 = performance.now();
            await chat.intentClassifier.embed([`${u} ${r}`]);
            encode.push(performance.now() - t0);
            t0 = performance.now();
            await chat.intentClassifier.classify(`${u} ${r}.`, 'TodoItem');
            intent.push(performance.now() - t0);
          }
        }
        return { coldStartMs, firstAnswerMs, encode, intent, info: chat.intentClassifier.info };
      },
      { texts: UTTERANCES, rounds },
    )) as PageTimings;
    return { coldStartMs: Math.round(t.coldStartMs), firstAnswerMs: Math.round(t.firstAnswerMs), encoder: summary(t.encode), intent: summary(t.intent), worker: t.info };
  } finally {
    await browser.close();
    await demo.close();
  }
}
