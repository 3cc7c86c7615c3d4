/**
 * The encoder told its width by the bundle (`dim`): created without a probe run, and a model that
 * gives vectors of another width is refused with a "re-train" error instead of being scored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOnnxEncoder, readEncoderFiles, type EncoderFiles, type OrtModule } from '../../src/bundle/index.ts';
import { nodeOrt } from '../../trainer-node/node-encoder.ts';
import { makeTinyBert } from '../fixtures/tiny-bert/make-tiny-bert.ts';

const HIDDEN = 32;
let root: string;
let files: EncoderFiles;
let ort: OrtModule;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'encoder-dim-'));
  const dir = await makeTinyBert(path.join(root, 'tiny-bert'), { seed: 3, hidden: HIDDEN });
  files = await readEncoderFiles((p) => readFile(path.join(dir, p)).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)), '', 'fp32');
  ort = (await nodeOrt()).ort;
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** The runtime with its sessions' runs counted. */
function counting(): { ort: OrtModule; runs: () => number } {
  let runs = 0;
  const create: OrtModule['InferenceSession']['create'] = async (model, options) => {
    const session = await ort.InferenceSession.create(model, options);
    return { inputNames: session.inputNames, outputNames: session.outputNames, run: (feeds) => (runs++, session.run(feeds)) };
  };
  return { ort: { ...ort, InferenceSession: { create } }, runs: () => runs };
}

describe('createOnnxEncoder with the width known', () => {
  it('runs nothing at creation and embeds like the probing encoder', async () => {
    const known = counting();
    const encoder = await createOnnxEncoder({ ort: known.ort, files, dim: HIDDEN });
    expect(encoder.dim).toBe(HIDDEN);
    expect(known.runs()).toBe(0);
    const probing = counting();
    const reference = await createOnnxEncoder({ ort: probing.ort, files });
    expect(probing.runs()).toBe(1);
    const [a] = await encoder.embed(['open the second item']);
    const [b] = await reference.embed(['open the second item']);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('refuses vectors of another width than the bundle expects, saying to re-train', async () => {
    const encoder = await createOnnxEncoder({ ort, files, dim: HIDDEN * 2 });
    await expect(encoder.embed(['hello'])).rejects.toThrow(/gives vectors of 32 values; the bundle expects 64\. Re-train/);
  });
});
