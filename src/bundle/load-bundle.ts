import { ErrorCode, FastWorkflowError, throwIfAborted } from '../errors.ts';
import { parseSlotTaggerFile, type SlotTaggerFile } from '../params/slots/model.ts';
import type { ContextModel } from './context-model.ts';
import { checksum } from '../util/checksum.ts';
import { bundleHash } from './format/hash.ts';
import { decodeHead, decodeMemoryLabels, dequantizeMemory } from './format/heads.ts';
import { parseManifest, type BundleManifest } from './format/manifest.ts';
import { decodeWorkflowFile, type WorkflowMetadataFile } from './format/workflow-file.ts';

/** Reads the bundle's files: from disk in Node, over fetch (and Cache Storage) in a page. */
export interface BundleSource {
  /** A file's bytes; rejects with a clear error when it is missing. */
  read(path: string, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
  /** How a path is shown in errors (full path or URL). */
  describe(path: string): string;
  /** Checked copies kept between loads (Cache Storage in a page), if the source has a place for them. */
  readonly copies?: BundleCopies;
}

/**
 * Copies of a bundle's files that passed their hash check, kept by path and content hash. A load
 * reads an unchanged file from here instead of the source; the sha256 is verified once per kept
 * version, and a load checks the copy against the fast checksum recorded with it (a damaged copy is
 * dropped and read from the source).
 */
export interface BundleCopies {
  /** The copy of `path` kept for content `sha256`, if there is one, with the checksum kept with it. */
  get(path: string, sha256: string): Promise<KeptCopy | undefined>;
  /** Keep bytes that matched `sha256`, with their `checksum` (src/util/checksum.ts). */
  put(path: string, sha256: string, bytes: Uint8Array, checksum: string): Promise<void>;
  delete(path: string): Promise<void>;
}

/** A kept copy; without `checksum` (kept by an earlier version) it is checked by its sha256. */
export interface KeptCopy {
  bytes: Uint8Array;
  checksum?: string;
}

/** Where a load found the bundle's files. */
export interface BundleReads {
  /** Files read from kept copies (not downloaded again). */
  fromCopies: number;
  /** Files read from the source (first load, or changed since the copy was kept). */
  fromSource: number;
  /** Kept copies that no longer matched their hash: dropped and read from the source again. */
  damagedCopies: number;
  /** Milliseconds of sha256 (downloaded files) and checksums (kept copies), summed over the files (they are checked concurrently). */
  hashMillis: number;
}

export type { WorkflowMetadataFile };

export interface LoadedBundle {
  manifest: BundleManifest;
  metadata: WorkflowMetadataFile;
  contexts: Map<string, ContextModel>;
  /**
   * A file of the bundle (checked against the manifest when the bundle was loaded with `verify`).
   * The encoder's files are held only until they are read once.
   */
  readFile(path: string): Promise<Uint8Array>;
  /** The slot tagger's weights (plain data), when the bundle has one. */
  slotTagger?: SlotTaggerFile;
  /** Where the files came from (all zero when the load did not check hashes). */
  reads: BundleReads;
}

export interface LoadBundleOptions {
  signal?: AbortSignal;
  /** Check every file's sha256 against the manifest (default true). */
  verify?: boolean;
  /** Skip reading these files (e.g. the encoder ONNX, loaded and checked elsewhere). */
  skipVerify?: (path: string) => boolean;
  onProgress?: (done: number, total: number, path: string) => void;
  /** Called once the manifest is read and checked, before the files are (e.g. to start a runtime it needs). */
  onManifest?: (manifest: BundleManifest) => void;
}

/** Load and check a bundle: manifest (shape, version), every file's hash, heads and memories. */
export async function loadBundle(source: BundleSource, options: LoadBundleOptions = {}): Promise<LoadedBundle> {
  const manifestBytes = await readOrExplain(source, 'manifest.json', options.signal);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(manifestBytes));
  } catch (err) {
    throw new FastWorkflowError(ErrorCode.BundleInvalid, `${source.describe('manifest.json')} is not valid JSON (${(err as Error).message}). Re-train the bundle.`);
  }
  const manifest = parseManifest(json, source.describe('manifest.json'));
  options.onManifest?.(manifest);
  const files = new Map(manifest.files.map((f) => [f.path, f]));
  const cache = new Map<string, Uint8Array>();

  const reads: BundleReads = { fromCopies: 0, fromSource: 0, damagedCopies: 0, hashMillis: 0 };
  if (options.verify !== false) {
    const checked = manifest.files.filter((f) => !options.skipVerify?.(f.path));
    let done = 0;
    // All files at once: downloads overlap, and kept copies are read without waiting for the network.
    await Promise.all(
      checked.map(async (f) => {
        cache.set(f.path, await readChecked(source, f, reads, options.signal));
        options.onProgress?.(++done, checked.length, f.path);
      }),
    );
    // The manifest is read from the source every time; its copy is what an offline load falls back to.
    if (source.copies) void source.copies.put('manifest.json', await timedHash(manifestBytes, reads), manifestBytes, checksum(manifestBytes)).catch(() => undefined);
  }
  const read = async (path: string) => {
    if (!files.has(path)) throw new FastWorkflowError(ErrorCode.BundleInvalid, `The manifest does not list ${path}. Re-train the bundle.`);
    return cache.get(path) ?? readOrExplain(source, path, options.signal);
  };

  const metadata = decodeWorkflowFile(await read(manifest.workflowFile), source.describe(manifest.workflowFile));
  const contexts = new Map<string, ContextModel>();
  const dim = manifest.encoder.dim;
  const width = dim + manifest.lexical.size;
  for (const [name, entry] of Object.entries(manifest.contexts)) {
    const headBytes = await read(entry.head);
    const labels = entry.labels;
    const head = decodeHead(headBytes, labels.length, width);
    if (!head) {
      throw new FastWorkflowError(ErrorCode.BundleInvalid, `${entry.head} has ${headBytes.length / 4} values; expected ${labels.length}×${width} weights + ${labels.length} biases. Re-train the bundle.`, { path: entry.head });
    }
    const memoryBytes = await read(entry.memory.file);
    const memoryLabels = decodeMemoryLabels(await read(entry.memory.labelIndex));
    if (memoryBytes.length !== entry.memory.count * dim || memoryLabels.length !== entry.memory.count) {
      throw new FastWorkflowError(ErrorCode.BundleInvalid, `${entry.memory.file} does not hold ${entry.memory.count} rows of ${dim}. Re-train the bundle.`, { path: entry.memory.file });
    }
    contexts.set(name, {
      labels,
      dim,
      lexical: manifest.lexical,
      weights: head.weights,
      bias: head.bias,
      memory: dequantizeMemory(memoryBytes),
      memoryLabels,
      thresholds: entry.thresholds,
      knnWeight: entry.knnWeight,
      knnTemperature: entry.knnTemperature,
      learned: [],
    });
  }
  const slotTagger = manifest.slots ? parseSlotTaggerFile(JSON.parse(new TextDecoder().decode(await read(manifest.slots.file))), source.describe(manifest.slots.file)) : undefined;
  const encoderPrefix = `${manifest.encoder.dir}/`;
  for (const path of cache.keys()) if (!path.startsWith(encoderPrefix)) cache.delete(path);
  const readFile = async (path: string) => {
    const bytes = await read(path);
    if (path.startsWith(encoderPrefix)) cache.delete(path);
    return bytes;
  };
  return { manifest, metadata, contexts, readFile, reads, ...(slotTagger ? { slotTagger } : {}) };
}

/**
 * A file checked against the manifest: the kept copy when it is intact (its size, and the checksum
 * recorded when its sha256 was verified), else the source's bytes (kept for the next load once they
 * match). A mismatch from the source is a corrupt bundle.
 */
async function readChecked(source: BundleSource, f: { path: string; sha256: string; bytes: number }, reads: BundleReads, signal?: AbortSignal): Promise<Uint8Array> {
  throwIfAborted(signal);
  const copy = await source.copies?.get(f.path, f.sha256).catch(() => undefined);
  if (copy) {
    if (copy.bytes.length === f.bytes && (copy.checksum !== undefined ? timedChecksum(copy.bytes, reads) === copy.checksum : (await timedHash(copy.bytes, reads)) === f.sha256)) {
      reads.fromCopies++;
      return copy.bytes;
    }
    reads.damagedCopies++;
    await source.copies!.delete(f.path).catch(() => undefined);
  }
  const bytes = await readOrExplain(source, f.path, signal);
  const hash = await timedHash(bytes, reads);
  if (hash !== f.sha256) {
    throw new FastWorkflowError(ErrorCode.BundleInvalid, `${source.describe(f.path)} does not match the manifest (sha256 ${hash.slice(0, 12)}…, expected ${f.sha256.slice(0, 12)}…). The bundle is corrupt or partly updated: re-deploy or re-train it.`, { path: f.path });
  }
  reads.fromSource++;
  // Kept in the background: the load does not wait for the write. The write starts now (not in a
  // later task): a page closed soon after loading would otherwise cut the model's 12 MB write off.
  if (source.copies) void source.copies.put(f.path, f.sha256, bytes, timedChecksum(bytes, reads)).catch(() => undefined);
  return bytes;
}

function timedChecksum(bytes: Uint8Array, reads: BundleReads): string {
  const t0 = performance.now();
  const sum = checksum(bytes);
  reads.hashMillis += performance.now() - t0;
  return sum;
}

async function timedHash(bytes: Uint8Array, reads: BundleReads): Promise<string> {
  const t0 = performance.now();
  const hash = await bundleHash(bytes);
  reads.hashMillis += performance.now() - t0;
  return hash;
}

async function readOrExplain(source: BundleSource, path: string, signal?: AbortSignal): Promise<Uint8Array> {
  try {
    return await source.read(path, { signal });
  } catch (err) {
    if (err instanceof FastWorkflowError) throw err;
    throw new FastWorkflowError(ErrorCode.BundleInvalid, `Cannot read ${source.describe(path)}: ${(err as Error).message}. Is the bundle complete? Re-deploy or re-train it.`, { path });
  }
}
