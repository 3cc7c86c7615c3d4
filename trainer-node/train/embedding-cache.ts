/**
 * Sentence embeddings cached by content between training runs: one file per encoder (keyed by the
 * sha256 of its model files and the dtype), each entry the sha256 of a text and its stabilised
 * vector. Values are stored as float32, exactly as the trainer uses them, so a cached run writes the
 * same bundle bytes as an uncached one. A damaged or foreign file is ignored and rewritten.
 *
 * File layout: "FWEC" magic, uint32 version, uint32 dim, uint32 count, then count × (32-byte text
 * hash, dim × float32), little-endian.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const MAGIC = 0x43455746; // "FWEC" little-endian
/**
 * 4: the built-in encoder mean-pools before its last feed-forward matrix (3: the weights are int16
 * per column; 2: float32 from the q8 file's two terms; 1: int8 activations).
 */
const VERSION = 4;
const HEADER = 16;
const KEY_BYTES = 32;

export interface EmbeddingCache {
  /** The cached vector of `text`, if any. */
  get(text: string): Float32Array | undefined;
  set(text: string, vector: Float32Array): void;
  /** Entries read from disk at open. */
  readonly loaded: number;
  /** Writes the file when something was added (atomically: a temporary file, then a rename). */
  save(): Promise<void>;
  readonly file: string;
}

/** A key for an encoder: the model files' bytes and the dtype (any change gives another file). */
export function encoderCacheKey(modelDir: string, files: readonly string[], dtype: string): string {
  const h = createHash('sha256').update(`dtype:${dtype}\n`);
  for (const f of [...files].sort()) h.update(`${f}\n`).update(readFileSync(join(modelDir, f)));
  return h.digest('hex').slice(0, 32);
}

export function openEmbeddingCache(dir: string, encoderKey: string, dim: number): EmbeddingCache {
  const file = join(dir, `embeddings-${encoderKey}.bin`);
  const entries = new Map<string, Float32Array>();
  readInto(file, dim, entries);
  const loaded = entries.size;
  let dirty = false;
  return {
    file,
    loaded,
    get: (text) => entries.get(textKey(text)),
    set(text, vector) {
      if (vector.length !== dim) throw new Error(`Embedding of "${text}" has ${vector.length} values, the cache holds ${dim}.`);
      entries.set(textKey(text), Float32Array.from(vector));
      dirty = true;
    },
    async save() {
      if (!dirty) return;
      await mkdir(dir, { recursive: true });
      const keys = [...entries.keys()].sort();
      const bytes = Buffer.alloc(HEADER + keys.length * (KEY_BYTES + dim * 4));
      bytes.writeUInt32LE(MAGIC, 0);
      bytes.writeUInt32LE(VERSION, 4);
      bytes.writeUInt32LE(dim, 8);
      bytes.writeUInt32LE(keys.length, 12);
      let at = HEADER;
      for (const k of keys) {
        bytes.write(k, at, 'hex');
        at += KEY_BYTES;
        const v = entries.get(k)!;
        for (let d = 0; d < dim; d++, at += 4) bytes.writeFloatLE(v[d], at);
      }
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, file);
      dirty = false;
    },
  };
}

function textKey(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function readInto(file: string, dim: number, into: Map<string, Float32Array>): void {
  if (!existsSync(file)) return;
  const bytes = readFileSync(file);
  if (bytes.length < HEADER || bytes.readUInt32LE(0) !== MAGIC || bytes.readUInt32LE(4) !== VERSION || bytes.readUInt32LE(8) !== dim) return;
  const count = bytes.readUInt32LE(12);
  if (bytes.length !== HEADER + count * (KEY_BYTES + dim * 4)) return;
  const copy = new Uint8Array(bytes); // aligned for Float32Array views
  const view = new DataView(copy.buffer);
  let at = HEADER;
  for (let i = 0; i < count; i++) {
    const key = bytes.toString('hex', at, at + KEY_BYTES);
    at += KEY_BYTES;
    const v = new Float32Array(dim);
    for (let d = 0; d < dim; d++, at += 4) v[d] = view.getFloat32(at, true);
    into.set(key, v);
  }
}
