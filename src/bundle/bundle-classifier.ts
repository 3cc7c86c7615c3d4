import { ErrorCode, FastWorkflowError } from '../errors.ts';
import type { ClassifyOptions, IntentClassifier, IntentPrediction, IntentScore } from '../intent/classifier.ts';
import type { ParameterExtractor } from '../params/extract.ts';
import { TaggedExtractor } from '../params/slots/tagged-extractor.ts';
import { SlotTagger } from '../params/slots/tagger.ts';
import type { SentenceEncoder } from './encoder.ts';
import { scoreEmbedding, type ContextModel } from './context-model.ts';
import type { LoadedBundle } from './load-bundle.ts';
import { lexicalFeatures } from './lexical-features.ts';

/** Intent detection with a trained bundle: encoder embedding → the context's head + memory. */
export class BundleClassifier implements IntentClassifier {
  private readonly cache = new Map<string, Float32Array>();

  constructor(
    readonly bundle: LoadedBundle,
    private readonly encoder: SentenceEncoder,
  ) {}

  /** The bundle's slot tagger behind deterministic extraction (none in a bundle without one). */
  parameterExtractor(): ParameterExtractor | undefined {
    return this.bundle.slotTagger ? new TaggedExtractor(new SlotTagger(this.bundle.slotTagger)) : undefined;
  }

  async classify(text: string, context: string, options: ClassifyOptions = {}): Promise<IntentPrediction> {
    const model = this.model(context);
    const x = await this.embed(text, options.signal);
    return { ranked: scoreEmbedding(model, x, this.lexical(text)), thresholds: model.thresholds };
  }

  /** Classify many texts in one context (tests, benchmarks). */
  async classifyBatch(texts: readonly string[], context: string, options: ClassifyOptions = {}): Promise<IntentScore[][]> {
    const model = this.model(context);
    const vectors = await this.encoder.embed(texts, options);
    return vectors.map((x, i) => scoreEmbedding(model, x, this.lexical(texts[i])));
  }

  async learn(text: string, context: string, label: string): Promise<void> {
    const model = this.model(context);
    const index = model.labels.indexOf(label);
    if (index < 0) return;
    const vector = await this.embed(text);
    if (!model.learned.some((ex) => ex.label === index && sameVector(ex.vector, vector))) model.learned.push({ vector, label: index });
  }

  /** Undo `learn` (the text embeds to the same vector: the encoder is deterministic). */
  async forget(text: string, context: string, label: string): Promise<void> {
    const model = this.model(context);
    const index = model.labels.indexOf(label);
    if (index < 0) return;
    const vector = await this.embed(text);
    model.learned = model.learned.filter((ex) => !(ex.label === index && sameVector(ex.vector, vector)));
  }

  private lexical(text: string): Float32Array {
    const { size, scale } = this.bundle.manifest.lexical;
    return lexicalFeatures(text, size, scale);
  }

  private model(context: string): ContextModel {
    const model = this.bundle.contexts.get(context);
    if (!model) {
      throw new FastWorkflowError(ErrorCode.BundleInvalid, `The bundle has no model for context "${context}" (it has: ${[...this.bundle.contexts.keys()].join(', ')}). Re-train the bundle for this workflow.`);
    }
    return model;
  }

  private async embed(text: string, signal?: AbortSignal): Promise<Float32Array> {
    const hit = this.cache.get(text);
    if (hit) return hit;
    const [x] = await this.encoder.embed([text], { signal });
    this.cache.set(text, x);
    if (this.cache.size > 256) this.cache.delete(this.cache.keys().next().value!);
    return x;
  }
}

function sameVector(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > 1e-6) return false;
  return true;
}
