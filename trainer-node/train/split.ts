import { seededRandom, shuffled } from '../../src/util/rng.ts';

/** Stratified split: about `fraction` of each label held out (at least one when a label has ≥ 3 rows). */
export function stratifiedSplit<T>(rows: readonly T[], labelOf: (row: T) => number, fraction: number, seed: number): { train: T[]; test: T[] } {
  const random = seededRandom(seed);
  const byLabel = new Map<number, T[]>();
  for (const r of rows) {
    const l = labelOf(r);
    if (!byLabel.has(l)) byLabel.set(l, []);
    byLabel.get(l)!.push(r);
  }
  const train: T[] = [];
  const test: T[] = [];
  for (const l of [...byLabel.keys()].sort((a, b) => a - b)) {
    const items = shuffled(byLabel.get(l)!, random);
    const n = items.length >= 3 ? Math.max(1, Math.round(items.length * fraction)) : 0;
    test.push(...items.slice(0, n));
    train.push(...items.slice(n));
  }
  return { train, test };
}
