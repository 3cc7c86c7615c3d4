/// <reference lib="webworker" />
/**
 * Where a Worker load's time goes: marks taken in the Worker (ms since load() was called; the steps
 * overlap, so they are points in time, not durations), and how the runtime's WebAssembly arrived.
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

/** How the runtime's .wasm file was fetched (from the Worker's resource timing). */
export interface WasmFetch {
  /** ms since load() started: request sent and response complete. */
  start: number;
  end: number;
  /** Bytes over the network (0 when the HTTP cache or a service worker answered). */
  transferSize: number;
}

export interface LoadTimings extends Partial<Record<LoadMark, number>> {
  /** Worker created → its script evaluated, ms. */
  script: number;
  wasm?: WasmFetch;
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
    const wasm = performance
      .getEntriesByType('resource')
      .filter((e): e is PerformanceResourceTiming => e.name.split('?')[0].endsWith('.wasm'))
      .find((e) => e.startTime >= this.started - 1);
    return {
      script: SCRIPT_EVALUATED,
      ...this.marks,
      ...(wasm ? { wasm: { start: Math.round(wasm.startTime - this.started), end: Math.round(wasm.responseEnd - this.started), transferSize: wasm.transferSize } } : {}),
    };
  }
}
