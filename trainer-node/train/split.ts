import { seededRandom, shuffled } from '../../src/util/rng.ts';

/**
 * Stratified split: about `fraction` of each label held out (at least one when a label has ≥ 3 rows).
 * With `groupOf`, rows of one group (e.g. the augmentations of one seed template) stay on the same side,
 * so the held-out rows are phrasings the model did not see in any form; a label with a single group
 * is split by rows.
 */
export function stratifiedSplit<T>(rows: readonly T[], labelOf: (row: T) => number, fraction: number, seed: number, groupOf?: (row: T) => string): { train: T[]; test: T[] } {
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
    const groups = groupOf ? groupsInOrder(items, groupOf) : [];
    if (groups.length >= 2) {
      let held = 0;
      for (const g of shuffled(groups, random)) {
        const side = held < n ? test : train;
        if (side === test) held += g.length;
        side.push(...g);
      }
      continue;
    }
    test.push(...items.slice(0, n));
    train.push(...items.slice(n));
  }
  return { train, test };
}

function groupsInOrder<T>(items: readonly T[], groupOf: (row: T) => string): T[][] {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = groupOf(item);
    if (!map.has(k)) map.set(k, []);
    map.get(k)!.push(item);
  }
  return [...map.keys()].sort().map((k) => map.get(k)!);
}
