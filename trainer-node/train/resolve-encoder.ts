import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ErrorCode, FastWorkflowError } from '../../src/index.ts';
import { onnxFileFor } from '../../src/bundle/encoder-files.ts';
import type { EncoderDtype } from '../../src/bundle/format/dtype.ts';
import { BUILTIN_ENCODER_SOURCE } from '../../src/bundle/builtin-encoder.ts';

export const DEFAULT_ENCODER_ID = BUILTIN_ENCODER_SOURCE;

/** The bundle's encoder dtype (one type, declared by the bundle format). */
export type Dtype = EncoderDtype;

export interface ResolvedEncoder {
  /** How the manifest names it. */
  source: string;
  /** Local folder in Hugging Face layout. */
  dir: string;
  /** Files to copy into the bundle, relative to dir. */
  files: string[];
}

const REQUIRED = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
const OPTIONAL = ['special_tokens_map.json'];

/** Check a local model folder; the error names every missing file. */
export function checkModelFolder(dir: string, dtype: Dtype): string[] {
  if (!existsSync(dir)) throw new FastWorkflowError(ErrorCode.ModelInvalid, `Model folder ${dir} does not exist. Pass --base-model <Hugging Face id | folder>.`);
  const needed = [...REQUIRED, onnxFileFor(dtype)];
  const missing = needed.filter((f) => !existsSync(join(dir, f)));
  if (missing.length) {
    const other = dtype === 'q8' && existsSync(join(dir, onnxFileFor('fp32'))) ? ' (it has onnx/model.onnx: try --dtype fp32)' : '';
    throw new FastWorkflowError(ErrorCode.ModelInvalid, `Model folder ${dir} is missing ${missing.join(', ')}${other}. A model folder needs ${needed.join(', ')} (Hugging Face layout).`, { missing });
  }
  return [...needed, ...OPTIONAL.filter((f) => existsSync(join(dir, f)))].sort();
}

/**
 * --base-model: a local folder, a Hugging Face id (downloaded once into the user's cache folder), or nothing for the built-in offline default.
 */
export async function resolveEncoder(
  baseModel: string | undefined,
  dtype: Dtype,
  hooks: { prepareDefault: () => Promise<string>; download: (id: string, dtype: Dtype) => Promise<string> },
): Promise<ResolvedEncoder> {
  if (!baseModel) {
    const dir = await hooks.prepareDefault();
    return { source: DEFAULT_ENCODER_ID, dir, files: checkModelFolder(dir, dtype) };
  }
  const local = isAbsolute(baseModel) || baseModel.startsWith('.') || existsSync(baseModel) ? resolve(baseModel) : undefined;
  if (local) return { source: `local:${baseModel.replace(/\/+$/, '').split('/').pop()}`, dir: local, files: checkModelFolder(local, dtype) };
  if (!/^[\w.-]+\/[\w.-]+$/.test(baseModel)) {
    throw new FastWorkflowError(ErrorCode.ModelInvalid, `--base-model "${baseModel}" is neither an existing folder nor a Hugging Face id like "Xenova/bge-small-en-v1.5".`);
  }
  const dir = await hooks.download(baseModel, dtype);
  return { source: `hf:${baseModel}`, dir, files: checkModelFolder(dir, dtype) };
}
