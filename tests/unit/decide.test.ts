import { describe, expect, it } from 'vitest';
import { decideIntent, OUT_OF_SCOPE } from '../../src/index.ts';

const t = { confident: 0.6, margin: 0.15, minimum: 0.25 };
const p = (scores: Record<string, number>) => ({ ranked: Object.entries(scores).map(([label, score]) => ({ label, score })), thresholds: t });

describe('intent decision', () => {
  it('is confident only above the threshold and clear of the runner-up', () => {
    expect(decideIntent(p({ a: 0.8, b: 0.1 }))).toMatchObject({ kind: 'confident', label: 'a' });
    expect(decideIntent(p({ a: 0.62, b: 0.55 }))).toMatchObject({ kind: 'ambiguous' });
    expect(decideIntent(p({ a: 0.5, b: 0.05 }))).toMatchObject({ kind: 'ambiguous' });
  });

  it('lists at most three candidates above the minimum, best first', () => {
    const d = decideIntent(p({ a: 0.3, b: 0.35, c: 0.28, d: 0.27, e: 0.1 }));
    expect(d.kind).toBe('ambiguous');
    if (d.kind === 'ambiguous') expect(d.candidates.map((c) => c.label)).toEqual(['b', 'a', 'c']);
  });

  it('never guesses: out-of-scope on top, or everything weak, is out of scope', () => {
    expect(decideIntent(p({ [OUT_OF_SCOPE]: 0.7, a: 0.2 })).kind).toBe('out_of_scope');
    expect(decideIntent(p({ a: 0.2, b: 0.1 })).kind).toBe('out_of_scope');
    expect(decideIntent({ ranked: [] }).kind).toBe('out_of_scope');
  });

  it('ignores labels not visible in the context', () => {
    expect(decideIntent(p({ hidden: 0.9, a: 0.7 }), new Set(['a']))).toMatchObject({ kind: 'confident', label: 'a' });
  });

  it('with support thresholds, a confident label far from its training examples is asked about or rejected', () => {
    const thresholds = { ...t, support: { execute: 0.6, reject: 0.3 } };
    const q = (similarity: number) => ({ ranked: [{ label: 'a', score: 0.9, similarity }, { label: 'b', score: 0.05 }], thresholds });
    expect(decideIntent(q(0.9))).toMatchObject({ kind: 'confident', label: 'a' }); // support 0.81
    expect(decideIntent(q(0.5)).kind).toBe('ambiguous'); // 0.45: between reject and execute
    expect(decideIntent(q(0.2)).kind).toBe('out_of_scope'); // 0.18
    // A classifier without similarities (lexical, scripted) decides on the probabilities alone.
    expect(decideIntent({ ranked: [{ label: 'a', score: 0.9 }], thresholds })).toMatchObject({ kind: 'confident', label: 'a' });
  });
});
