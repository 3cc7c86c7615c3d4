/**
 * config.json for transformers.js. USE-Lite is not a BERT network: `model_type: "bert"` only makes
 * transformers.js load the ONNX file with its generic encoder class, which feeds `input_ids` and
 * `attention_mask` and reads `last_hidden_state`.
 */
import { PAD_TOKEN_ID } from './tokenizer.ts';
import type { UseLiteWeights } from './use-weights.ts';

export function modelConfigJson(weights: UseLiteWeights): Record<string, unknown> {
  const last = weights.layers[weights.layers.length - 1];
  return {
    _comment:
      'Not a BERT network: Universal Sentence Encoder Lite (2-layer Transformer, SentencePiece-unigram vocabulary) converted to ONNX. ' +
      'model_type is "bert" only so that transformers.js loads it with its generic encoder class; see SOURCE.md.',
    model_type: 'bert',
    architectures: ['BertModel'],
    vocab_size: weights.embeddings.rows,
    hidden_size: weights.head.outputs,
    num_hidden_layers: weights.layers.length,
    num_attention_heads: last.heads,
    max_position_embeddings: weights.maxLength,
    pad_token_id: PAD_TOKEN_ID,
    'transformers.js_config': { dtype: 'q8' },
  };
}
