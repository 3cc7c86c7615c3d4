/// <reference lib="webworker" />
/**
 * Where a Worker load's time goes: marks taken in the Worker (ms since load() was called; the steps
 * overlap, so they are points in time, not durations), and how the big files arrived.
 */

/** The Worker's own script: evaluated this long after the Worker was created (download, parse, compile). */
const SCRIPT_EVALUATED = Math.round(performance.now());

/**
 * ortImported: onnxruntime-web's code loaded; runtime: its WebAssembly started (a tiny model's session
 * created); firstFile: the manifest read and a first file checked; bundle: every file checked and the
 * heads decoded; encoderFiles: tokenizer and model read; ready: the encoder's session created,
 * classify() accepted from now on.
 */
export const LOAD_MARKS = ['ortImported', 'runtime', 'firstFile', 'bundle', 'encoderFiles', 'ready'] as const;
export type LoadMark = (typeof LOAD_MARKS)[number];

/** How a file was fetched (from the Worker's resource timing). */
export interface ResourceFetch {
  /** ms since load() started: request sent and response complete. */
  start: number;
  end: number;
  /** Bytes over the network (0 when the HTTP cache or a service worker answered). */
  transferSize: number;
}

export interface LoadTimings extends Partial<Record<LoadMark, number>> {
  /** Worker created → its script evaluated, ms. */
  script: number;
  /** onnxruntime-web's .wasm (another encoder than the built-in one). */
  wasm?: ResourceFetch;
  /** The encoder's .onnx file, when it came over HTTP (a first visit, or a changed bundle). */
  model?: ResourceFetch;
}

export class LoadClock {
  private readonly started = performance.now();
  private readonly marks: Partial<Record<LoadMark, number>> = {};

  /** Record `name` now (the first time only: a step that repeats keeps its first time). */
  mark(name: LoadMark): void {
    this.marks[name] ??= Math.round(performance.now() - this.started);
  }

  since(): number {
    return performance.now() - this.started;
  }

  timings(): LoadTimings {
    const wasm = this.fetched('.wasm');
    const model = this.fetched('.onnx');
    return { script: SCRIPT_EVALUATED, ...this.marks, ...(wasm ? { wasm } : {}), ...(model ? { model } : {}) };
  }

  private fetched(extension: string): ResourceFetch | undefined {
    const entry = performance
      .getEntriesByType('resource')
      .filter((e): e is PerformanceResourceTiming => e.name.split('?')[0].endsWith(extension))
      .find((e) => e.startTime >= this.started - 1);
    return entry && { start: Math.round(entry.startTime - this.started), end: Math.round(entry.responseEnd - this.started), transferSize: entry.transferSize };
  }
}
