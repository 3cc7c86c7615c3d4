/** Levenshtein distance with an early exit once `max` is exceeded. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** Similarity in [0, 1]: 1 − distance / longer length. */
export function similarity(a: string, b: string): number {
  const len = Math.max(a.length, b.length);
  return len === 0 ? 1 : 1 - editDistance(a, b) / len;
}

export interface FuzzyMatch<T> {
  item: T;
  score: number;
}

/** Rank `items` by similarity of `key(item)` to `query`; keep those scoring at least `min`. */
export function fuzzyRank<T>(query: string, items: readonly T[], key: (item: T) => string, min = 0.6): FuzzyMatch<T>[] {
  const q = query.toLowerCase();
  return items
    .map((item) => ({ item, score: similarity(q, key(item).toLowerCase()) }))
    .filter((m) => m.score >= min)
    .sort((x, y) => y.score - x.score);
}
