import type { IntentScore } from '../intent/classifier.ts';
import { chooseCommand, idle, type ChoiceReason, type ChoosingCommand } from '../session/conversation.ts';
import type { ContextRef } from '../workflow/types.ts';
import { prefixed, type Draft } from './draft.ts';
import { IntentSource, OutputKind, response, type CommandChoice, type IntentInfo } from './output.ts';
import { runCommand } from './parameter-dialogue.ts';
import { replies } from './replies.ts';
import { randomId, type TurnRuntime } from './runtime.ts';
import { trainedCommandFor } from './training-match.ts';

/** Offer candidate commands for an utterance (an ambiguity, or after "you misunderstood"). */
export function askChoice<App>(rt: TurnRuntime<App>, reason: ChoiceReason, utterance: string, scores: readonly IntentScore[], target: ContextRef, intent?: IntentInfo): Draft {
  const choices: CommandChoice[] = scores.map((s) => ({
    command: s.label,
    description: rt.workflow.commandIn(target.context, s.label)?.definition.description ?? '',
    ...(Number.isFinite(s.score) ? { score: s.score } : {}),
  }));
  const question = { type: 'intent' as const, reason, utterance, choices };
  rt.st.conversation = chooseCommand(reason, { utterance, candidates: choices.map((c) => c.command), target }, question);
  return {
    kind: OutputKind.AskIntent,
    success: false,
    responses: [response(replies.chooseCommand(reason, utterance, choices), false)],
    clarification: question,
    ...(intent ? { intent } : {}),
  };
}

/**
 * The user picked a command: record the correction, teach the classifier, and run it. A phrase that is
 * a training utterance of another command is not learned (that would silently override what the
 * developer taught): the picked command runs this once and the reply says so.
 */
export async function resolveChoice<App>(rt: TurnRuntime<App>, c: ChoosingCommand, command: string, signal: AbortSignal): Promise<Draft> {
  const { choice } = c;
  const cmd = rt.workflow.commandIn(choice.target.context, command)!;
  rt.st.conversation = idle();
  const trainedFor = trainedCommandFor(rt.workflow, choice.target.context, choice.utterance);
  rt.st.last = { utterance: choice.utterance, command, target: choice.target, ranked: choice.candidates };
  const intent = { source: IntentSource.Choice, label: command };
  if (trainedFor && trainedFor !== command) {
    const draft = await runCommand(rt, cmd, choice.target, choice.utterance, choice.utterance, intent, signal);
    return prefixed(draft, replies.notLearned(choice.utterance, trainedFor, command), true);
  }
  await rt.corrections.record(
    {
      id: randomId(),
      workflow: rt.workflow.name,
      sessionId: rt.st.id,
      context: choice.target.context,
      utterance: choice.utterance,
      command,
      source: c.reason === 'misunderstood' ? 'misunderstood' : 'ambiguity',
      at: rt.now(),
    },
    { scope: rt.correctionScope },
  );
  await rt.classifier.learn?.(choice.utterance, choice.target.context, command);
  return runCommand(rt, cmd, choice.target, choice.utterance, choice.utterance, intent, signal);
}
