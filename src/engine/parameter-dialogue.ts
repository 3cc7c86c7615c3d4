import { decideIntent } from '../intent/decide.ts';
import { coerceValue } from '../params/coerce.ts';
import { extractDetailed, type ExtractedValue } from '../params/extract.ts';
import { normalizeText } from '../text/normalize.ts';
import { idle, soleSuggestion, Stage, type AskingParameters, type Confirming } from '../session/conversation.ts';
import { BUILTIN_NAMES } from '../workflow/builtin-names.ts';
import type { ResolvedCommand } from '../workflow/compile.ts';
import type { ContextRef } from '../workflow/types.ts';
import { fitsAskedShape, unlikeAskedValues } from './answer-shape.ts';
import { isBuiltin } from './builtin-match.ts';
import { parseYesNo } from './choice-answer.ts';
import { info, prefixed, type Draft } from './draft.ts';
import { execute, validateAndRun } from './execute.ts';
import { classify } from './classify.ts';
import { IntentSource, OutputKind, response, type IntentInfo } from './output.ts';
import { replies } from './replies.ts';
import type { TurnRuntime } from './runtime.ts';

/** A command chosen by name, correction or classifier: extract its parameters from the text, then the gate. */
export async function runCommand<App>(rt: TurnRuntime<App>, cmd: ResolvedCommand, target: ContextRef, argsText: string, utterance: string, intent: IntentInfo, signal: AbortSignal): Promise<Draft> {
  const { values, uncertain } = argsText.trim()
    ? await extractDetailed(rt.extractor, { text: argsText, command: cmd.name, fields: cmd.fields, utterances: cmd.definition.utterances ?? [], signal })
    : { values: {}, uncertain: {} };
  return validateAndRun(rt, { command: cmd, target, values, utterance, intent, signal, ask: true, understood: uncertain });
}

/** The answer is no answer but a new request: routing takes it (after leaving the question). */
export interface LeaveQuestion {
  leave: true;
  /** The command the question was about. */
  pending: string;
}

/** A message while parameters are asked for: values it supplies, or a new request. */
export async function answerParameters<App>(rt: TurnRuntime<App>, c: AskingParameters, text: string, signal: AbortSignal): Promise<Draft | LeaveQuestion> {
  const p = c.pending;
  const cmd = rt.workflow.commandIn(p.target.context, p.command);
  if (!cmd) {
    rt.st.conversation = idle();
    return info(replies.pendingGone(p.command), false);
  }
  const leave: LeaveQuestion = { leave: true, pending: p.command };
  const intent: IntentInfo = { source: IntentSource.Choice, label: cmd.name };
  // "yes" to a question whose one problem came with one suggestion takes that suggestion.
  const accepted = parseYesNo(text) === true ? soleSuggestion(c) : undefined;
  // Classified once: a confident other command leaves at once; a likely one only if the answer fixes nothing.
  const reading = accepted ? undefined : await newRequest(rt, text, p.command, signal);
  if (reading === 'confident') return leave;
  // The same command asked for again in full ("send hi to dave" while "to" is asked): read it as a
  // request, its values replacing the earlier ones, rather than as one field's value.
  if (reading === 'same') {
    const restated = await restatement(rt, cmd, text, signal);
    if (restated) return validateAndRun(rt, { command: cmd, target: p.target, values: { ...p.values, ...restated.values }, utterance: text, intent, signal, ask: true, understood: restated.uncertain });
  }
  // Not this command by the classifier, and not shaped like what was asked ("what's the weather in Paris" for a user name).
  if (reading && !fitsAskedShape(cmd.fields, p.asked, text)) return leave;
  // Left when it fixes nothing: another command is likely, or no command at all and it is unlike
  // the values asked for ("what is the capital of france" while an item is asked for).
  const requestIfUnanswered = reading === 'likely' || (reading === 'unknown' && unlikeAskedValues(cmd.fields, p.asked, text));
  const extracted = accepted ?? (await rt.extractor.extract({ text, command: cmd.name, fields: cmd.fields, utterances: cmd.definition.utterances ?? [], answering: p.asked, signal }));
  const gate = (values: Record<string, unknown>) => validateAndRun(rt, { command: cmd, target: p.target, values, utterance: p.utterance, intent, signal, ask: true });
  if (Object.keys(extracted).length === 0) {
    if (requestIfUnanswered) return leave;
    return prefixed(await gate(p.values), replies.noValueFound(p.asked, text), false);
  }
  const draft = await gate({ ...p.values, ...extracted });
  if (requestIfUnanswered && draft.kind === OutputKind.AskParameters && !answeredAny(extracted, draft)) return leave;
  return draft;
}

/** Values for the open parameter question from a form: converted to the field types, then the same gate. */
export async function submitParameters<App>(rt: TurnRuntime<App>, values: Record<string, unknown>, signal: AbortSignal): Promise<Draft> {
  const c = rt.st.conversation;
  if (c.stage !== Stage.AskingParameters) return info(replies.noParameterQuestion(), false);
  const p = c.pending;
  const cmd = rt.workflow.commandIn(p.target.context, p.command);
  if (!cmd) {
    rt.st.conversation = idle();
    return info(replies.pendingGone(p.command), false);
  }
  const coerced = Object.fromEntries(
    Object.entries(values)
      .filter(([, v]) => v !== '' && v !== undefined)
      .map(([k, v]) => {
        const field = cmd.fields.find((f) => f.name === k);
        return [k, field ? coerceValue(field, v) : v];
      }),
  );
  return validateAndRun(rt, { command: cmd, target: p.target, values: { ...p.values, ...coerced }, utterance: p.utterance, intent: { source: IntentSource.Choice, label: p.command }, signal, ask: true });
}

/**
 * yes → run, no → cancel; a request the classifier is sure of (another command, or this one asked
 * again, perhaps with other values) leaves the confirmation, nothing run; anything else → ask again.
 */
export async function answerConfirmation<App>(rt: TurnRuntime<App>, c: Confirming, text: string, signal: AbortSignal): Promise<Draft | LeaveQuestion> {
  const p = c.pending;
  const yes = parseYesNo(text);
  const cmd = rt.workflow.commandIn(p.target.context, p.command);
  if (yes === undefined && cmd) {
    const reading = await newRequest(rt, text, p.command, signal);
    if (reading === 'confident' || reading === 'same') return { leave: true, pending: p.command };
  }
  if (yes === undefined || !cmd) {
    return { kind: OutputKind.AskConfirmation, success: false, command: p.command, parameters: p.values, responses: [response(replies.answerYesOrNo(p.command), false)] };
  }
  rt.st.conversation = idle();
  if (!yes) return info(replies.cancelled(p.command), true, p.command);
  const object = await rt.objectOf(p.target);
  return execute(rt, { command: cmd, target: p.target, object, input: p.values, intent: { source: IntentSource.Choice, label: p.command }, signal });
}

/**
 * Is an answer to a parameter question really a new request? 'confident' when the classifier is
 * sure of another command of this context, 'likely' when that command is only its best guess,
 * 'unknown' when it finds no command at all, 'same' when it is sure of the pending command (a
 * restated request); undefined otherwise (the pending command guessed, a built-in, key=value or a
 * "label: value" answer).
 */
async function newRequest<App>(rt: TurnRuntime<App>, text: string, pending: string, signal: AbortSignal): Promise<'confident' | 'likely' | 'unknown' | 'same' | undefined> {
  if (/[=]/.test(text)) return undefined;
  const here = rt.st.current.context;
  const visible = rt.workflow.commandsIn(here).map((c) => c.name);
  const d = decideIntent(await classify(rt, text, here, signal), new Set([...visible, ...BUILTIN_NAMES]));
  if (d.kind === 'out_of_scope') return 'unknown';
  const top = d.kind === 'confident' ? d.label : d.candidates[0]?.label;
  if (top === pending && d.kind === 'confident') return 'same';
  // "to: bob" is an answer by its label, whatever the classifier makes of it.
  if (text.includes(':')) return undefined;
  if (top === undefined || top === pending || isBuiltin(top)) return undefined;
  return d.kind === 'confident' ? 'confident' : 'likely';
}

/**
 * The pending command's parameters read from `text` as a whole request (its utterance templates,
 * the tagger): values only when some of them is a part of the text, not the whole of it — a bare
 * "bob" stays an answer to the question.
 */
async function restatement<App>(rt: TurnRuntime<App>, cmd: ResolvedCommand, text: string, signal: AbortSignal): Promise<{ values: Record<string, unknown>; uncertain: Record<string, ExtractedValue> } | undefined> {
  const { values, uncertain } = await extractDetailed(rt.extractor, { text, command: cmd.name, fields: cmd.fields, utterances: cmd.definition.utterances ?? [], signal });
  const whole = normalizeText(text);
  const found = [...Object.values(values), ...Object.values(uncertain).map((u) => u.value)];
  if (!found.length || found.every((v) => normalizeText(String(v)) === whole)) return undefined;
  return { values, uncertain };
}

/** Did any extracted value survive validation? */
function answeredAny(extracted: Record<string, unknown>, draft: Draft): boolean {
  const valid = draft.clarification?.type === 'parameters' ? draft.clarification.values : {};
  return Object.keys(extracted).some((k) => k in valid);
}
