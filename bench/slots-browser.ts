/**
 * Parameter extraction (deterministic rules + the slot tagger) in a real Chromium page: the time of
 * each utterance, p50/p95 (issue 12: at most 2 ms per utterance in the page). Called by bench/slots.ts
 * with the tagger it trained; the page script is bench/pages/slots-page.ts bundled with esbuild.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import type { ExtractionRequest } from '../src/params/extract.ts';
import type { SlotTaggerFile } from '../src/params/slots/model.ts';
import { launchChromium } from '../tests/browser/support/browser.ts';
import { summary } from './stats.ts';
import type { PageRun } from './pages/slots-page.ts';

export interface PageTimes {
  /** Every timed extraction of the 3 passes (a shared machine's other jobs preempt some of them). */
  all: { p50: number; p95: number; mean: number; n: number };
  /** Per utterance the fastest of the 3 passes: the page's own time with little of the other jobs' preemption (the goal is checked on its p95). */
  best: { p50: number; p95: number; mean: number; n: number };
  /** Parsing the tagger file and building its weights. */
  loadMs: number;
}

const PASSES = 3;
const mean = (xs: readonly number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 1000) / 1000;

export async function benchSlotsInPage(file: SlotTaggerFile, requests: readonly ExtractionRequest[]): Promise<PageTimes> {
  const bundled = await build({ entryPoints: [fileURLToPath(new URL('./pages/slots-page.ts', import.meta.url))], bundle: true, format: 'iife', write: false, platform: 'browser', target: 'es2022' });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>slots</title>');
    await page.addScriptTag({ content: bundled.outputFiles[0].text });
    const run = await page.evaluate(
      ({ json, requests, passes }) => (globalThis as unknown as { runSlots(j: string, r: unknown[], passes: number): PageRun }).runSlots(json, requests, passes),
      { json: JSON.stringify(file), requests: requests as unknown[], passes: PASSES },
    );
    const all = run.passes.flat();
    const best = requests.map((_, i) => Math.min(...run.passes.map((p) => p[i])));
    return { all: { ...summary(all), mean: mean(all) }, best: { ...summary(best), mean: mean(best) }, loadMs: Math.round(run.loadMs) };
  } finally {
    await browser.close();
  }
}
