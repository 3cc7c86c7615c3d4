/**
 * The built-in encoder without ONNX Runtime (what the page runs): the same numbers as
 * onnxruntime-node on a graph of the same float32 weights (what the trainer runs), close to the
 * original fp32 model, identical with and without SIMD, and clear errors for other models.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOnnxEncoder, createUseLiteEncoder, isUseLiteModel, readEncoderFiles, type EncoderFiles } from '../../../src/bundle/index.ts';
import { ErrorCode, FastWorkflowError } from '../../../src/errors.ts';
import { computedWeights, readUseLiteWeights } from '../../../src/bundle/use-lite/use-lite-weights.ts';
import { createNodeEncoder, nodeOrt } from '../../../trainer-node/node-encoder.ts';
import { createThreadedUseLiteEncoder, THREADED_MIN_TEXTS } from '../../../trainer-node/use-lite-threads.ts';
import { buildUseLiteModel, fp32Variant } from '../../../trainer-node/models/use-lite/build-graph.ts';
import { prepareUseLite } from '../../../trainer-node/models/use-lite/prepare.ts';
import { makeTinyBert } from '../../fixtures/tiny-bert/make-tiny-bert.ts';
import { SENTENCES } from './sentences.ts';

let root: string;
let dir: string;
let q8: EncoderFiles;
let fp32: EncoderFiles;

const read = (folder: string, dtype: 'q8' | 'fp32') =>
  readEncoderFiles(async (p) => new Uint8Array(readFileSync(path.join(folder, p))), '', dtype);

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'use-lite-encoder-'));
  dir = (await prepareUseLite({ outDir: path.join(root, 'use-lite-en'), force: true })).dir;
  [q8, fp32] = await Promise.all([read(dir, 'q8'), read(dir, 'fp32')]);
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, v, i) => s + v * b[i], 0);
const maxDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('the built-in encoder on its WebAssembly kernel', () => {
  it('computes what the trainer computes: onnxruntime-node on the same int16 weights', async () => {
    const page = createUseLiteEncoder({ files: q8 });
    expect(page.simd).toBe(true);
    const trainer = await createNodeEncoder(dir, 'q8');
    expect(trainer.runtime).toBe('onnxruntime-node');
    const [a, b] = await Promise.all([page.embed(SENTENCES), trainer.embed(SENTENCES)]);
    for (let i = 0; i < SENTENCES.length; i++) {
      expect(maxDiff(a[i], b[i]), SENTENCES[i]).toBeLessThan(2e-6);
      expect(dot(a[i], b[i]), SENTENCES[i]).toBeGreaterThan(0.999999);
    }
  });

  it('stays close to the original float32 model', async () => {
    const original = await createOnnxEncoder({ ort: (await nodeOrt()).ort, files: fp32 });
    const [a, b] = await Promise.all([createUseLiteEncoder({ files: q8 }).embed(SENTENCES), original.embed(SENTENCES)]);
    const cosines = a.map((v, i) => dot(v, b[i]));
    expect(Math.min(...cosines)).toBeGreaterThan(0.9995);
  });

  it('runs the fp32 file too: as onnxruntime does on its int16 weights, and close to the file itself', async () => {
    const { ort } = await nodeOrt();
    const weights = computedWeights(readUseLiteWeights(fp32.model));
    const asComputed = await createOnnxEncoder({ ort, files: { ...fp32, model: buildUseLiteModel(weights, fp32Variant, 'int16') } });
    const original = await createOnnxEncoder({ ort, files: fp32 });
    const page = createUseLiteEncoder({ files: fp32 });
    const [a, b, c] = await Promise.all([page.embed(SENTENCES), asComputed.embed(SENTENCES), original.embed(SENTENCES)]);
    for (let i = 0; i < SENTENCES.length; i++) {
      expect(maxDiff(a[i], b[i]), SENTENCES[i]).toBeLessThan(2e-6);
      expect(dot(a[i], c[i]), SENTENCES[i]).toBeGreaterThan(0.99999);
    }
  });

  it('gives the same vectors, bit for bit, without WebAssembly SIMD', async () => {
    const texts = SENTENCES.slice(0, 6);
    const [a, b] = await Promise.all([createUseLiteEncoder({ files: q8 }).embed(texts), createUseLiteEncoder({ files: q8, simd: false }).embed(texts)]);
    expect(createUseLiteEncoder({ files: q8, simd: false }).simd).toBe(false);
    expect(b).toEqual(a);
  });

  it('gives the same vectors, bit for bit, for many texts at once with float32 weights (the trainer) as for one text at a time (the page)', async () => {
    // An empty text, texts longer than the model takes (each fills a stack of rows on its own) and
    // short ones between them, so stacks start and end everywhere.
    const texts = ['', ...SENTENCES, 'word '.repeat(300), 'ok', 'a b c', ...SENTENCES.slice(0, 5).map((s) => `${s} ${s}`), 'order '.repeat(127)];
    const page = createUseLiteEncoder({ files: q8 });
    const oneByOne: Float32Array[] = [];
    for (const t of texts) oneByOne.push(...(await page.embed([t])));
    const trainer = createUseLiteEncoder({ files: q8, weights: 'float32' });
    const together = await trainer.embed(texts);
    expect(together).toHaveLength(texts.length);
    together.forEach((v, i) => expect(v, texts[i].slice(0, 40)).toEqual(oneByOne[i]));
    expect(await createUseLiteEncoder({ files: q8 }).embed(texts)).toEqual(oneByOne);
    // More texts than a stack has rows, none with a token row of its own (the empty text): still one vector each.
    const empties = await trainer.embed(Array.from({ length: 300 }, () => ''));
    expect(empties).toHaveLength(300);
    empties.forEach((v) => expect(v).toEqual(oneByOne[0]));
  });

  it('gives a unit vector for an empty text and for a text longer than the model takes', async () => {
    const encoder = createUseLiteEncoder({ files: q8 });
    const [empty, long] = await encoder.embed(['', 'word '.repeat(300)]);
    for (const v of [empty, long]) {
      expect(v).toHaveLength(512);
      expect(dot(v, v)).toBeCloseTo(1, 5);
    }
  });

  it('stops between texts when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(createUseLiteEncoder({ files: q8 }).embed(['a', 'b'], { signal: controller.signal })).rejects.toMatchObject({ code: ErrorCode.Aborted });
  });
});

describe('models it does not run', () => {
  it('recognises the built-in model by its graph', async () => {
    const tiny = await makeTinyBert(path.join(root, 'tiny-bert'), { seed: 1, hidden: 32 });
    const other = await read(tiny, 'fp32');
    expect(isUseLiteModel(q8.model)).toBe(true);
    expect(isUseLiteModel(other.model)).toBe(false);
    expect(isUseLiteModel(new Uint8Array([1, 2, 3]))).toBe(false);
    const refusal = (() => {
      try {
        createUseLiteEncoder({ files: { ...q8, model: other.model }, name: 'my-model' });
      } catch (err) {
        return err;
      }
    })();
    expect(refusal).toBeInstanceOf(FastWorkflowError);
    expect(refusal).toMatchObject({ code: ErrorCode.ModelInvalid });
    expect((refusal as Error).message).toMatch(/my-model could not be read as the built-in USE-Lite encoder: the graph is "\w*", not the built-in USE-Lite encoder/);
  });

  it('refuses damaged bytes and a width the bundle does not expect, saying what to do', () => {
    const damaged = q8.model.slice(0, 5000);
    expect(() => createUseLiteEncoder({ files: { ...q8, model: damaged } })).toThrow(/could not be read as the built-in USE-Lite encoder: .*Re-train the bundle/);
    expect(() => createUseLiteEncoder({ files: q8, dim: 384, name: 'b' })).toThrow(/b gives vectors of 512 values; the bundle expects 384\. Re-train the bundle/);
  });
});

describe('the built-in encoder on worker threads (training without onnxruntime-node)', () => {
  const texts = Array.from({ length: 150 }, (_, i) => `${SENTENCES[i % SENTENCES.length]} ${i}`);
  const bytes = (vs: Float32Array[]) => Buffer.concat(vs.map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength)));

  it('gives exactly the vectors of one thread, in the order of the texts', async () => {
    const one = createUseLiteEncoder({ files: q8 });
    const threaded = createThreadedUseLiteEncoder(q8, 'test', 3);
    try {
      expect(threaded.threads).toBe(3);
      const vectors = await threaded.embed(texts);
      expect(vectors).toHaveLength(texts.length);
      expect(bytes(vectors)).toEqual(bytes(await one.embed(texts)));
      // a call under THREADED_MIN_TEXTS runs on the calling thread: the same vectors
      expect(bytes(await threaded.embed(texts.slice(0, 5)))).toEqual(bytes(vectors.slice(0, 5)));
    } finally {
      await threaded.close();
    }
  });

  it('is what createNodeEncoder gives without onnxruntime-node (FASTWORKFLOW_ORT=web)', async () => {
    const before = process.env.FASTWORKFLOW_ORT;
    process.env.FASTWORKFLOW_ORT = 'web';
    try {
      const encoder = await createNodeEncoder(dir, 'q8');
      expect(encoder.runtime).toBe('use-lite-wasm');
      expect(encoder.threads).toBe(Math.max(1, os.availableParallelism()));
      expect(bytes(await encoder.embed(texts.slice(0, THREADED_MIN_TEXTS)))).toEqual(bytes(await createUseLiteEncoder({ files: q8 }).embed(texts.slice(0, THREADED_MIN_TEXTS))));
    } finally {
      if (before === undefined) delete process.env.FASTWORKFLOW_ORT;
      else process.env.FASTWORKFLOW_ORT = before;
    }
  });

  it('an aborted call throws the abort error; after close() calls run on the calling thread', async () => {
    const threaded = createThreadedUseLiteEncoder(q8, 'test', 2);
    const expected = bytes(await createUseLiteEncoder({ files: q8 }).embed(texts.slice(0, THREADED_MIN_TEXTS)));
    await expect(threaded.embed(texts.slice(0, THREADED_MIN_TEXTS), { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: ErrorCode.Aborted });
    expect(bytes(await threaded.embed(texts.slice(0, THREADED_MIN_TEXTS)))).toEqual(expected);
    await threaded.close();
    expect(bytes(await threaded.embed(texts.slice(0, THREADED_MIN_TEXTS)))).toEqual(expected);
  });
});
