/**
 * The trainer and the transformers.js encoder with "any BERT-class model": a tiny randomly
 * initialised BERT (WordPiece tokenizer; input_ids / attention_mask / token_type_ids) generated
 * into a temp dir, used end to end. Random weights: nothing here checks accuracy.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AutoModel, AutoTokenizer, Tensor, env, pipeline } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import helloWorld from '../../../demo/workflows/hello_world/workflow.ts';
import { FastWorkflowError, type IntentScore } from '../../../src/index.ts';
import { parseManifest } from '../../../src/bundle/index.ts';
import { loadNodeBundleClassifier } from '../../../trainer-node/bundle-node.ts';
import { trainWorkflow } from '../../../trainer-node/train/train.ts';
import { INPUT_NAMES, makeTinyBert, tinyBertVocab } from '../../fixtures/tiny-bert/make-tiny-bert.ts';

const HIDDEN = 32;
const SEED = 7;

let root: string;
let modelDir: string;

beforeAll(async () => {
  env.allowRemoteModels = false;
  root = mkdtempSync(path.join(os.tmpdir(), 'tiny-bert-'));
  modelDir = await makeTinyBert(path.join(root, 'tiny-bert'), { seed: SEED, hidden: HIDDEN });
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

function files(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[path.relative(dir, path.join(entry.parentPath, entry.name))] = readFileSync(path.join(entry.parentPath, entry.name));
  }
  return out;
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

describe('tiny BERT fixture', () => {
  it('writes a Hugging Face model folder, byte-identical for the same seed', async () => {
    const first = files(modelDir);
    expect(Object.keys(first).sort()).toEqual([
      'config.json',
      'onnx/model.onnx',
      'onnx/model_quantized.onnx',
      'special_tokens_map.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'vocab.txt',
    ]);
    const again = files(await makeTinyBert(path.join(root, 'again'), { seed: SEED, hidden: HIDDEN }));
    for (const [name, bytes] of Object.entries(first)) expect(again[name].equals(bytes), name).toBe(true);
    const other = files(await makeTinyBert(path.join(root, 'other-seed'), { seed: SEED + 1, hidden: HIDDEN }));
    expect(other['onnx/model.onnx'].equals(first['onnx/model.onnx'])).toBe(false);
    expect(other['tokenizer.json'].equals(first['tokenizer.json'])).toBe(true);

    const config = JSON.parse(first['config.json'].toString('utf8'));
    expect(config).toMatchObject({ model_type: 'bert', architectures: ['BertModel'], hidden_size: HIDDEN, vocab_size: tinyBertVocab().length, type_vocab_size: 2 });
    expect(first['vocab.txt'].toString('utf8').trimEnd().split('\n')).toEqual(tinyBertVocab());
  });

  it('has a WordPiece tokenizer that adds [CLS] … [SEP] and returns token_type_ids', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(modelDir);
    const vocab = tinyBertVocab();
    const id = (t: string) => BigInt(vocab.indexOf(t));

    expect(tokenizer.tokenize('Add 49 and 51, please!')).toEqual(['add', '4', '##9', 'and', '5', '##1', ',', 'please', '!']);
    expect(tokenizer.tokenize('Renewing my passport')).toEqual(['renew', '##ing', 'my', 'passport']);
    expect(tokenizer.tokenize('xyzzy')).toEqual(['[UNK]']);

    const single = tokenizer('what can I do');
    expect(single.input_ids.tolist()).toEqual([[id('[CLS]'), id('what'), id('can'), id('i'), id('do'), id('[SEP]')]]);
    expect(single.token_type_ids?.tolist()).toEqual([[0n, 0n, 0n, 0n, 0n, 0n]]);

    const pair = tokenizer('go up', { text_pair: 'reset' });
    expect(pair.input_ids.tolist()).toEqual([[id('[CLS]'), id('go'), id('up'), id('[SEP]'), id('reset'), id('[SEP]')]]);
    expect(pair.token_type_ids?.tolist()).toEqual([[0n, 0n, 0n, 0n, 1n, 1n]]);

    const batch = tokenizer(['help', 'show my todos'], { padding: true, truncation: true });
    expect(batch.input_ids.dims).toEqual([2, 5]);
    expect(batch.attention_mask.tolist()).toEqual([
      [1n, 1n, 1n, 0n, 0n],
      [1n, 1n, 1n, 1n, 1n],
    ]);
    expect(batch.input_ids.tolist()[0].slice(3)).toEqual([0n, 0n]);
  });

  it('runs as a BERT model whose graph reads token_type_ids', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(modelDir);
    const model = await AutoModel.from_pretrained(modelDir, { dtype: 'fp32' });
    try {
      const session = (model as unknown as { sessions: Record<string, { inputNames: string[] }> }).sessions.model;
      expect([...session.inputNames].sort()).toEqual([...INPUT_NAMES].sort());

      const texts = ['add 3 and 4', 'where am i now'];
      const inputs = tokenizer(texts, { padding: true, truncation: true });
      const { last_hidden_state: states } = await model(inputs);
      const [batch, seq, hidden] = states.dims;
      expect([batch, seq, hidden]).toEqual([2, inputs.input_ids.dims[1], HIDDEN]);

      // token_type_ids change the output, so they are a real input of the graph.
      const ones = new Tensor('int64', new BigInt64Array(batch * seq).fill(1n), [batch, seq]);
      const { last_hidden_state: typed } = await model({ ...inputs, token_type_ids: ones });
      const a = states.data as Float32Array;
      const b = typed.data as Float32Array;
      expect(a.some((v, i) => Math.abs(v - b[i]) > 1e-3)).toBe(true);

      // The feature-extraction pipeline = masked mean of last_hidden_state, normalised.
      const extractor = await pipeline('feature-extraction', modelDir, { dtype: 'fp32' });
      const pooled = await extractor(texts, { pooling: 'mean', normalize: true });
      expect(pooled.dims).toEqual([2, HIDDEN]);
      const mask = inputs.attention_mask.data as BigInt64Array;
      for (let r = 0; r < batch; r++) {
        const row = (pooled.data as Float32Array).slice(r * HIDDEN, (r + 1) * HIDDEN);
        expect(norm(row)).toBeCloseTo(1, 5);
        const mean = new Float64Array(HIDDEN);
        let count = 0;
        for (let t = 0; t < seq; t++) {
          if (mask[r * seq + t] === 0n) continue;
          count++;
          for (let d = 0; d < HIDDEN; d++) mean[d] += a[(r * seq + t) * HIDDEN + d];
        }
        const n = norm(mean.map((v) => v / count));
        for (let d = 0; d < HIDDEN; d++) expect(row[d]).toBeCloseTo(mean[d] / count / n, 4);
      }
      await extractor.dispose();

      // The int8 variant loads too and stays close to fp32.
      const quantized = await pipeline('feature-extraction', modelDir, { dtype: 'q8' });
      const q = await quantized(texts, { pooling: 'mean', normalize: true });
      expect(q.dims).toEqual([2, HIDDEN]);
      for (let r = 0; r < batch; r++) {
        let dot = 0;
        for (let d = 0; d < HIDDEN; d++) dot += (q.data as Float32Array)[r * HIDDEN + d] * (pooled.data as Float32Array)[r * HIDDEN + d];
        expect(dot).toBeGreaterThan(0.95);
      }
      await quantized.dispose();
    } finally {
      await model.dispose();
    }
  });
});

describe('training on a BERT-class model', () => {
  it('trains hello_world on the tiny BERT (fp32) and classifies with the bundle', async () => {
    const outDir = path.join(root, 'bundle');
    const summary = await trainWorkflow({ workflow: helloWorld, baseModel: modelDir, dtype: 'fp32', outDir, seed: 1, maxPerLabel: 20 });
    expect(summary.encoder).toBe('local:tiny-bert');
    expect(summary.contexts.map((c) => c.context)).toEqual(['*']);

    const manifest = parseManifest(JSON.parse(await readFile(path.join(outDir, 'manifest.json'), 'utf8')));
    expect(manifest.encoder).toMatchObject({ source: 'local:tiny-bert', dtype: 'fp32', dim: HIDDEN, pooling: 'mean', normalize: true });
    expect(manifest.encoder.source).toMatch(/^local:/);
    const bundled = manifest.files.map((f) => f.path);
    expect(bundled).toEqual(expect.arrayContaining(['model/config.json', 'model/tokenizer.json', 'model/tokenizer_config.json', 'model/onnx/model.onnx']));

    const classifier = await loadNodeBundleClassifier(outDir, helloWorld);
    const labels = manifest.contexts['*'].labels;
    expect(labels).toContain('add_two_numbers');
    const { ranked } = await classifier.classify('please add 3 and 4', '*');
    expect(ranked.map((r: IntentScore) => r.label).sort()).toEqual([...labels].sort());
    const scores = ranked.map((r: IntentScore) => r.score);
    expect(scores.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeLessThanOrEqual(scores[i - 1]);
    for (const s of scores) expect(Number.isFinite(s) && s >= 0).toBe(true);
  });

  it('refuses a model folder without tokenizer.json, naming the file', async () => {
    const broken = path.join(root, 'no-tokenizer');
    cpSync(modelDir, broken, { recursive: true });
    rmSync(path.join(broken, 'tokenizer.json'));
    const attempt = trainWorkflow({ workflow: helloWorld, baseModel: broken, dtype: 'fp32', outDir: path.join(root, 'never') });
    await expect(attempt).rejects.toThrow(/missing tokenizer\.json/);
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FastWorkflowError);
    expect((error as FastWorkflowError).toJSON()).toMatchObject({ code: 'model_invalid', missing: ['tokenizer.json'] });
  });
});
