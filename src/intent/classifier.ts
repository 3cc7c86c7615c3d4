import type { ParameterExtractor } from '../params/extract.ts';

/** One label with its score (a probability for trained models, a similarity for the lexical one). */
export interface IntentScore {
  label: string;
  score: number;
}

/** Confidence thresholds of one context's classifier (chosen from held-out data by the trainer). */
export interface IntentThresholds {
  /** The top label is taken without asking when its score is at least this ... */
  confident: number;
  /** ... and it leads the runner-up by at least this much. */
  margin: number;
  /** Below this, nothing is a candidate: the message is out of scope for the context. */
  minimum: number;
}

export interface IntentPrediction {
  /** All labels of the context, best first. */
  ranked: IntentScore[];
  thresholds?: IntentThresholds;
}

export interface ClassifyOptions {
  signal?: AbortSignal;
}

/**
 * Intent detection for the commands visible in one context. Implementations: the lexical fallback
 * (no training), the trained bundle (Node and the browser Worker), or a scripted one in tests.
 */
export interface IntentClassifier {
  classify(text: string, context: string, options?: ClassifyOptions): Promise<IntentPrediction>;
  /** Learn one example at once (used by corrections); optional. */
  learn?(text: string, context: string, label: string): Promise<void> | void;
  /** Forget what `learn` taught for this text and label (undo of a correction); optional. */
  forget?(text: string, context: string, label: string): Promise<void> | void;
  /** Parameter extraction trained with the same bundle (the slot tagger); the session uses it unless given another. */
  parameterExtractor?(): ParameterExtractor | undefined;
}

export const DEFAULT_THRESHOLDS: IntentThresholds = { confident: 0.6, margin: 0.15, minimum: 0.25 };
