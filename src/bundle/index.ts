/**
 * The trained-bundle runtime (separate entry: it pulls in the tokenizer). The built-in encoder runs on
 * its own WebAssembly kernel; for any other ONNX encoder the ONNX runtime is passed in.
 */
export * from './format/index.ts';
export { loadBundle, type BundleCopies, type BundleReads, type BundleSource, type KeptCopy, type LoadBundleOptions, type LoadedBundle } from './load-bundle.ts';
export { BundleClassifier } from './bundle-classifier.ts';
export { scoreEmbedding, headProbabilities, mixNeighbours, neighbourSimilarities, rankScores, softmaxInPlace, LEARNED_MATCH, type ContextModel } from './context-model.ts';
export type { SentenceEncoder } from './encoder.ts';
export { createOnnxEncoder, meanPoolNormalised, type EncoderFiles, type OnnxEncoderOptions, type OrtModule, type OrtSession } from './onnx-encoder.ts';
export { onnxFileFor, readEncoderFiles } from './encoder-files.ts';
export { lexicalFeatures } from './lexical-features.ts';
export { FetchBundleSource, BUNDLE_CACHE, COPY_CHECKSUM_HEADER, COPY_HASH_HEADER } from './fetch-source.ts';
export { BUILTIN_ENCODER_SOURCE } from './builtin-encoder.ts';
export { createUseLiteEncoder, isUseLiteModel, reserveUseLiteMemory, type UseLiteEncoder, type UseLiteEncoderOptions } from './use-lite/use-lite-encoder.ts';
