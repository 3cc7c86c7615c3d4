import { ErrorCode, FastWorkflowError, throwIfAborted } from '../errors.ts';
import { parseSlotTaggerFile, type SlotTaggerFile } from '../params/slots/model.ts';
import { sha256Hex } from '../util/sha256.ts';
import type { ContextModel } from './context-model.ts';
import { parseManifest, type BundleManifest } from './manifest.ts';

/** Reads the bundle's files: from disk in Node, over fetch (and Cache Storage) in a page. */
export interface BundleSource {
  /** A file's bytes; rejects with a clear error when it is missing. */
  read(path: string, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
  /** How a path is shown in errors (full path or URL). */
  describe(path: string): string;
}

export interface WorkflowMetadataFile {
  workflow: string;
  description: string;
  contexts: Record<string, { base: string[]; commands: string[]; description?: string }>;
  commands: { name: string; description: string; definedIn: string; inputSchema: unknown; utterances: string[] }[];
}

export interface LoadedBundle {
  manifest: BundleManifest;
  metadata: WorkflowMetadataFile;
  contexts: Map<string, ContextModel>;
  /** The slot tagger's weights (plain data), when the bundle has one. */
  slotTagger?: SlotTaggerFile;
}

export interface LoadBundleOptions {
  signal?: AbortSignal;
  /** Check every file's sha256 against the manifest (default true). */
  verify?: boolean;
  /** Skip reading these files (e.g. the encoder ONNX, loaded and checked elsewhere). */
  skipVerify?: (path: string) => boolean;
  onProgress?: (done: number, total: number, path: string) => void;
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
  const files = new Map(manifest.files.map((f) => [f.path, f]));
  const cache = new Map<string, Uint8Array>();

  if (options.verify !== false) {
    let done = 0;
    for (const f of manifest.files) {
      throwIfAborted(options.signal);
      if (options.skipVerify?.(f.path)) continue;
      const bytes = await readOrExplain(source, f.path, options.signal);
      const hash = await sha256Hex(bytes);
      if (hash !== f.sha256) {
        throw new FastWorkflowError(ErrorCode.BundleInvalid, `${source.describe(f.path)} does not match the manifest (sha256 ${hash.slice(0, 12)}…, expected ${f.sha256.slice(0, 12)}…). The bundle is corrupt or partly updated: re-deploy or re-train it.`, { path: f.path });
      }
      if (!f.path.startsWith(`${manifest.encoder.dir}/`)) cache.set(f.path, bytes);
      options.onProgress?.(++done, manifest.files.length, f.path);
    }
  }
  const read = async (path: string) => {
    if (!files.has(path)) throw new FastWorkflowError(ErrorCode.BundleInvalid, `The manifest does not list ${path}. Re-train the bundle.`);
    return cache.get(path) ?? readOrExplain(source, path, options.signal);
  };

  const metadata = JSON.parse(new TextDecoder().decode(await read(manifest.workflowFile))) as WorkflowMetadataFile;
  const contexts = new Map<string, ContextModel>();
  const dim = manifest.encoder.dim;
  const width = dim + manifest.lexical.size;
  for (const [name, entry] of Object.entries(manifest.contexts)) {
    const head = toFloat32(await read(entry.head));
    const labels = entry.labels;
    if (head.length !== labels.length * width + labels.length) {
      throw new FastWorkflowError(ErrorCode.BundleInvalid, `${entry.head} has ${head.length} values; expected ${labels.length}×${width} weights + ${labels.length} biases. Re-train the bundle.`);
    }
    const memoryBytes = await read(entry.memory.file);
    const memoryLabels = new Uint16Array(copy(await read(entry.memory.labelIndex)).buffer);
    if (memoryBytes.length !== entry.memory.count * dim || memoryLabels.length !== entry.memory.count) {
      throw new FastWorkflowError(ErrorCode.BundleInvalid, `${entry.memory.file} does not hold ${entry.memory.count} rows of ${dim}. Re-train the bundle.`);
    }
    const memory = new Float32Array(memoryBytes.length);
    const signed = new Int8Array(memoryBytes.buffer, memoryBytes.byteOffset, memoryBytes.length);
    for (let i = 0; i < signed.length; i++) memory[i] = signed[i] / 127;
    contexts.set(name, {
      labels,
      dim,
      lexical: manifest.lexical,
      weights: head.subarray(0, labels.length * width),
      bias: head.subarray(labels.length * width),
      memory,
      memoryLabels,
      thresholds: entry.thresholds,
      knnWeight: entry.knnWeight,
      knnTemperature: entry.knnTemperature,
      learned: [],
    });
  }
  const slotTagger = manifest.slots ? parseSlotTaggerFile(JSON.parse(new TextDecoder().decode(await read(manifest.slots.file))), source.describe(manifest.slots.file)) : undefined;
  return { manifest, metadata, contexts, ...(slotTagger ? { slotTagger } : {}) };
}

async function readOrExplain(source: BundleSource, path: string, signal?: AbortSignal): Promise<Uint8Array> {
  try {
    return await source.read(path, { signal });
  } catch (err) {
    if (err instanceof FastWorkflowError) throw err;
    throw new FastWorkflowError(ErrorCode.BundleInvalid, `Cannot read ${source.describe(path)}: ${(err as Error).message}. Is the bundle complete? Re-deploy or re-train it.`, { path });
  }
}

function copy(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

function toFloat32(bytes: Uint8Array): Float32Array {
  return new Float32Array(copy(bytes).buffer);
}
