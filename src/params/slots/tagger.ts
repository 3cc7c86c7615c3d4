import { forwardBackward, viterbi } from './decode.ts';
import { tokenFeatures } from './features.ts';
import { buildLattice, featureIds, labelIds, parseSlotTaggerFile, weightsFromFile, type SlotTaggerFile, type TaggerWeights } from './model.ts';
import { tokenize } from './tokens.ts';

/** A value the tagger found: the field, the text and its span, and how sure the model is (0..1). */
export interface TaggedSpan {
  field: string;
  value: string;
  start: number;
  end: number;
  confidence: number;
}

/** Runs a trained slot tagger: Viterbi labels, and a confidence per span from the marginals. */
export class SlotTagger {
  readonly file: SlotTaggerFile;
  private readonly w: TaggerWeights;

  constructor(file: SlotTaggerFile) {
    this.file = parseSlotTaggerFile(file);
    this.w = weightsFromFile(this.file);
  }

  static fromJson(text: string, where?: string): SlotTagger {
    return new SlotTagger(parseSlotTaggerFile(JSON.parse(text), where));
  }

  /** The default minimum confidence. */
  get threshold(): number {
    return this.file.threshold;
  }

  /** The minimum confidence of a field's values (chosen when training, else the default). */
  thresholdOf(field: string): number {
    return this.file.thresholds[field] ?? this.file.threshold;
  }

  /** Does the model tag anything for this command? */
  knows(command: string): boolean {
    return (this.file.commands[command]?.length ?? 0) > 0;
  }

  /**
   * Spans of `text` for the command's fields (or only `fields`, when given). The confidence of a
   * span is the probability that exactly these tokens are this field's value (from forward-backward:
   * the span starts here, goes on to its last token, and stops there).
   */
  tag(text: string, command: string, fields?: readonly string[]): TaggedSpan[] {
    const known = this.file.commands[command] ?? [];
    const wanted = fields ? known.filter((f) => fields.includes(f)) : known;
    const tokens = tokenize(text);
    if (!wanted.length || !tokens.length) return [];
    const ids = labelIds(this.w.labels, wanted);
    const lattice = buildLattice(this.w, featureIds(tokenFeatures(tokens, this.file.gazetteer), this.w.featureIndex), ids);
    const path = viterbi(lattice);
    const m = forwardBackward(lattice);
    const K = ids.length;
    const spans: TaggedSpan[] = [];
    for (let t = 0; t < path.length; t++) {
      const label = this.w.labels[ids[path[t]]];
      if (!label.startsWith('B-')) continue;
      let e = t + 1;
      while (e < path.length && this.w.labels[ids[path[e]]] === `I-${label.slice(2)}`) e++;
      // Local ids are O, then B/I pairs: this field's I label follows its B label.
      const inside = path[t] + 1;
      let confidence = m.node[t * K + path[t]];
      for (let u = t; u + 1 < e; u++) confidence *= m.next(u, path[u], inside);
      if (e < path.length) confidence *= 1 - m.next(e - 1, path[e - 1], inside);
      spans.push({ field: label.slice(2), value: text.slice(tokens[t].start, tokens[e - 1].end), start: tokens[t].start, end: tokens[e - 1].end, confidence });
      t = e - 1;
    }
    return spans;
  }
}
