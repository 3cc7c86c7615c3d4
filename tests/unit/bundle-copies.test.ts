/**
 * A bundle loaded again from its checked copies (a page's repeat visit): unchanged files are not
 * read from the source again, a changed bundle reads only what changed, and a damaged copy is found
 * by its hash and replaced. Plain files and an in-memory copy store (the page uses Cache Storage).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBundle, type BundleCopies, type BundleSource } from '../../src/bundle/index.ts';
import { ErrorCode } from '../../src/errors.ts';
import { FsBundleSource } from '../../trainer-node/bundle-fs-source.ts';
import { writeBundle } from '../../trainer-node/train/write-bundle.ts';

const DIM = 4;
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A two-context bundle whose `*` head has bias `bias` (change it to change one file). */
async function bundle(dir: string, bias = 0.5): Promise<void> {
  const context = (name: string, b: number) => ({
    context: name,
    labels: ['a', 'b'],
    weights: Float32Array.from({ length: 2 * DIM }, (_, i) => (i % 3) - 1),
    bias: Float32Array.from([b, -b]),
    memory: Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0]),
    memoryLabels: Uint16Array.from([0, 1]),
    thresholds: { confident: 0.6, margin: 0.1, minimum: 0.3 },
    knnWeight: 0.3,
    knnTemperature: 0.1,
    metrics: {},
  });
  await writeBundle(dir, {
    workflow: 'copies',
    encoder: { source: 'test:none', dir, files: [] },
    dtype: 'q8',
    dim: DIM,
    lexical: { size: 0, scale: 0 },
    contexts: [context('*', bias), context('Item', 0.25)],
    metadata: { workflow: 'copies', description: '', contexts: {}, commands: [] },
    report: {},
  });
}

class MemoryCopies implements BundleCopies {
  readonly files = new Map<string, { sha256: string; bytes: Uint8Array; checksum?: string }>();
  async get(path: string, sha256: string) {
    const kept = this.files.get(path);
    return kept?.sha256 === sha256 ? { bytes: kept.bytes.slice(), ...(kept.checksum ? { checksum: kept.checksum } : {}) } : undefined;
  }
  async put(path: string, sha256: string, bytes: Uint8Array, checksum: string) {
    this.files.set(path, { sha256, bytes: bytes.slice(), checksum });
  }
  async delete(path: string) {
    this.files.delete(path);
  }
}

/** Files on disk with a copy store, counting what is read from disk. */
class CountingSource implements BundleSource {
  readonly reads: string[] = [];
  private readonly fs: FsBundleSource;
  constructor(
    dir: string,
    readonly copies: MemoryCopies,
  ) {
    this.fs = new FsBundleSource(dir);
  }
  read(path: string) {
    this.reads.push(path);
    return this.fs.read(path);
  }
  describe(path: string) {
    return this.fs.describe(path);
  }
}

/** Copies are written in the background (the load does not wait for them): let the writes finish. */
const copiesWritten = () => new Promise((resolve) => setTimeout(resolve, 0));

async function freshBundle(): Promise<{ dir: string; copies: MemoryCopies; files: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'fw-copies-'));
  dirs.push(dir);
  await bundle(dir);
  const copies = new MemoryCopies();
  const first = new CountingSource(dir, copies);
  const loaded = await loadBundle(first);
  await copiesWritten();
  expect(loaded.reads).toMatchObject({ fromCopies: 0, fromSource: loaded.manifest.files.length, damagedCopies: 0 });
  return { dir, copies, files: loaded.manifest.files.map((f) => f.path) };
}

describe('loading a bundle again from its checked copies', () => {
  it('reads only the manifest from the source when nothing changed', async () => {
    const { dir, copies, files } = await freshBundle();
    const again = new CountingSource(dir, copies);
    const loaded = await loadBundle(again);
    expect(again.reads).toEqual(['manifest.json']);
    expect(loaded.reads).toMatchObject({ fromCopies: files.length, fromSource: 0, damagedCopies: 0 });
    expect(loaded.contexts.get('*')!.bias[0]).toBeCloseTo(0.5);
  });

  it('reads only the changed files of a re-trained bundle, and keeps them for the next load', async () => {
    const { dir, copies, files } = await freshBundle();
    await bundle(dir, 2); // another bias for `*`: one head file changes, the rest is identical
    const changed = new CountingSource(dir, copies);
    const loaded = await loadBundle(changed);
    const head = loaded.manifest.contexts['*'].head;
    expect(changed.reads.sort()).toEqual([head, 'manifest.json'].sort());
    expect(loaded.reads).toMatchObject({ fromCopies: files.length - 1, fromSource: 1 });
    expect(loaded.contexts.get('*')!.bias[0]).toBeCloseTo(2);
    await copiesWritten();
    const next = new CountingSource(dir, copies);
    await loadBundle(next);
    expect(next.reads).toEqual(['manifest.json']);
  });

  it('finds a damaged copy by its hash, reads the file from the source and replaces the copy', async () => {
    const { dir, copies } = await freshBundle();
    const head = 'heads/00-global.head.f32';
    const kept = copies.files.get(head)!;
    kept.bytes[0] ^= 0xff; // same recorded hash, other bytes
    const again = new CountingSource(dir, copies);
    const loaded = await loadBundle(again);
    await copiesWritten();
    expect(again.reads.sort()).toEqual([head, 'manifest.json'].sort());
    expect(loaded.reads.damagedCopies).toBe(1);
    expect(loaded.contexts.get('*')!.bias[0]).toBeCloseTo(0.5);
    expect(copies.files.get(head)!.bytes).toEqual(new Uint8Array(await readFile(join(dir, head))));
  });

  it('checks a copy kept by an earlier version (no checksum) by its sha256', async () => {
    const { dir, copies, files } = await freshBundle();
    const head = 'heads/00-global.head.f32';
    for (const kept of copies.files.values()) delete kept.checksum;
    const intact = new CountingSource(dir, copies);
    expect((await loadBundle(intact)).reads).toMatchObject({ fromCopies: files.length, fromSource: 0, damagedCopies: 0 });
    copies.files.get(head)!.bytes[0] ^= 0xff;
    const damaged = new CountingSource(dir, copies);
    expect((await loadBundle(damaged)).reads).toMatchObject({ fromCopies: files.length - 1, fromSource: 1, damagedCopies: 1 });
    await copiesWritten();
    expect(copies.files.get(head)!.checksum).toMatch(/^[0-9a-f]{16}$/); // replaced by a checked copy
  });

  it('still refuses a file from the source that does not match the manifest, and keeps no copy of it', async () => {
    const { dir, copies } = await freshBundle();
    const head = 'heads/01-Item.head.f32';
    copies.files.delete(head);
    const bytes = await readFile(join(dir, head));
    bytes[8] ^= 0xff;
    await writeFile(join(dir, head), bytes);
    await expect(loadBundle(new CountingSource(dir, copies))).rejects.toMatchObject({ code: ErrorCode.BundleInvalid, message: expect.stringMatching(/does not match the manifest/) });
    expect(copies.files.has(head)).toBe(false);
  });
});
