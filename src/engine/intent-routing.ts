import { ErrorCode } from '../errors.ts';
import { decideIntent } from '../intent/decide.ts';
import { idle, Stage } from '../session/conversation.ts';
import { BUILTIN_NAMES, OUT_OF_SCOPE } from '../workflow/builtin-names.ts';
import type { ContextRef } from '../workflow/types.ts';
import { isBuiltin, matchBuiltinPhrase } from './builtin-match.ts';
import { runBuiltin } from './builtins.ts';
import { parseChoice } from './choice-answer.ts';
import { classify } from './classify.ts';
import { askChoice, resolveChoice } from './command-choice.ts';
import { errorDraft, info, prefixed, type Draft } from './draft.ts';
import { matchCommandName } from './name-match.ts';
import { GLOBAL_REF } from './objects.ts';
import { IntentSource, OutputKind, response, type IntentInfo } from './output.ts';
import { answerConfirmation, answerParameters, runCommand, type LeaveQuestion } from './parameter-dialogue.ts';
import { replies } from './replies.ts';
import type { TurnRuntime } from './runtime.ts';
import { trainedCommandFor } from './training-match.ts';

/** One message: `/command`, a built-in phrase, an answer to the open question, or a new request. */
export async function route<App>(rt: TurnRuntime<App>, text: string, signal: AbortSignal): Promise<Draft> {
  if (!text) return info(replies.emptyMessage(), false);
  if (text.startsWith('/')) return slash(rt, text, signal);
  const builtin = matchBuiltinPhrase(text);
  if (builtin) return runBuiltin(rt, builtin);
  const c = rt.st.conversation;
  switch (c.stage) {
    case Stage.AskingParameters:
      return answerOrNewRequest(rt, await answerParameters(rt, c, text, signal), text, replies.leftQuestion, signal);
    case Stage.Confirming:
      return answerOrNewRequest(rt, await answerConfirmation(rt, c, text, signal), text, replies.leftConfirmation, signal);
    case Stage.ChoosingCommand: {
      const picked = parseChoice(text, c.choice.candidates);
      if (picked) return resolveChoice(rt, c, picked, signal);
      // Not an answer to the question: treat it as a new request.
      rt.st.conversation = idle();
      break;
    }
  }
  return detectAndRun(rt, text, signal);
}

/** The answer to the open question, or, when the message left it, the new request with a note of what was left. */
async function answerOrNewRequest<App>(rt: TurnRuntime<App>, answer: Draft | LeaveQuestion, text: string, left: (command: string) => string, signal: AbortSignal): Promise<Draft> {
  if (!('leave' in answer)) return answer;
  rt.st.conversation = idle();
  return prefixed(await detectAndRun(rt, text, signal), left(answer.pending), true);
}

/** `/command key=value …`: deterministic, by name. */
async function slash<App>(rt: TurnRuntime<App>, text: string, signal: AbortSignal): Promise<Draft> {
  const m = /^\/\s*([\w-]+)\s*(.*)$/s.exec(text);
  if (!m) return info(replies.slashUsage(), false);
  const name = m[1].replace(/-/g, '_');
  if (isBuiltin(name)) return runBuiltin(rt, name);
  const found = rt.commandHere(name);
  if (!found) return unknownCommand(rt, name);
  rt.st.conversation = idle();
  return runCommand(rt, found.command, found.target, m[2], text, { source: IntentSource.Slash, label: name }, signal);
}

export function unknownCommand<App>(rt: TurnRuntime<App>, name: string): Draft {
  return errorDraft({ code: ErrorCode.UnknownCommand, message: replies.unknownCommand(name, rt.commandList(rt.st.current.context)), commands: [name] });
}

/**
 * A new request: exact or near command name → a correction made earlier (in this session, or on this
 * device with `correctionScope: 'device'`) → the
 * current context's classifier → the ancestors' classifiers → out of scope.
 */
async function detectAndRun<App>(rt: TurnRuntime<App>, text: string, signal: AbortSignal): Promise<Draft> {
  const here = rt.st.current;
  const visible = rt.workflow.commandsIn(here.context);

  const byName = matchCommandName(text, visible);
  if (byName) return runCommand(rt, byName.command, here, byName.rest, text, { source: byName.source, label: byName.command.name }, signal);

  const corrected = await rt.corrections.find({ workflow: rt.workflow.name, ...(rt.correctionScope === 'session' ? { sessionId: rt.st.id } : {}), context: here.context, utterance: text });
  // A stored correction never overrides a phrase another command was trained on (e.g. one recorded before that seed was added).
  const overrides = corrected && (trainedCommandFor(rt.workflow, here.context, text) ?? corrected.command) !== corrected.command;
  const correctedCmd = corrected && !overrides && rt.workflow.commandIn(here.context, corrected.command);
  if (correctedCmd) return runCommand(rt, correctedCmd, here, text, text, { source: IntentSource.Correction, label: correctedCmd.name }, signal);

  const allowed = new Set<string>([...visible.map((c) => c.name), ...BUILTIN_NAMES]);
  const decision = decideIntent(await classify(rt, text, here.context, signal), allowed);
  const intent: IntentInfo = { source: IntentSource.Classifier, ranked: decision.ranked, context: here.context };
  const rankedLabels = decision.ranked.map((r) => r.label).filter((l) => l !== OUT_OF_SCOPE && !isBuiltin(l));

  if (decision.kind === 'confident') {
    intent.label = decision.label;
    intent.score = decision.score;
    if (isBuiltin(decision.label)) return { ...(await runBuiltin(rt, decision.label)), intent };
    const cmd = rt.workflow.commandIn(here.context, decision.label)!;
    rt.st.last = { utterance: text, command: cmd.name, target: here, ranked: rankedLabels };
    return runCommand(rt, cmd, here, text, text, intent, signal);
  }

  // Not clear here: an ancestor that is confident wins; a command found there runs on that ancestor
  // object and the current context stays.
  for (const ancestor of await rt.ancestors(here)) {
    const d = decideIntent(await classify(rt, text, ancestor.context, signal), new Set(rt.workflow.commandsIn(ancestor.context).map((c) => c.name)));
    if (d.kind === 'confident' && !isBuiltin(d.label)) {
      const cmd = rt.workflow.commandIn(ancestor.context, d.label)!;
      rt.st.last = { utterance: text, command: cmd.name, target: ancestor, ranked: rankedLabels };
      return runCommand(rt, cmd, ancestor, text, text, { source: IntentSource.Ancestor, label: d.label, score: d.score, ranked: d.ranked, context: ancestor.context }, signal);
    }
  }

  rt.st.last = { utterance: text, command: '', target: here, ranked: rankedLabels };
  if (decision.kind === 'ambiguous') {
    const commands = decision.candidates.filter((c) => !isBuiltin(c.label));
    if (commands.length > 0) return askChoice(rt, 'ambiguous', text, commands, here, intent);
  }

  const other = await elsewhere(rt, text, here, signal);
  // Another context's model is sure of a command that is also visible here (inherited): ask, never guess.
  if (other && visible.some((c) => c.name === other.command)) return askChoice(rt, 'ambiguous', text, [{ label: other.command, score: other.score }], here, intent);
  return {
    kind: OutputKind.OutOfScope,
    success: false,
    responses: [response(replies.outOfScope(text, await rt.display(here), rt.commandList(here.context), other), false)],
    intent,
  };
}

/**
 * A command of a context that is neither this one nor an ancestor, confidently matching the text by
 * that context's model. It may be visible here too (both inherit it from a common base).
 */
async function elsewhere<App>(rt: TurnRuntime<App>, text: string, here: ContextRef, signal: AbortSignal): Promise<{ command: string; context: string; score: number } | undefined> {
  const near = new Set([here.context, ...(await rt.ancestors(here)).map((r) => r.context), GLOBAL_REF.context]);
  let best: { command: string; context: string; score: number } | undefined;
  for (const context of rt.workflow.contextNames().filter((c) => !near.has(c))) {
    const visible = new Set(rt.workflow.commandsIn(context).map((c) => c.name));
    if (visible.size === 0) continue;
    const d = decideIntent(await classify(rt, text, context, signal), visible);
    if (d.kind === 'confident' && (!best || d.score > best.score)) best = { command: d.label, context, score: d.score };
  }
  return best;
}
