import type { IntentClassifier, IntentPrediction, IntentThresholds } from '../../../src/index.ts';

/** A classifier that answers from a script: text → scores. Unscripted text is out of scope. */
export class ScriptedClassifier implements IntentClassifier {
  readonly calls: { text: string; context: string }[] = [];
  readonly learned: { text: string; context: string; label: string }[] = [];

  constructor(
    private readonly script: Record<string, Record<string, number>>,
    private readonly thresholds: IntentThresholds = { confident: 0.6, margin: 0.15, minimum: 0.25 },
  ) {}

  async classify(text: string, context: string): Promise<IntentPrediction> {
    this.calls.push({ text, context });
    const scores = this.script[`${context}|${text}`] ?? this.script[text] ?? { __out_of_scope__: 0.9 };
    const ranked = Object.entries(scores)
      .map(([label, score]) => ({ label, score }))
      .sort((a, b) => b.score - a.score);
    return { ranked, thresholds: this.thresholds };
  }

  learn(text: string, context: string, label: string): void {
    this.learned.push({ text, context, label });
  }
}
