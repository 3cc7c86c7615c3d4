/**
 * Seed utterances for a generated command, from the method's name, its description and its
 * parameters: templates with `{field}` placeholders that the trainer fills from the fields' examples
 * (and that the parameter extractor uses to find values).
 *
 * Extension point: a `Paraphraser` (an LLM, configured elsewhere) adds phrasings; `paraphrases()`
 * collects them for `generateWorkflow`'s `extraUtterances`. `fastworkflow build` passes none yet, so
 * the seeds are deterministic and need no network.
 */
import { words, type AppModel, type MethodModel } from './app-model.ts';

/** Adds phrasings for a command (e.g. LLM paraphrases of the seeds, cached like training's). */
export type Paraphraser = (method: MethodModel, seeds: readonly string[]) => Promise<string[]>;

/** Every command's extra phrasings from a paraphraser, keyed `Class.method` (generate.ts's `extraUtterances`). */
export async function paraphrases(app: AppModel, paraphrase: Paraphraser | undefined): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  if (!paraphrase) return out;
  for (const cls of app.classes) {
    for (const m of cls.methods) out[`${cls.name}.${m.method}`] = await paraphrase(m, seedUtterances(m));
  }
  return out;
}

const NAVIGATE_VERBS = ['get', 'find', 'open', 'select', 'show', 'lookup', 'fetch', 'load'];

export function seedUtterances(method: MethodModel): string[] {
  const phrase = words(method.method);
  const [verb, ...rest] = phrase.split(' ');
  const object = rest.join(' ');
  const required = method.params.filter((p) => !p.optional);
  const out: string[] = [];
  const slot = (name: string) => `{${name}}`;
  const labelled = (names: string[]) => names.map((n) => `${words(n)} ${slot(n)}`);

  if (method.params.length === 0) {
    out.push(phrase);
    if (object) out.push(`${verb} the ${object}`, `${verb} my ${object}`);
  } else {
    for (const params of required.length < method.params.length ? [required, method.params] : [method.params]) {
      const names = params.map((p) => p.name);
      if (!names.length) {
        out.push(phrase);
        continue;
      }
      const [first, ...others] = names;
      // "add book {title} author {author}", "add book with title {title} and author {author}"
      out.push([`${phrase} ${slot(first)}`, ...labelled(others)].join(' '));
      if (!phrase.endsWith(words(first))) out.push(`${phrase} with ${labelled(names).join(' and ')}`);
      if (object) out.push([`${verb} ${slot(first)}`, ...(others.length ? [`with ${labelled(others).join(' and ')}`] : [])].join(' '));
      if (names.length === 1) out.push(`${phrase} for ${slot(first)}`, ...(object.endsWith(words(first)) ? [] : [`${verb} ${words(first)} ${slot(first)}`]));
    }
  }
  if (method.returns.kind === 'context' && NAVIGATE_VERBS.includes(verb)) {
    const first = method.params[0]?.name;
    const target = object || words(method.returns.context);
    out.push(...(first ? [`open ${target} ${slot(first)}`, `${verb} the ${target} ${slot(first)}`, `${verb} the ${slot(first)}`] : [`open the ${target}`]));
  }
  const fromDoc = descriptionPhrase(method.description);
  if (fromDoc) out.push(fromDoc);
  // The parameter extractor tries a command's templates in order and takes the first that matches:
  // the most specific (most literal text) first, so "find the {name}" wins over "find {name}".
  const literal = (u: string) => u.replace(/\{\w+\}/g, '').replace(/\s+/g, ' ').trim().length;
  const unique = [...new Set(out.map((u) => u.replace(/\s+/g, ' ').trim()))];
  return unique.map((u, i) => ({ u, i })).sort((a, b) => literal(b.u) - literal(a.u) || a.i - b.i).map(({ u }) => u);
}

/** The description's first sentence as a request ("Adds a book." → "adds a book"), if short. */
function descriptionPhrase(description: string | undefined): string | undefined {
  const first = description?.split(/(?<=[.!?])\s|\n/)[0]?.replace(/[.!?]+$/, '').trim().toLowerCase();
  if (!first || first.split(/\s+/).length > 10 || /[{}`]/.test(first)) return undefined;
  return first;
}
