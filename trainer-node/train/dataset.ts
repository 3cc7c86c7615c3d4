import { OUT_OF_SCOPE, normalizeText, type CompiledWorkflow } from '../../src/index.ts';
import { fnv1a } from '../../src/util/fnv1a.ts';
import { allBuiltinNames, augment, bareValues, builtinSeeds, JUNK_UTTERANCES, seedUtterances, type Utterance } from './utterances.ts';

export interface Example {
  text: string;
  label: string;
  /** The seed template it comes from: held-out splits keep a template's utterances together. */
  group: string;
  /**
   * written: by the developer (seeds, extra utterances, the workflow's out-of-scope examples);
   * generated: slot fillings, augmentations, the humanised name; negative: other contexts'
   * utterances and junk, as out-of-scope rows.
   */
  source: 'written' | 'generated' | 'negative';
}

export interface Conflict {
  context: string;
  text: string;
  labels: string[];
}

export interface ContextDataset {
  context: string;
  /** Commands visible here, then the built-ins, then the out-of-scope class. */
  labels: string[];
  examples: Example[];
}

/** How many examples of each source a data set holds. */
export function countSources(examples: readonly Example[]): Record<Example['source'], number> {
  const n = { written: 0, generated: 0, negative: 0 };
  for (const e of examples) n[e.source]++;
  return n;
}

export interface DatasetOptions {
  seed: number;
  /** Generated utterances fill each label up to this many; written ones are all kept. */
  maxPerLabel: number;
  /** Extra utterances per command (e.g. cached LLM paraphrases), keyed by command name. */
  extra?: Record<string, string[]>;
  /** Extra utterances of a command in one context only (corrections): context → command → utterances; they come first. */
  contextExtra?: Record<string, Record<string, string[]>>;
}

/**
 * Per context, as upstream: labels = the commands visible there + built-ins + out-of-scope, whose
 * examples are the workflow's own out-of-scope examples (`outOfScope`), other contexts' utterances
 * and junk-shaped input. The same text under two labels is a conflict: it is reported and kept only
 * for the first label (commands before built-ins before out-of-scope). A workflow out-of-scope
 * example equal to a visible command's utterance is a conflict too (labels [command, out_of_scope]).
 */
export function buildDatasets(workflow: CompiledWorkflow<any>, options: DatasetOptions): { datasets: ContextDataset[]; conflicts: Conflict[] } {
  const perCommand = new Map<string, Utterance[]>();
  const allCommands = new Map<string, string[]>();
  for (const context of workflow.contextNames()) {
    for (const cmd of workflow.commandsIn(context, { includeHidden: true })) {
      const key = `${cmd.definedIn}/${cmd.name}`;
      if (!perCommand.has(key) && !cmd.definition.hidden) {
        const seeds = [...seedUtterances(cmd), ...(options.extra?.[cmd.name] ?? []).map((text, i) => ({ text, group: `x${i}`, written: true }))];
        perCommand.set(key, augment(seeds, { seed: options.seed + hash(key), maxPerLabel: options.maxPerLabel }));
        allCommands.set(key, seedUtterances(cmd).map((u) => u.text));
      }
    }
  }
  const builtins = allBuiltinNames().map((b) => ({ label: b as string, texts: augment(builtinSeeds(b), { seed: options.seed + hash(b), maxPerLabel: options.maxPerLabel }) }));

  const declared = [...new Set((workflow.definition.outOfScope ?? []).map((t: string) => t.trim()).filter((t: string) => t.length > 0))] as string[];
  const declaredKeys = new Set(declared.map((t) => normalizeText(t)));
  const datasets: ContextDataset[] = [];
  const conflicts: Conflict[] = [];
  for (const context of workflow.contextNames()) {
    const visible = workflow.commandsIn(context);
    const visibleNames = new Set(visible.map((c) => c.name));
    const groups: { label: string; texts: Utterance[] }[] = [
      ...visible.map((c) => ({
        label: c.name,
        texts: [...correctionRows(options.contextExtra?.[context]?.[c.name], options.seed + hash(`${context}/${c.name}`)), ...perCommand.get(`${c.definedIn}/${c.name}`)!],
      })),
      ...builtins,
    ];
    const negatives: string[] = [...JUNK_UTTERANCES];
    for (const [key, texts] of allCommands) if (!visibleNames.has(key.split('/')[1])) negatives.push(...texts);
    for (const c of visible) negatives.push(...bareValues(c));
    groups.push({
      label: OUT_OF_SCOPE,
      texts: [...declared.map((text) => ({ text, group: text, written: true })), ...negatives.map((text) => ({ text, group: text, written: false }))],
    });

    const owner = new Map<string, string>();
    const clash = new Map<string, Set<string>>();
    const examples: Example[] = [];
    for (const g of groups) {
      for (const { text, group, written } of g.texts) {
        const key = normalizeText(text);
        const first = owner.get(key);
        if (first === undefined) {
          owner.set(key, g.label);
          const source = g.label === OUT_OF_SCOPE && !written ? 'negative' : written ? 'written' : 'generated';
          examples.push({ text, label: g.label, group: `${g.label}:${group}`, source });
        } else if (first !== g.label && (g.label !== OUT_OF_SCOPE || (written && declaredKeys.has(key)))) {
          clash.set(key, (clash.get(key) ?? new Set([first])).add(g.label));
        }
      }
    }
    for (const [text, labels] of clash) conflicts.push({ context, text, labels: [...labels] });
    datasets.push({ context, labels: groups.map((g) => g.label), examples });
  }
  return { datasets, conflicts };
}

/**
 * A command's corrections in one context: each phrase and its augmentations (a user's correction is
 * one sentence; its variants give it the weight of a seed), all in the phrase's held-out group.
 */
function correctionRows(texts: readonly string[] | undefined, seed: number): Utterance[] {
  if (!texts?.length) return [];
  const seeds = texts.map((text, i) => ({ text, group: `correction${i}`, written: true }));
  return augment(seeds, { seed, maxPerLabel: seeds.length * CORRECTION_VARIANTS });
}

/** Rows per correction (the phrase and its case, punctuation, filler and typo variants). */
const CORRECTION_VARIANTS = 6;

/** A small stable string hash (FNV-1a) for per-label seeds. */
export const hash = fnv1a;
