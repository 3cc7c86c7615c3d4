/** Turns sentences into normalised embeddings (the bundle's frozen encoder). */
export interface SentenceEncoder {
  readonly dim: number;
  embed(texts: readonly string[], options?: { signal?: AbortSignal }): Promise<Float32Array[]>;
}
