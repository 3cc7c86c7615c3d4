/**
 * The head's WebAssembly kernel against float32 references written out in JavaScript (Math.fround
 * after every operation, in the kernel's order): equal to the bit, so a CPU or engine that computes
 * float32 otherwise (fused multiply-add, another summation order) fails here.
 */
import { describe, expect, it } from 'vitest';
import { HeadKernel } from '../../../trainer-node/train/head-kernel.ts';
import { seededRandom } from '../../../src/util/rng.ts';

const f = Math.fround;

/** Odd class count (a last class without a partner), dense columns not a multiple of 4, a short batch. */
const C = 5;
const DENSE = 10;
const COLS = 14;
const NB = 6;

function filled(seed: number): { kernel: HeadKernel; data: Float32Array } {
  const random = seededRandom(seed);
  const kernel = new HeadKernel(C, COLS, DENSE, NB);
  for (let c = 0; c < C; c++) for (let d = 0; d < COLS; d++) kernel.W[kernel.index(c, d)] = random() - 0.5;
  const data = Float32Array.from({ length: NB * COLS }, () => random() - 0.5);
  for (let k = 0; k < NB; k++) kernel.setRow(k, data, k);
  kernel.clearRowsFrom(NB);
  return { kernel, data };
}

/** The kernel's float32 dot product: four lane sums over the columns 4j + lane, then (l0 + l1) + (l2 + l3). */
function laneDot(a: (d: number) => number, b: (d: number) => number, n: number): number {
  const lanes = [0, 0, 0, 0];
  for (let d = 0; d < Math.ceil(n / 4) * 4; d++) lanes[d % 4] = f(lanes[d % 4] + f(d < n ? f(a(d) * b(d)) : 0));
  return f(f(lanes[0] + lanes[1]) + f(lanes[2] + lanes[3]));
}

describe('HeadKernel', () => {
  it('computes the dense logits of every batch row exactly as float32 lane sums', () => {
    const { kernel, data } = filled(1);
    kernel.logits();
    for (let k = 0; k < NB; k++) {
      for (let c = 0; c < C; c++) {
        const expected = laneDot((d) => kernel.W[kernel.index(c, d)], (d) => data[k * COLS + d], DENSE);
        expect(kernel.L[k * C + c]).toBe(expected);
      }
    }
  });

  it('adds the dense weight gradient Lᵀ·X in groups of four rows, skipping groups without gradient', () => {
    const { kernel, data } = filled(2);
    const random = seededRandom(3);
    kernel.L.fill(0);
    for (let k = 0; k < NB; k++) for (let c = 0; c < C; c++) kernel.L[k * C + c] = c === 1 ? 0 : random() - 0.5; // class 1: no gradient
    const before = Float32Array.from({ length: kernel.gW.length }, () => random());
    kernel.gW.set(before);
    kernel.gradient();
    for (let c = 0; c < C; c++) {
      for (let d = 0; d < DENSE; d++) {
        let expected = before[kernel.index(c, d)];
        for (let k0 = 0; k0 < kernel.rows; k0 += 4) {
          const t = [0, 1, 2, 3].map((r) => (k0 + r < NB ? f(kernel.L[(k0 + r) * C + c] * data[(k0 + r) * COLS + d]) : 0));
          if (c !== 1) expected = f(expected + f(f(t[0] + t[1]) + f(t[2] + t[3])));
        }
        expect(kernel.gW[kernel.index(c, d)]).toBe(expected);
      }
      // The sparse columns are JavaScript's: the kernel leaves them alone.
      for (let d = DENSE; d < COLS; d++) expect(kernel.gW[kernel.index(c, d)]).toBe(before[kernel.index(c, d)]);
    }
  });

  it('takes an Adam step over every weight exactly as float32 arithmetic', () => {
    const { kernel } = filled(4);
    const random = seededRandom(5);
    kernel.gW.set(Float32Array.from({ length: kernel.gW.length }, () => random() - 0.5));
    const W = kernel.W.slice();
    const g0 = kernel.gW.slice();
    const step = { invSum: 1 / 7, l2: 0.001, learningRate: 0.06, beta1: 0.9, beta2: 0.999, c1: 1 - 0.9, c2: 1 - 0.999, eps: 1e-8 };
    kernel.adam(step);
    kernel.adam(step); // the second step reads the moments the first one stored
    const [inv, l2, lr, b1, ob1, b2, ob2, c1, c2, eps] = [step.invSum, step.l2, step.learningRate, step.beta1, 1 - step.beta1, step.beta2, 1 - step.beta2, step.c1, step.c2, step.eps].map(f);
    for (let i = 0; i < W.length; i++) {
      let w = W[i];
      let m = 0;
      let v = 0;
      for (let s = 0; s < 2; s++) {
        const g = f(f(g0[i] * inv) + f(l2 * w));
        m = f(f(b1 * m) + f(ob1 * g));
        v = f(f(b2 * v) + f(ob2 * f(g * g)));
        w = f(w - f(f(lr * f(m / c1)) / f(f(Math.sqrt(f(v / c2))) + eps)));
      }
      expect(kernel.W[i]).toBe(w);
    }
  });

  it('maps the [C × D] layout in and out (padding columns stay zero)', () => {
    const { kernel } = filled(6);
    const out = kernel.weights();
    expect(out.length).toBe(C * COLS);
    for (let c = 0; c < C; c++) for (let d = 0; d < COLS; d++) expect(out[c * COLS + d]).toBe(kernel.W[kernel.index(c, d)]);
    expect(kernel.W[kernel.index(0, DENSE - 1) + 1]).toBe(0);
  });
});
