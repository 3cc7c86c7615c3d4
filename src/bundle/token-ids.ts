/**
 * Texts → token ids for a model folder's tokenizer.json: what every encoder of a bundle feeds its
 * network, truncated to the model's length limit the same way everywhere (Node and page).
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { ErrorCode, FastWorkflowError } from '../errors.ts';
import type { EncoderFiles } from './onnx-encoder.ts';

const DEFAULT_MAX_TOKENS = 128;

export interface TokenIds {
  /** The text's ids, at most `maxTokens` of them. */
  encode(text: string): number[];
  /** The padding id (tokenizer_config's pad_token, else 0). */
  readonly padId: number;
  readonly maxTokens: number;
}

export function tokenIds(files: Pick<EncoderFiles, 'tokenizer' | 'tokenizerConfig'>, name: string): TokenIds {
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(files.tokenizer, files.tokenizerConfig);
  } catch (err) {
    throw new FastWorkflowError(ErrorCode.ModelInvalid, `The tokenizer of ${name} could not be read (${(err as Error).message}). tokenizer.json must be a Hugging Face tokenizers file.`);
  }
  const config = files.tokenizerConfig as { model_max_length?: number; pad_token?: string | null };
  const maxTokens = Math.min(config.model_max_length && config.model_max_length < 100_000 ? config.model_max_length : DEFAULT_MAX_TOKENS, 512);
  const padId = (config.pad_token ? tokenizer.token_to_id(config.pad_token) : undefined) ?? 0;
  return { encode: (text) => truncate(tokenizer.encode(text).ids, maxTokens), padId, maxTokens };
}

function truncate(ids: number[], max: number): number[] {
  if (ids.length <= max) return ids;
  // Keep the closing special token (e.g. [SEP]) of BERT-style encodings.
  return [...ids.slice(0, max - 1), ids[ids.length - 1]];
}
