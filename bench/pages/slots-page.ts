/** Bundled into the page by bench/slots-browser.ts: extraction (rules + slot tagger) timed per utterance in Chromium. */
import type { ExtractionRequest } from '../../src/params/extract.ts';
import { TaggedExtractor } from '../../src/params/slots/tagged-extractor.ts';
import { SlotTagger } from '../../src/params/slots/tagger.ts';

export interface PageRun {
  /** Milliseconds per request, in order, per timed pass (after one untimed warm-up pass). */
  passes: number[][];
  loadMs: number;
}

function run(taggerJson: string, requests: readonly ExtractionRequest[], passes: number): PageRun {
  const t0 = performance.now();
  const extractor = new TaggedExtractor(SlotTagger.fromJson(taggerJson));
  const loadMs = performance.now() - t0;
  for (const r of requests) extractor.explain(r);
  const timed = Array.from({ length: passes }, () =>
    requests.map((r) => {
      const start = performance.now();
      extractor.explain(r);
      return performance.now() - start;
    }),
  );
  return { passes: timed, loadMs };
}

(globalThis as unknown as { runSlots: typeof run }).runSlots = run;
