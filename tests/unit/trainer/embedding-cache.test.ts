import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SentenceEncoder } from '../../../src/bundle/index.ts';
import { encoderCacheKey, openEmbeddingCache } from '../../../trainer-node/train/embedding-cache.ts';
import { embedAll } from '../../../trainer-node/train/train.ts';
import { NATIVE_TIP_TEXTS } from '../../../trainer-node/node-encoder.ts';
import type { Progress } from '../../../trainer-node/progress.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'fw-embed-cache-'));
  dirs.push(d);
  return d;
}

/** A fake encoder that counts what it is asked to embed. */
function countingEncoder(dim = 4): SentenceEncoder & { seen: string[] } {
  const seen: string[] = [];
  return {
    dim,
    seen,
    async embed(texts: string[]) {
      seen.push(...texts);
      return texts.map((t) => Float32Array.from({ length: dim }, (_, i) => Math.sin(t.length * (i + 1) + t.charCodeAt(0)) / 3));
    },
  } as SentenceEncoder & { seen: string[] };
}

async function modelFolder(content: string): Promise<{ dir: string; files: string[] }> {
  const dir = await tempDir();
  await writeFile(join(dir, 'model.onnx'), content);
  return { dir, files: ['model.onnx'] };
}

describe('embedding cache', () => {
  it('encodes only texts it has not seen, and gives the same vectors from the cache', async () => {
    const cacheDir = await tempDir();
    const model = await modelFolder('weights v1');
    const resolved = { source: 'test', ...model };
    const first = countingEncoder();
    const a = await embedAll(['b', 'a', 'hello'], first, { dir: cacheDir, resolved, dtype: 'q8' });
    expect(a.cached).toBe(0);
    expect(first.seen.sort()).toEqual(['a', 'b', 'hello']);

    const second = countingEncoder();
    const b = await embedAll(['a', 'hello', 'new one'], second, { dir: cacheDir, resolved, dtype: 'q8' });
    expect(b.cached).toBe(2);
    expect(second.seen).toEqual(['new one']);
    expect(b.embeddings.get('hello')).toEqual(a.embeddings.get('hello'));
  });

  it('keys entries by the encoder files and dtype', async () => {
    const v1 = await modelFolder('weights v1');
    const v2 = await modelFolder('weights v2');
    expect(encoderCacheKey(v1.dir, v1.files, 'q8')).not.toBe(encoderCacheKey(v2.dir, v2.files, 'q8'));
    expect(encoderCacheKey(v1.dir, v1.files, 'q8')).not.toBe(encoderCacheKey(v1.dir, v1.files, 'fp32'));
    expect(encoderCacheKey(v1.dir, v1.files, 'q8')).toBe(encoderCacheKey(v1.dir, v1.files, 'q8'));
  });

  it('ignores a damaged file and rewrites it', async () => {
    const dir = await tempDir();
    const cache = openEmbeddingCache(dir, 'k', 2);
    cache.set('x', Float32Array.of(0.5, -0.25));
    await cache.save();
    const bytes = await readFile(cache.file);
    await writeFile(cache.file, bytes.subarray(0, bytes.length - 3));
    const reopened = openEmbeddingCache(dir, 'k', 2);
    expect(reopened.loaded).toBe(0);
    expect(reopened.get('x')).toBeUndefined();
    reopened.set('x', Float32Array.of(0.5, -0.25));
    await reopened.save();
    expect(openEmbeddingCache(dir, 'k', 2).get('x')).toEqual(Float32Array.of(0.5, -0.25));
  });
});

describe('the onnxruntime-node tip', () => {
  const logs = (): { progress: Progress; lines: string[] } => {
    const lines: string[] = [];
    return { lines, progress: { stage() {}, advance() {}, done() {}, log: (m) => lines.push(m) } };
  };
  const texts = (n: number) => Array.from({ length: n }, (_, i) => `utterance ${i}`);

  it('suggests onnxruntime-node before a large encoding on the WebAssembly kernel, once', async () => {
    const { progress, lines } = logs();
    const encoder = Object.assign(countingEncoder(), { runtime: 'use-lite-wasm', threads: 2 });
    await embedAll(texts(NATIVE_TIP_TEXTS), encoder, undefined, progress);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^tip: 2,500 utterances to encode on use-lite-wasm; `npm install -D onnxruntime-node@1\.30\.0`/);
  });

  it('stays quiet for small encodings, on onnxruntime-node, and for encoders it does not know', async () => {
    for (const [encoder, n] of [
      [Object.assign(countingEncoder(), { runtime: 'use-lite-wasm', threads: 2 }), NATIVE_TIP_TEXTS - 1],
      [Object.assign(countingEncoder(), { runtime: 'onnxruntime-node', threads: 2 }), NATIVE_TIP_TEXTS * 2],
      [countingEncoder(), NATIVE_TIP_TEXTS * 2],
    ] as const) {
      const { progress, lines } = logs();
      await embedAll(texts(n), encoder, undefined, progress);
      expect(lines).toEqual([]);
    }
  });
});
