/** Percentiles of timings (ms). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summary(values: readonly number[]): { p50: number; p95: number; n: number } {
  return { p50: round(percentile(values, 50)), p95: round(percentile(values, 95)), n: values.length };
}

export function round(v: number, digits = 2): number {
  const k = 10 ** digits;
  return Math.round(v * k) / k;
}

/** Short utterances of the examples, used for latency runs. */
export const UTTERANCES = [
  'open the second item',
  'this one is finished',
  'make this high priority',
  "what's on the list",
  'rename it to pay the bills',
  'show me the details',
  'go up',
  'what can I do here',
  'mark it as done',
  'remind me to call mom',
];
