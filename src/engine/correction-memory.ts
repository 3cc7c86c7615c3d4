import { correctionKey, inScope, type Correction, type CorrectionChange } from '../session/corrections.ts';
import type { TurnRuntime } from './runtime.ts';
import { trainedCommandFor } from './training-match.ts';

/**
 * What a session has learned from corrections, kept in step with the store: taught to the classifier
 * (its nearest-neighbour memory) when the session opens, when another session of the same scope
 * records one, and forgotten again on undo.
 */

/** The corrections this session learns from (its own, or with device scope the workflow's), oldest first. */
export function correctionsInScope<App>(rt: TurnRuntime<App>): Promise<Correction[]> {
  return rt.corrections.list(rt.workflow.name, rt.correctionScope === 'session' ? rt.st.id : undefined);
}

/** Teach the classifier every correction in scope (opening a session; learning twice is harmless). */
export async function teachCorrections<App>(rt: TurnRuntime<App>): Promise<void> {
  if (!rt.classifier.learn) return;
  for (const c of await correctionsInScope(rt)) if (known(rt, c)) await rt.classifier.learn(c.utterance, c.context, c.command);
}

/** Undo a correction of this scope: removed from the store and from the classifier. */
export async function undoCorrection<App>(rt: TurnRuntime<App>, id: string): Promise<Correction | undefined> {
  const c = (await correctionsInScope(rt)).find((x) => x.id === id);
  if (!c) return undefined;
  const removed = (await rt.corrections.remove(id)) ?? c;
  await unlearn(rt, removed);
  return removed;
}

/** Another session (tab) recorded or removed a correction: learn or forget it when it is in scope. True if it was. */
export async function applyCorrectionChange<App>(rt: TurnRuntime<App>, change: CorrectionChange): Promise<boolean> {
  const c = change.correction;
  if (!inScope(c, rt.workflow.name, rt.st.id, rt.correctionScope) || !known(rt, c)) return false;
  if (change.type === 'recorded') await rt.classifier.learn?.(c.utterance, c.context, c.command);
  else await unlearn(rt, c);
  return true;
}

/** Forget a correction; a remaining one of the same phrase (another session's) is taught again. */
async function unlearn<App>(rt: TurnRuntime<App>, c: Correction): Promise<void> {
  await rt.classifier.forget?.(c.utterance, c.context, c.command);
  const key = correctionKey(c.utterance);
  for (const other of await correctionsInScope(rt)) {
    if (other.context === c.context && correctionKey(other.utterance) === key && known(rt, other)) await rt.classifier.learn?.(other.utterance, other.context, other.command);
  }
}

/** A correction for a command the workflow (still) has in that context, of a phrase no other command was trained on. */
function known<App>(rt: TurnRuntime<App>, c: Correction): boolean {
  return !!rt.workflow.commandIn(c.context, c.command) && (trainedCommandFor(rt.workflow, c.context, c.utterance) ?? c.command) === c.command;
}
