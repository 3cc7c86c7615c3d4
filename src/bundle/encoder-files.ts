import { ErrorCode, FastWorkflowError } from '../errors.ts';
import type { EncoderDtype } from './format/dtype.ts';
import type { EncoderFiles } from './onnx-encoder.ts';

/** The ONNX file of a model folder (Hugging Face layout) for a dtype. */
export function onnxFileFor(dtype: EncoderDtype): string {
  return dtype === 'q8' ? 'onnx/model_quantized.onnx' : 'onnx/model.onnx';
}

/** Read a model folder's tokenizer and ONNX files through `read` (a bundle source, or the file system). */
export async function readEncoderFiles(read: (path: string) => Promise<Uint8Array>, dir: string, dtype: EncoderDtype): Promise<EncoderFiles> {
  const prefix = dir === '' || dir.endsWith('/') ? dir : `${dir}/`;
  const json = async (file: string): Promise<object> => {
    const bytes = await read(prefix + file);
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as object;
    } catch (err) {
      throw new FastWorkflowError(ErrorCode.ModelInvalid, `${prefix}${file} is not valid JSON (${(err as Error).message}).`);
    }
  };
  const [tokenizer, tokenizerConfig, model] = await Promise.all([json('tokenizer.json'), json('tokenizer_config.json'), read(prefix + onnxFileFor(dtype))]);
  return { tokenizer, tokenizerConfig, model };
}
