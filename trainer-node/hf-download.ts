/**
 * `train --base-model <hub id>`: fetch a model folder from the Hugging Face hub once into the cache
 * (the files a sentence encoder needs, nothing else). HF_ENDPOINT changes the host (a mirror).
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ErrorCode, FastWorkflowError } from '../src/index.ts';
import { onnxFileFor } from '../src/bundle/encoder-files.ts';
import type { EncoderDtype } from '../src/bundle/format/dtype.ts';

const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
const OPTIONAL = ['special_tokens_map.json'];

export async function downloadHfModel(id: string, dtype: EncoderDtype, cacheDir: string, log: (m: string) => void = () => {}): Promise<string> {
  const dir = join(cacheDir, ...id.split('/'));
  const endpoint = (process.env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '');
  const wanted = [...FILES, onnxFileFor(dtype)];
  for (const file of [...wanted, ...OPTIONAL]) {
    const target = join(dir, file);
    if (existsSync(target)) continue;
    const url = `${endpoint}/${id}/resolve/main/${file}`;
    log(`Downloading ${url}`);
    let response: Response;
    try {
      response = await fetch(url);
    } catch (err) {
      throw new FastWorkflowError(ErrorCode.ModelInvalid, `Cannot download ${url}: ${(err as Error).message}. Without network access, pass --base-model a local folder instead.`);
    }
    if (!response.ok) {
      if (OPTIONAL.includes(file)) continue;
      throw new FastWorkflowError(ErrorCode.ModelInvalid, `Cannot download ${url}: HTTP ${response.status}. Is "${id}" a public model with ${file}${file.startsWith('onnx/') ? ' (try the other --dtype)' : ''}?`);
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(`${target}.part`, new Uint8Array(await response.arrayBuffer()));
    await rename(`${target}.part`, target);
  }
  return dir;
}
