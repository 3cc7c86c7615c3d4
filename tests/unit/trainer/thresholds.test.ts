/** How thresholds and outcomes come from held-out predictions (no model needed). */
import { describe, expect, it } from 'vitest';
import { OUT_OF_SCOPE } from '../../../src/index.ts';
import { chooseThresholds, lookAlikes, outcomes, SUPPORT_POLICY, THRESHOLD_POLICY, unseenStandIns, type Prediction } from '../../../trainer-node/train/evaluate.ts';
import { decideIntent, supportOf } from '../../../src/index.ts';

/** A prediction whose top label is `top` with `score`, the rest spread over two others. */
function pred(truth: string, top: string, score: number): Prediction {
  const others = ['a', 'b', 'c', OUT_OF_SCOPE].filter((l) => l !== top);
  const rest = (1 - score) / others.length;
  return { truth, ranked: [{ label: top, score }, ...others.map((label) => ({ label, score: rest }))] };
}

/** n in-scope rows right with scores spread evenly over [lo, hi]. */
function rightRows(n: number, lo: number, hi: number): Prediction[] {
  return Array.from({ length: n }, (_, i) => pred('a', 'a', lo + ((hi - lo) * i) / Math.max(1, n - 1)));
}

describe('chooseThresholds', () => {
  it('rejects below the highest minimum that keeps in-scope rejections within the budget', () => {
    // 100 in-scope rows, all right, scores 0.3 … 0.99: 10% of them are under ~0.37.
    const t = chooseThresholds(rightRows(100, 0.3, 0.99));
    const rejected = rightRows(100, 0.3, 0.99).filter((p) => p.ranked[0].score < t.minimum).length / 100;
    expect(rejected).toBeLessThanOrEqual(THRESHOLD_POLICY.inScopeRejectBudget);
    expect(t.minimum).toBeGreaterThan(THRESHOLD_POLICY.floor);
    expect(t.minimum).toBeLessThan(t.confident);
  });

  it('never sets the minimum above the cap, however confident the held-out rows are', () => {
    const t = chooseThresholds(rightRows(50, 0.95, 0.99));
    expect(t.minimum).toBeLessThanOrEqual(THRESHOLD_POLICY.minimumCap);
  });

  it('raises the confident threshold until few held-out out-of-scope rows would be executed', () => {
    const inScope = rightRows(100, 0.8, 0.99);
    const oos = Array.from({ length: 40 }, (_, i) => pred(OUT_OF_SCOPE, 'b', 0.5 + i * 0.005)); // 0.5 … 0.7
    const without = chooseThresholds(inScope);
    const withOos = chooseThresholds([...inScope, ...oos]);
    expect(without.confident).toBe(0.45);
    const executed = oos.filter((p) => p.ranked[0].score >= withOos.confident).length / oos.length;
    expect(executed).toBeLessThanOrEqual(THRESHOLD_POLICY.maxOutOfScopeExecuted);
    expect(withOos.confident).toBeGreaterThan(without.confident);
  });
});

/** In-scope row of label `truth` (scored `own`, nearest example at `ownSim`), runner-up `other` (`otherScore`, `otherSim`). */
function withSimilarity(truth: string, own: number, ownSim: number, other: string, otherScore: number, otherSim: number): Prediction {
  const rest = Math.max(0, 1 - own - otherScore);
  return { truth, ranked: [{ label: truth, score: own, similarity: ownSim }, { label: other, score: otherScore, similarity: otherSim }, { label: OUT_OF_SCOPE, score: rest }] };
}

describe('support thresholds (rows with similarities)', () => {
  // 200 in-scope rows: their own label well supported; the runner-up (what an unseen request would
  // get) farther away, with similarities spread from 0.3 to 0.9.
  const rows = Array.from({ length: 200 }, (_, i) => withSimilarity(i % 2 ? 'a' : 'b', 0.85, 0.9, i % 2 ? 'b' : 'a', 0.1, 0.3 + (0.6 * i) / 199));

  it('stands in for unseen intents with each in-scope row minus its own label, renormalised', () => {
    const [standIn] = unseenStandIns([rows[0]]);
    expect(standIn.truth).toBe(OUT_OF_SCOPE);
    expect(standIn.ranked.map((r) => r.label)).toEqual(['a', OUT_OF_SCOPE]);
    expect(standIn.ranked[0].score).toBeCloseTo(0.1 / 0.15, 12);
  });

  it('executes at most the target share of the stand-ins, rejects at most the budget of in-scope rows', () => {
    const t = chooseThresholds(rows, { kind: 'false-execution', share: SUPPORT_POLICY.falseExecution });
    expect(t.support).toBeDefined();
    const standIns = unseenStandIns(rows);
    const executed = standIns.filter((p) => decideIntent({ ranked: p.ranked, thresholds: t }).kind === 'confident').length / standIns.length;
    expect(executed).toBeLessThanOrEqual(SUPPORT_POLICY.falseExecution);
    const rejected = rows.filter((p) => decideIntent({ ranked: p.ranked, thresholds: t }).kind === 'out_of_scope').length / rows.length;
    expect(rejected).toBeLessThanOrEqual(SUPPORT_POLICY.inScopeRejectBudget);
    // The in-scope rows (support 0.85 × 0.9) are still executed.
    expect(rows.every((p) => decideIntent({ ranked: p.ranked, thresholds: t }).kind === 'confident')).toBe(true);
    expect(t.support!.execute).toBeLessThanOrEqual(supportOf(rows[0].ranked[0])!);
    expect(t.support!.reject).toBeLessThanOrEqual(t.support!.execute);
  });

  it('by default costs at most SUPPORT_POLICY.inScopeCost of the in-scope rows executed right, with the execute threshold at most its cap', () => {
    // In-scope rows right, probability 0.9, similarities 0.3 … 0.95: the weakest supported ones cost.
    const spread = Array.from({ length: 100 }, (_, i) => withSimilarity('a', 0.9, 0.3 + (0.65 * i) / 99, 'b', 0.05, 0.2));
    const t = chooseThresholds(spread);
    expect(t.support).toBeDefined();
    const right = (th: typeof t) => spread.filter((p) => decideIntent({ ranked: p.ranked, thresholds: th }).kind === 'confident').length / spread.length;
    const probabilityOnly = chooseThresholds(spread, { kind: 'probability' });
    expect(probabilityOnly.support).toBeUndefined();
    expect(right(probabilityOnly) - right(t)).toBeLessThanOrEqual(SUPPORT_POLICY.inScopeCost + 1e-9);
    expect(t.support!.execute).toBeGreaterThan(SUPPORT_POLICY.from);
    expect(t.support!.execute).toBeLessThanOrEqual(SUPPORT_POLICY.executeCap);
    // Well-supported rows (as a small workflow's near-copies of its examples) cannot push it over the cap.
    const near = Array.from({ length: 100 }, () => withSimilarity('a', 0.95, 0.97, 'b', 0.02, 0.2));
    expect(chooseThresholds(near).support!.execute).toBe(SUPPORT_POLICY.executeCap);
  });

  it('with the probability choice or without similarities, chooses probability thresholds only', () => {
    expect(chooseThresholds(rows, { kind: 'probability' }).support).toBeUndefined();
    expect(chooseThresholds(rightRows(100, 0.3, 0.99), { kind: 'false-execution', share: SUPPORT_POLICY.falseExecution }).support).toBeUndefined();
    expect(chooseThresholds(rightRows(100, 0.3, 0.99)).support).toBeUndefined();
  });
});

describe('outcomes', () => {
  it('splits in-scope and out-of-scope rows into executed, asked (with the right command listed or not) and rejected', () => {
    const th = { confident: 0.6, margin: 0.1, minimum: 0.3 };
    const rows = [pred('a', 'a', 0.9), pred('a', 'b', 0.9), pred('a', 'a', 0.5), pred('a', 'b', 0.5), pred('a', 'a', 0.2), pred(OUT_OF_SCOPE, 'b', 0.9), pred(OUT_OF_SCOPE, OUT_OF_SCOPE, 0.9)];
    const o = outcomes(rows, th);
    // 'a' at 0.5 is asked with a listed; 'b' at 0.5 is asked with only b above the minimum: a is not listed.
    expect(o.inScope).toEqual({ rows: 5, executedRight: 0.2, executedWrong: 0.2, asked: 0.4, askedRightListed: 0.2, rejected: 0.2 });
    expect(o.outOfScope).toEqual({ rows: 2, executed: 0.5, asked: 0, rejected: 0.5 });
  });
});

describe('lookAlikes (what drives a false-execution threshold up)', () => {
  const th = { confident: 0.6, margin: 0.1, minimum: 0.3 };
  /** A held-out row of `truth`, right at 0.55, with `twin` at 0.44 and both close to their examples (`similarity`). */
  const twinRow = (truth: string, twin: string, similarity: number): Prediction => ({
    truth,
    ranked: [
      { label: truth, score: 0.55, similarity },
      { label: twin, score: 0.44, similarity },
      { label: OUT_OF_SCOPE, score: 0.01 },
    ],
  });

  it('names the commands whose requests, with their own command taken out, are confidently and closely another\'s', () => {
    const rows = [...Array.from({ length: 5 }, () => twinRow('send_priority_message', 'send_message', 0.95)), ...Array.from({ length: 3 }, () => twinRow('send_message', 'send_priority_message', 0.95))];
    expect(lookAlikes(rows, th)).toEqual([
      { command: 'send_priority_message', lookAlike: 'send_message', rows: 5 },
      { command: 'send_message', lookAlike: 'send_priority_message', rows: 3 },
    ]);
  });

  it('leaves out stand-ins far from every example, or not confident, and built-ins', () => {
    const far = twinRow('a', 'b', 0.4); // support 0.98 × 0.4 < executeCap
    const unsure: Prediction = { truth: 'a', ranked: [{ label: 'a', score: 0.4, similarity: 0.9 }, { label: 'b', score: 0.3, similarity: 0.9 }, { label: 'c', score: 0.3, similarity: 0.9 }] };
    const builtin = twinRow('a', 'go_up', 0.95);
    expect(SUPPORT_POLICY.executeCap).toBeGreaterThan(0.98 * 0.4);
    expect(lookAlikes([far, unsure, builtin], th)).toEqual([]);
  });
});
