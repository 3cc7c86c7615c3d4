import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  bundleHash,
  contextFileBase,
  encodeHead,
  encodeMemoryLabels,
  encoderDigest,
  encodeWorkflowFile,
  jsonBytes,
  quantizeMemory,
  type BundleManifest,
  type EncoderDtype,
  type WorkflowMetadataFile,
} from '../../src/bundle/format/index.ts';
import type { SlotTaggerFile } from '../../src/params/slots/model.ts';
import type { ResolvedEncoder } from './resolve-encoder.ts';

export const ENCODER_DIR = 'model';
export const SLOT_TAGGER_FILE = 'slots/tagger.json';

export interface ContextArtifacts {
  context: string;
  labels: string[];
  weights: Float32Array;
  bias: Float32Array;
  memory: Float32Array;
  memoryLabels: Uint16Array;
  thresholds: BundleManifest['contexts'][string]['thresholds'];
  knnWeight: number;
  knnTemperature: number;
  metrics: Record<string, unknown>;
}

export interface BundleContents {
  workflow: string;
  encoder: ResolvedEncoder;
  dtype: EncoderDtype;
  dim: number;
  lexical: { size: number; scale: number };
  contexts: ContextArtifacts[];
  metadata: WorkflowMetadataFile;
  report: unknown;
  /** Written to slots/tagger.json (compact JSON) when present. */
  slotTagger?: SlotTaggerFile;
}

/**
 * Write the static bundle. Byte-identical for identical inputs: no timestamps, stable key order,
 * files listed by path.
 */
export async function writeBundle(outDir: string, contents: BundleContents): Promise<BundleManifest> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const files: { path: string; bytes: Uint8Array }[] = [];
  const put = async (path: string, bytes: Uint8Array) => {
    await mkdir(dirname(join(outDir, path)), { recursive: true });
    await writeFile(join(outDir, path), bytes);
    files.push({ path, bytes });
  };

  const encoderHashes: { path: string; sha256: string }[] = [];
  for (const f of contents.encoder.files) {
    const target = `${ENCODER_DIR}/${f}`;
    await mkdir(dirname(join(outDir, target)), { recursive: true });
    await copyFile(join(contents.encoder.dir, f), join(outDir, target));
    const bytes = new Uint8Array(await readFile(join(outDir, target)));
    files.push({ path: target, bytes });
    encoderHashes.push({ path: f, sha256: await bundleHash(bytes) });
  }

  const contexts: BundleManifest['contexts'] = {};
  for (const [i, c] of contents.contexts.entries()) {
    const base = contextFileBase(i, c.context);
    await put(`${base}.head.f32`, encodeHead(c.weights, c.bias));
    await put(`${base}.memory.i8`, quantizeMemory(c.memory));
    await put(`${base}.memory-labels.u16`, encodeMemoryLabels(c.memoryLabels));
    contexts[c.context] = {
      labels: c.labels,
      head: `${base}.head.f32`,
      memory: { file: `${base}.memory.i8`, count: c.memoryLabels.length, labelIndex: `${base}.memory-labels.u16` },
      thresholds: c.thresholds,
      knnWeight: c.knnWeight,
      knnTemperature: c.knnTemperature,
      metrics: c.metrics,
    };
  }
  await put('workflow.json', encodeWorkflowFile(contents.metadata));
  await put('report.json', jsonBytes(contents.report));
  if (contents.slotTagger) await put(SLOT_TAGGER_FILE, new TextEncoder().encode(`${JSON.stringify(contents.slotTagger)}\n`));

  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    workflow: contents.workflow,
    encoder: {
      source: contents.encoder.source,
      sha256: await encoderDigest(encoderHashes),
      dir: ENCODER_DIR,
      dtype: contents.dtype,
      dim: contents.dim,
      pooling: 'mean',
      normalize: true,
    },
    lexical: contents.lexical,
    contexts,
    workflowFile: 'workflow.json',
    ...(contents.slotTagger ? { slots: { file: SLOT_TAGGER_FILE, format: contents.slotTagger.format, version: contents.slotTagger.version } } : {}),
    files: (await Promise.all(files.map(async (f) => ({ path: f.path, sha256: await bundleHash(f.bytes), bytes: f.bytes.length })))).sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
  await writeFile(join(outDir, 'manifest.json'), jsonBytes(manifest));
  return manifest;
}
