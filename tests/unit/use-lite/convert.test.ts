import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutoModel, AutoTokenizer, env, pipeline } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAMP_FILE, prepareUseLite } from '../../../trainer-node/models/use-lite/prepare.ts';
import { SENTENCES } from './sentences.ts';

/** The independent reference conversion (read-only, outside the repo); its tests skip when it is absent. */
const REFERENCE_DIR = fileURLToPath(new URL('../../../../shared/models/use-lite-en', import.meta.url));
const hasReference = existsSync(path.join(REFERENCE_DIR, 'onnx', 'model.onnx'));
const DIM = 512;

env.allowRemoteModels = false;

let root: string;
let converted: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'use-lite-convert-'));
  converted = (await prepareUseLite({ outDir: path.join(root, 'first'), force: true })).dir;
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function fileHashes(dir: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    hashes[path.relative(dir, file)] = createHash('sha256').update(readFileSync(file)).digest('hex');
  }
  return hashes;
}

function readJson(dir: string, file: string): unknown {
  return JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
}

/** Runs `dir`'s encoder on `texts` as one right-padded batch, tokenised by `tokenizerDir`. */
async function encode(dir: string, dtype: 'fp32' | 'q8', texts: readonly string[], tokenizerDir = dir) {
  const tokenizer = await AutoTokenizer.from_pretrained(tokenizerDir);
  const model = await AutoModel.from_pretrained(dir, { dtype });
  try {
    const inputs = tokenizer([...texts], { padding: true, truncation: true });
    const outputs = await model(inputs);
    return {
      sentence: outputs.sentence_embedding.data as Float32Array,
      tokens: outputs.token_embeddings.data as Float32Array,
      lastHidden: outputs.last_hidden_state,
      seqLength: inputs.input_ids.dims[1] as number,
    };
  } finally {
    await model.dispose();
  }
}

function cosines(a: Float32Array, b: Float32Array, dim = DIM): number[] {
  const result: number[] = [];
  for (let row = 0; row * dim < a.length; row++) {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let i = row * dim; i < (row + 1) * dim; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    result.push(dot / Math.sqrt(na * nb));
  }
  return result;
}

describe('prepareUseLite', () => {
  it('writes a transformers.js model folder with a stamp', () => {
    expect(Object.keys(fileHashes(converted)).sort()).toEqual(
      [
        STAMP_FILE,
        'LICENSE',
        'SOURCE.md',
        'config.json',
        'onnx/model.onnx',
        'onnx/model_quantized.onnx',
        'special_tokens_map.json',
        'tokenizer.json',
        'tokenizer_config.json',
      ].sort(),
    );
    expect(readJson(converted, 'config.json')).toMatchObject({ model_type: 'bert', hidden_size: DIM, pad_token_id: 2 });
  });

  it('is byte-for-byte deterministic', async () => {
    const again = await prepareUseLite({ outDir: path.join(root, 'second'), force: true });
    expect(fileHashes(again.dir)).toEqual(fileHashes(converted));
  });

  it('reuses a folder whose stamp matches and rebuilds a damaged one', async () => {
    const dir = path.join(root, 'second');
    expect((await prepareUseLite({ outDir: dir })).reused).toBe(true);
    writeFileSync(path.join(dir, 'config.json'), '{}');
    expect((await prepareUseLite({ outDir: dir })).reused).toBe(false);
    expect(fileHashes(dir)).toEqual(fileHashes(converted));
  });

  it.each(['fp32', 'q8'] as const)('gives the USE embedding through the %s feature-extraction pipeline', async (dtype) => {
    const direct = await encode(converted, dtype, SENTENCES);
    const extractor = await pipeline('feature-extraction', converted, { dtype });
    try {
      const pooled = await extractor([...SENTENCES], { pooling: 'mean', normalize: true });
      expect(pooled.dims).toEqual([SENTENCES.length, DIM]);
      expect(Math.min(...cosines(pooled.data as Float32Array, direct.sentence))).toBeGreaterThan(0.99999);
      expect(direct.lastHidden.dims).toEqual([SENTENCES.length, direct.seqLength, DIM]);
    } finally {
      await extractor.dispose();
    }
  });
});

describe.skipIf(!hasReference)('against the reference conversion in ../shared', () => {
  it('builds the same tokenizer files', () => {
    for (const file of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) {
      expect(readJson(converted, file), file).toEqual(readJson(REFERENCE_DIR, file));
    }
  });

  it('gives the same token ids', async () => {
    const ours = await AutoTokenizer.from_pretrained(converted);
    const reference = await AutoTokenizer.from_pretrained(REFERENCE_DIR);
    for (const sentence of SENTENCES) {
      expect(ours.encode(sentence), sentence).toEqual(reference.encode(sentence));
    }
  });

  it('matches the reference fp32 encoder (batched, padded)', async () => {
    const ours = await encode(converted, 'fp32', SENTENCES);
    const reference = await encode(REFERENCE_DIR, 'fp32', SENTENCES, converted);
    expect(Math.min(...cosines(ours.sentence, reference.sentence))).toBeGreaterThanOrEqual(0.9999);
    const tokenDiff = ours.tokens.reduce((max, v, i) => Math.max(max, Math.abs(v - reference.tokens[i])), 0);
    expect(tokenDiff).toBeLessThan(1e-4);
  });

  it('keeps the int8 encoder close to the reference fp32 encoder (batched, padded)', async () => {
    const ours = await encode(converted, 'q8', SENTENCES);
    const reference = await encode(REFERENCE_DIR, 'fp32', SENTENCES, converted);
    expect(Math.min(...cosines(ours.sentence, reference.sentence))).toBeGreaterThanOrEqual(0.998);
  });
});
