/**
 * The encoder's dense-layer kernel: y = x·W + b against a plain loop over the layer's int16 weights,
 * SIMD and JavaScript alike (bit for bit); int8 two-term weights packed by the kernel into the same
 * int16 values as the trainer's; int16Weights itself; and the committed kernel bytes are what
 * matmul.wat assembles to.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { MatmulKernel } from '../../../src/bundle/use-lite/matmul-kernel.ts';
import { int16Weights, twoTermWeight, type Dense } from '../../../src/bundle/use-lite/use-lite-weights.ts';
import { KERNELS, assemble, kernelSource } from '../../../scripts/build-kernels.ts';
import { Worker } from 'node:worker_threads';
import { HELPER_CORE, canShareKernel, type KernelHelperSpawner } from '../../../src/bundle/use-lite/kernel-helper.ts';

/** A deterministic pseudo-random source (the same numbers on every machine). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

function dense(inputs: number, outputs: number, seed: number): Dense {
  const r = random(seed);
  return { inputs, outputs, weight: Float32Array.from({ length: inputs * outputs }, r), bias: Float32Array.from({ length: outputs }, r) };
}

/** x·W + b in float64 over the weights the kernel computes with (int16 values × their power-of-two scales). */
function reference(d: Dense, x: Float32Array, rows: number): Float64Array {
  const { values, scales } = int16Weights(d);
  const y = new Float64Array(rows * d.outputs);
  for (let m = 0; m < rows; m++) {
    for (let n = 0; n < d.outputs; n++) {
      let sum = d.bias[n];
      for (let k = 0; k < d.inputs; k++) sum += x[m * d.inputs + k] * values[k * d.outputs + n] * scales[n];
      y[m * d.outputs + n] = sum;
    }
  }
  return y;
}

describe('MatmulKernel', () => {
  for (const simd of [true, false]) {
    it(`multiplies like a plain loop (${simd ? 'WebAssembly SIMD' : 'JavaScript'}), odd row counts included`, () => {
      const layers = [dense(37, 48, 1), dense(48, 16, 2)];
      const kernel = new MatmulKernel(layers, 9, { simd });
      expect(kernel.simd).toBe(simd);
      const fallback = new MatmulKernel(layers, 9, { simd: !simd });
      for (const rows of [1, 2, 5, 9]) {
        for (const [i, layer] of layers.entries()) {
          const x = Float32Array.from({ length: rows * layer.inputs }, random(rows * 10 + i));
          const out = new Float32Array(rows * layer.outputs);
          kernel.run(kernel.layers[i], x, rows, out);
          const want = reference(layer, x, rows);
          out.forEach((v, j) => expect(Math.abs(v - want[j])).toBeLessThan(1e-5));
          // The other implementation gives the same float32 results, bit for bit.
          const other = new Float32Array(rows * layer.outputs);
          fallback.run(fallback.layers[i], x, rows, other);
          expect(other).toEqual(out);
        }
      }
    });
  }

  it('keeps float32 weights where asked (the trainer): the same outputs, bit for bit, as int16', () => {
    const layers = [dense(37, 48, 31), dense(48, 16, 32), dense(64, 32, 33)];
    const int16 = new MatmulKernel(layers, 9);
    const float32 = new MatmulKernel(layers, 9, { weights: 'float32' });
    expect([int16.weights, float32.weights]).toEqual(['int16', 'float32']);
    for (const rows of [1, 2, 3, 4, 5, 9]) {
      for (const [i, layer] of layers.entries()) {
        const x = Float32Array.from({ length: rows * layer.inputs }, random(rows * 7 + i));
        const want = new Float32Array(rows * layer.outputs);
        int16.run(int16.layers[i], x, rows, want);
        const got = new Float32Array(rows * layer.outputs);
        float32.run(float32.layers[i], x, rows, got);
        expect(got).toEqual(want);
      }
    }
    // Without SIMD the JavaScript loops keep int16.
    expect(new MatmulKernel(layers, 9, { weights: 'float32', simd: false }).weights).toBe('int16');
  });

  it('packs two-term int8 weights into the same int16 weights as the trainer (SIMD and JavaScript)', () => {
    const inputs = 24;
    const outputs = 32;
    const r = random(7);
    const values = Int8Array.from({ length: inputs * 2 * outputs }, () => Math.round(r() * 63));
    const scales = Float32Array.from({ length: 2 * outputs }, (_, i) => Math.fround((i < outputs ? 0.01 : 0.0001) * (1.5 + r())));
    const weight = Float32Array.from({ length: inputs * outputs }, (_, i) => twoTermWeight(values, scales, outputs, Math.floor(i / outputs), i % outputs));
    const bias = Float32Array.from({ length: outputs }, r);
    const quantised: Dense = { inputs, outputs, bias, weight, twoTerm: { values, scales } };
    // What the trainer's float32 graph holds: the int16 values times their scales.
    const int16 = int16Weights(quantised);
    const asTrained: Dense = { inputs, outputs, bias, weight: Float32Array.from(int16.values, (v, i) => v * int16.scales[i % outputs]) };
    const x = Float32Array.from({ length: 3 * inputs }, r);
    const outputsOf = (d: Dense, simd: boolean): Float32Array => {
      const kernel = new MatmulKernel([d], 3, { simd });
      const out = new Float32Array(3 * outputs);
      kernel.run(kernel.layers[0], x, 3, out);
      return out;
    };
    const want = outputsOf(asTrained, true);
    expect(outputsOf(quantised, true)).toEqual(want);
    expect(outputsOf(quantised, false)).toEqual(want);
    // and within half an int16 step of the two-term weights themselves
    weight.forEach((w, i) => expect(Math.abs(asTrained.weight[i] - w)).toBeLessThanOrEqual(int16.scales[i % outputs] / 2));
  });

  it('splits large layers with a helper thread on shared memory: the same outputs, bit for bit', async () => {
    const layers = [dense(512, 512, 21), dense(256, 768, 22), dense(64, 16, 23)]; // the last is too small to split
    const alone = new MatmulKernel(layers, 9);
    // A generous wait: on a loaded machine the helper may be late, and the test checks it really computed.
    const shared = new MatmulKernel(layers, 9, { shared: true, helperTimeoutMs: 60_000 });
    expect(shared.threads).toBe(1);
    const workers: Worker[] = [];
    const spawn: KernelHelperSpawner = (init) =>
      new Promise((resolve, reject) => {
        const script = `${HELPER_CORE}\nconst { parentPort } = require('node:worker_threads');\nparentPort.once('message', (init) => fwKernelHelper(init, () => parentPort.postMessage('ready')));`;
        const worker = new Worker(script, { eval: true });
        workers.push(worker);
        worker.once('message', () => resolve());
        worker.once('error', reject);
        worker.postMessage(init);
      });
    // float32 weights too: the helper computes with the function for them.
    const sharedFloat32 = new MatmulKernel(layers, 9, { shared: true, weights: 'float32', helperTimeoutMs: 60_000 });
    expect(await shared.startHelper(spawn)).toBe(true);
    expect(await sharedFloat32.startHelper(spawn)).toBe(true);
    expect(shared.threads).toBe(2);
    try {
      for (const rows of [1, 4, 7, 9]) {
        for (const [i, layer] of layers.entries()) {
          const x = Float32Array.from({ length: rows * layer.inputs }, random(rows * 100 + i));
          const want = new Float32Array(rows * layer.outputs);
          alone.run(alone.layers[i], x, rows, want);
          for (const kernel of [shared, sharedFloat32]) {
            const got = new Float32Array(rows * layer.outputs);
            kernel.run(kernel.layers[i], x, rows, got);
            expect(got).toEqual(want);
          }
        }
      }
      expect(sharedFloat32.threads).toBe(2);
      sharedFloat32.stopHelper();
      shared.stopHelper();
      expect(shared.threads).toBe(1);
      // alone again, the same
      const x = Float32Array.from({ length: 3 * 512 }, random(5));
      const want = new Float32Array(3 * 512);
      alone.run(alone.layers[0], x, 3, want);
      const got = new Float32Array(3 * 512);
      shared.run(shared.layers[0], x, 3, got);
      expect(got).toEqual(want);
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  });

  it('computes alone when no helper can start, or the memory is not shared', async () => {
    const layers = [dense(512, 512, 21)];
    expect(await new MatmulKernel(layers, 4).startHelper(async () => undefined)).toBe(false);
    const shared = new MatmulKernel(layers, 4, { shared: true });
    expect(await shared.startHelper(() => Promise.reject(new Error('no Worker here')))).toBe(false);
    expect(shared.threads).toBe(1);
  });

  it('asks for no shared memory where there is none (a page that is not cross-origin isolated)', async () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    try {
      expect(canShareKernel()).toBe(false);
      const kernel = new MatmulKernel([dense(512, 512, 21)], 4, { shared: true });
      expect(await kernel.startHelper(async () => undefined)).toBe(false);
      const out = new Float32Array(512);
      kernel.run(kernel.layers[0], Float32Array.from({ length: 512 }, random(3)), 1, out);
      expect(out.some((v) => v !== 0)).toBe(true);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('refuses a layer whose width is not a multiple of 8, and more rows than it was sized for', () => {
    expect(() => new MatmulKernel([dense(8, 20, 3)], 2)).toThrow(/20 outputs: the kernel needs a multiple of 8/);
    const kernel = new MatmulKernel([dense(8, 16, 3)], 2);
    expect(() => kernel.run(kernel.layers[0], new Float32Array(24), 3, new Float32Array(48))).toThrow(/3 rows: the kernel was sized for 2/);
  });
});

describe('int16Weights', () => {
  it('keeps each column within ±32767 under the smallest power-of-two scale, each weight within half a step', () => {
    const d = dense(40, 24, 11);
    // Column 3 all zeros, column 5 tiny, column 7 large.
    const weight = d.weight.map((w, i) => (i % 24 === 3 ? 0 : i % 24 === 5 ? w * 1e-6 : i % 24 === 7 ? w * 1e4 : w));
    const { values, scales } = int16Weights({ ...d, weight });
    expect(scales[3]).toBe(1);
    for (let n = 0; n < 24; n++) {
      expect(Number.isInteger(Math.log2(scales[n]))).toBe(true);
      let largest = 0;
      for (let k = 0; k < 40; k++) {
        const i = k * 24 + n;
        largest = Math.max(largest, Math.abs(values[i]));
        expect(Math.abs(values[i] * scales[n] - weight[i])).toBeLessThanOrEqual(scales[n] / 2);
      }
      if (n !== 3) {
        expect(largest).toBeLessThanOrEqual(32767);
        expect(largest).toBeGreaterThan(16383); // a smaller scale would not fit
      } else {
        expect(largest).toBe(0);
      }
    }
  });
});

describe('the committed kernel bytes', () => {
  it('are what the .wat sources assemble to (run `npm run build:kernels` after editing one)', async () => {
    for (const k of KERNELS) {
      const committed = readFileSync(fileURLToPath(new URL(`../../../${k.ts}`, import.meta.url)), 'utf8');
      expect(committed).toBe(kernelSource(k.wat, k.constName, await assemble(k.wat, k.shared), k.shared));
    }
  });
});
