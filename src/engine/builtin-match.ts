import { normalizeText, humanizeName } from '../text/normalize.ts';
import { BUILTIN_NAMES, BUILTIN_UTTERANCES, type Builtin } from '../workflow/builtin-names.ts';

const PHRASES = new Map<string, Builtin>();
for (const b of BUILTIN_NAMES) {
  PHRASES.set(humanizeName(b), b);
  for (const u of BUILTIN_UTTERANCES[b]) PHRASES.set(normalizeText(u), b);
}

/** A built-in named exactly by the message ("what can I do?", "go up", "abort"). */
export function matchBuiltinPhrase(message: string): Builtin | undefined {
  return PHRASES.get(normalizeText(message).replace(/\s*(please|thanks)$/, ''));
}

export function isBuiltin(label: string): label is Builtin {
  return (BUILTIN_NAMES as readonly string[]).includes(label);
}
