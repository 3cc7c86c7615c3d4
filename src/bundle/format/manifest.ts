import { z } from 'zod';
import { ErrorCode, FastWorkflowError } from '../../errors.ts';
import { formatIssues } from '../../schema/zod-issues.ts';
import { ENCODER_DTYPES } from './dtype.ts';

export const BUNDLE_FORMAT = 'fastworkflow-bundle';
/**
 * Version 2 adds the support thresholds of each context (`thresholds.support`, see decideIntent).
 * Version 1 bundles still load: without support thresholds they decide on probabilities alone, as
 * they did. A runtime that only reads version 1 refuses version 2 bundles (asking to re-train or
 * update) rather than ignore the thresholds that keep unseen requests from being executed.
 * Version 3: the heads of a bundle with the built-in encoder were trained on its float32 embeddings
 * (the weights of the int8 file, dequantised), which the page computes with its own kernel. Older
 * bundles load too (their heads saw the int8 runtime's embeddings, within 0.1% in cosine).
 */
export const BUNDLE_FORMAT_VERSION = 3;
/** Versions this runtime reads. */
export const READABLE_FORMAT_VERSIONS: readonly number[] = [1, 2, 3];

const unit = z.number().min(0).max(1);
const thresholds = z.object({ confident: unit, margin: unit, minimum: unit, support: z.object({ execute: unit, reject: unit }).optional() });

const fileEntry = z.object({ path: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() });

const contextEntry = z.object({
  /** Classifier labels, in the order of the head's rows. */
  labels: z.array(z.string()).min(1),
  /** Float32 little-endian: weights [labels × (dim + lexical.size)] then bias [labels]. */
  head: z.string(),
  /** Int8 nearest-neighbour memory: [count × dim] rows, each a normalised embedding × 127. */
  memory: z.object({ file: z.string(), count: z.number().int().nonnegative(), labelIndex: z.string() }),
  thresholds,
  /** Weight of the nearest-neighbour scores against the head's probabilities. */
  knnWeight: z.number().min(0).max(1),
  knnTemperature: z.number().positive(),
  metrics: z.record(z.string(), z.unknown()).optional(),
});

export const manifestSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.number().int(),
  workflow: z.string(),
  encoder: z.object({
    /** Where the encoder came from (hub id, folder name, or the built-in default). */
    source: z.string(),
    /** Hash over the encoder's files (model + tokenizer), to tie heads to the exact encoder. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** Folder inside the bundle, in Hugging Face layout. */
    dir: z.string(),
    dtype: z.enum(ENCODER_DTYPES),
    dim: z.number().int().positive(),
    pooling: z.enum(['mean', 'cls']),
    normalize: z.boolean(),
  }),
  /** Hashed word uni/bigram features appended to the embedding for the heads. */
  lexical: z.object({ size: z.number().int().nonnegative(), scale: z.number().nonnegative() }),
  contexts: z.record(z.string(), contextEntry),
  /** The workflow's commands and context model (plain metadata). */
  workflowFile: z.string(),
  /** The slot tagger (parameter extraction learnt from the seeds), when a command has free-text fields. */
  slots: z.object({ file: z.string(), format: z.literal('fastworkflow-slot-tagger'), version: z.number().int() }).optional(),
  files: z.array(fileEntry),
});

export type BundleManifest = z.infer<typeof manifestSchema>;
export type BundleContextEntry = z.infer<typeof contextEntry>;

/** Check a manifest's shape and version; a clear error says what is wrong and what to do. */
export function parseManifest(json: unknown, where = 'manifest.json'): BundleManifest {
  const format = (json as { format?: unknown; formatVersion?: unknown } | null)?.format;
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (format !== BUNDLE_FORMAT) {
    throw new FastWorkflowError(ErrorCode.BundleInvalid, `${where} is not a fastworkflow bundle manifest (format is ${JSON.stringify(format)}). Point to the folder written by \`fastworkflow train\`.`);
  }
  if (typeof version !== 'number' || !READABLE_FORMAT_VERSIONS.includes(version)) {
    throw new FastWorkflowError(ErrorCode.BundleInvalid, `${where} has bundle format version ${JSON.stringify(version)}; this runtime reads versions ${READABLE_FORMAT_VERSIONS.join(', ')}. Re-train with \`fastworkflow train\` of this version.`, { version });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new FastWorkflowError(ErrorCode.BundleInvalid, `${where} is malformed: ${formatIssues(parsed.error.issues)}. Re-train the bundle.`);
  }
  return parsed.data;
}
