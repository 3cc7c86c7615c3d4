/**
 * Hugging Face tokenizer files for USE-Lite: a SentencePiece-style Unigram model built from the
 * package's `vocab.json` ([piece, score] pairs), with the TF.js tokenizer's normalisation
 * (NFKC, then "▁" in front, then every space replaced by "▁"). No special tokens are added and
 * the text stays case-sensitive.
 */

/** The pieces of `vocab.json`; seven emoticon/colon pieces have a null score. */
export type UseVocab = ReadonlyArray<readonly [string, number | null]>;

const UNK_PIECE = '\uFFFD';
/**
 * Ids 1–5 are reserved symbols the TF.js tokenizer never emits (it only matches pieces from id 6).
 * They are renamed so that ordinary text cannot match them; id 2 doubles as the padding token.
 */
const RESERVED_PIECES: Readonly<Record<string, string>> = {
  '<s>': '<use-reserved:s>',
  '</s>': '<use-reserved:/s>',
  extra_token_id_1: '<use-reserved:extra1>',
  extra_token_id_2: '<use-reserved:extra2>',
  extra_token_id_3: '<use-reserved:extra3>',
};
const FIRST_REAL_PIECE = 6;
/** Id of `</s>` (renamed `<use-reserved:/s>`), used for padding. */
export const PAD_TOKEN_ID = 2;

export function parseVocab(bytes: Buffer): UseVocab {
  return JSON.parse(bytes.toString('utf8')) as UseVocab;
}

/**
 * tokenizer.json. Reserved pieces (and the unknown piece) get the lowest real score, so they never
 * win a split. A null score counts as 0, as it does in the TF.js tokenizer (`null + x === x`).
 */
export function tokenizerJson(vocab: UseVocab): Record<string, unknown> {
  const realScores = vocab.slice(FIRST_REAL_PIECE).flatMap(([, score]) => (score === null ? [] : [score]));
  const lowest = Math.min(...realScores);
  const pieces = vocab.map(([piece, score], id): [string, number] =>
    id < FIRST_REAL_PIECE ? [RESERVED_PIECES[piece] ?? piece, lowest] : [piece, score ?? 0],
  );
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'NFKC' },
        { type: 'Prepend', prepend: '▁' },
        { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
      ],
    },
    pre_tokenizer: null,
    post_processor: null,
    decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: false },
    model: { type: 'Unigram', unk_id: pieces.findIndex(([piece]) => piece === UNK_PIECE), vocab: pieces, byte_fallback: false },
  };
}

/** tokenizer_config.json; `maxLength` is where the TF graph clips the input. */
export function tokenizerConfigJson(maxLength: number): Record<string, unknown> {
  return {
    tokenizer_class: 'PreTrainedTokenizer',
    model_max_length: maxLength,
    pad_token: RESERVED_PIECES['</s>'],
    unk_token: UNK_PIECE,
    bos_token: null,
    eos_token: null,
    clean_up_tokenization_spaces: false,
    add_prefix_space: true,
    do_lower_case: false,
  };
}

export function specialTokensMapJson(): Record<string, unknown> {
  return { pad_token: RESERVED_PIECES['</s>'], unk_token: UNK_PIECE };
}
