import type { ParameterExtractor } from '../params/extract.ts';

/** One label with its score (a probability for trained models, a similarity for the lexical one). */
export interface IntentScore {
  label: string;
  score: number;
  /**
   * Cosine between the message and the label's nearest training example, when the classifier keeps
   * examples (the trained bundle, for its best labels): how far the message is from anything the
   * label was trained on, which a softmax probability cannot tell.
   */
  similarity?: number;
}

/**
 * Thresholds on the support of the top label, score × similarity (its probability times the cosine to
 * its nearest training example), for classifiers that report similarities. A probability alone is
 * high for a request near one command but about something else (an unseen intent); the support falls
 * with the distance.
 */
export interface SupportThresholds {
  /** Executed without asking only when the support is at least this … */
  execute: number;
  /** … and rejected as out of scope below this. */
  reject: number;
}

/** Confidence thresholds of one context's classifier (chosen from held-out data by the trainer). */
export interface IntentThresholds {
  /** The top label is taken without asking when its score is at least this ... */
  confident: number;
  /** ... and it leads the runner-up by at least this much. */
  margin: number;
  /** Below this, nothing is a candidate: the message is out of scope for the context. */
  minimum: number;
  /** Also required when the top label carries a similarity (bundles of format version 2 on). */
  support?: SupportThresholds;
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
