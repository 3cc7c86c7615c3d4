import { normalizeText } from '../text/normalize.ts';
import type { CompiledWorkflow } from '../workflow/compile.ts';
import { BUILTIN_NAMES, BUILTIN_UTTERANCES, type Builtin } from '../workflow/builtin-names.ts';
import type { ClassifyOptions, IntentClassifier, IntentPrediction, IntentThresholds } from './classifier.ts';
import { baseExamples } from './utterances.ts';

type Vector = Map<string, number>;

const CONTRACTIONS: [RegExp, string][] = [
  [/\bwhat's\b/g, 'what is'],
  [/\bwhere's\b/g, 'where is'],
  [/\bi'm\b/g, 'i am'],
  [/\bdon't\b/g, 'do not'],
  [/\bcan't\b/g, 'can not'],
  [/\blet's\b/g, 'let us'],
];

/** Similarity scores need their own thresholds (they are not probabilities). */
export const LEXICAL_THRESHOLDS: IntentThresholds = { confident: 0.45, margin: 0.08, minimum: 0.22 };

/**
 * A training-free fallback: word + character-trigram cosine similarity against each command's name and
 * seed utterances. Good enough to drive the examples before a model is trained; the trained bundle
 * replaces it.
 */
export class LexicalClassifier implements IntentClassifier {
  private readonly examples = new Map<string, { label: string; vector: Vector; learned?: string }[]>();

  constructor(private readonly workflow: CompiledWorkflow<any>) {}

  async classify(text: string, context: string, _options?: ClassifyOptions): Promise<IntentPrediction> {
    const query = vectorize(text);
    const best = new Map<string, number>();
    for (const ex of this.examplesOf(context)) {
      const s = cosine(query, ex.vector);
      if (s > (best.get(ex.label) ?? -1)) best.set(ex.label, s);
    }
    const ranked = [...best.entries()].map(([label, score]) => ({ label, score })).sort((a, b) => b.score - a.score || a.label.localeCompare(b.label));
    return { ranked, thresholds: LEXICAL_THRESHOLDS };
  }

  learn(text: string, context: string, label: string): void {
    const list = this.examplesOf(context);
    const key = normalizeText(text);
    if (!list.some((e) => e.learned === key && e.label === label)) list.push({ label, vector: vectorize(text), learned: key });
  }

  forget(text: string, context: string, label: string): void {
    const key = normalizeText(text);
    const list = this.examplesOf(context);
    for (let i = list.length - 1; i >= 0; i--) if (list[i].learned === key && list[i].label === label) list.splice(i, 1);
  }

  private examplesOf(context: string): { label: string; vector: Vector; learned?: string }[] {
    let list = this.examples.get(context);
    if (!list) {
      list = [];
      for (const cmd of this.workflow.commandsIn(context)) {
        for (const ex of baseExamples(cmd.name, cmd.definition.utterances ?? [], cmd.fields)) {
          list.push({ label: cmd.name, vector: vectorize(ex) });
        }
        if (cmd.definition.description) list.push({ label: cmd.name, vector: vectorize(cmd.definition.description) });
      }
      for (const b of BUILTIN_NAMES) {
        for (const u of BUILTIN_UTTERANCES[b as Builtin]) list.push({ label: b, vector: vectorize(u) });
      }
      this.examples.set(context, list);
    }
    return list;
  }
}

function tokens(text: string): string[] {
  let t = normalizeText(text);
  for (const [re, rep] of CONTRACTIONS) t = t.replace(re, rep);
  return t
    .split(' ')
    .map((w) => w.replace(/[^\p{L}]/gu, ''))
    .filter((w) => w.length > 0)
    .map((w) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w));
}

function vectorize(text: string): Vector {
  const v: Vector = new Map();
  const add = (k: string, w: number) => v.set(k, (v.get(k) ?? 0) + w);
  for (const w of tokens(text)) {
    add(`w:${w}`, 1);
    const padded = ` ${w} `;
    for (let i = 0; i + 3 <= padded.length; i++) add(`c:${padded.slice(i, i + 3)}`, 0.25);
  }
  return v;
}

function cosine(a: Vector, b: Vector): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, x] of a) {
    na += x * x;
    const y = b.get(k);
    if (y) dot += x * y;
  }
  for (const y of b.values()) nb += y * y;
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
