/**
 * The held-out similarities computed on a worker thread while the head is fitted: the same numbers,
 * bit for bit, as the runtime's neighbourSimilarities on the calling thread.
 */
import { describe, expect, it } from 'vitest';
import { neighbourSimilarities, type NeighbourMemory } from '../../../src/bundle/context-model.ts';
import { startHeldOutSimilarities } from '../../../trainer-node/train/similarity-thread.ts';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

const DIM = 24;
const random = seeded(7);
const unit = () => {
  const v = Float32Array.from({ length: DIM }, random);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const labels = ['a', 'b', 'c', 'd', 'e'];
const memoryRows = Array.from({ length: 40 }, unit);
// Label 4 has no memory rows: its similarity stays -1.
const memory: NeighbourMemory = { labels, dim: DIM, memory: Float32Array.from(memoryRows.flatMap((v) => [...v])), memoryLabels: Uint16Array.from(memoryRows, (_, i) => i % 4) };
const rows = Array.from({ length: 33 }, unit);
const expected = rows.map((x) => neighbourSimilarities(memory, x));

describe('held-out similarities beside the head fit', () => {
  it('gives on a worker thread exactly what the calling thread computes', async () => {
    const { similarities: got, onThread } = await startHeldOutSimilarities(memory, rows, 0).result;
    expect(onThread).toBe(true);
    expect(got).toHaveLength(rows.length);
    got.forEach((s, i) => expect(s).toEqual(expected[i]));
    expect(got[0][4]).toBe(-1);
  });

  it('computes small jobs on the calling thread', async () => {
    expect(await startHeldOutSimilarities(memory, rows).result).toEqual({ similarities: expected, onThread: false });
  });
});
