/**
 * Every user-facing sentence of the engine, in one place (ready for translation). Functions take the
 * facts and return the text; no logic about when to say what lives here.
 */
import { ProblemCode, type FieldProblem } from '../params/validate.ts';
import type { FieldInfo } from '../schema/field-info.ts';
import { humanizeName } from '../text/normalize.ts';
import { BUILTIN_NAMES, Builtin } from '../workflow/builtin-names.ts';
import type { ChoiceReason } from '../session/conversation.ts';
import type { CommandChoice } from './output.ts';

export const replies = {
  emptyMessage: () => `Type a request, or "what can I do?" to see the commands available here.`,
  tooLong: (length: number, limit: number) =>
    `That message is ${length.toLocaleString('en')} characters long; the limit is ${limit.toLocaleString('en')}. Nothing was run. Please send a shorter message.`,
  slashUsage: () => 'After "/" type a command name, e.g. /what_can_i_do.',
  unknownCommand: (name: string, list: string) => `There is no command "${name}" here.\n${list}`,
  noParameterQuestion: () => 'There is no question waiting for parameters. Type a request instead.',

  // Intent routing
  outOfScope: (text: string, display: string, list: string, elsewhere?: { command: string; context: string }) =>
    `I'm not sure what you mean by "${text}" here (${display}).${elsewhere ? `\n"${elsewhere.command}" looks like what you want, but it is only available in ${elsewhere.context} — get there first.` : ''}\n${list}`,
  classifierFailed: (reason: string) => `Intent detection failed: ${reason}. Use "/command key=value" to run a command by name meanwhile.`,
  chooseCommand: (reason: ChoiceReason, utterance: string, choices: readonly CommandChoice[]) => {
    if (choices.length === 1 && reason === 'ambiguous') {
      return `I'm not sure I understood "${utterance}". Did you mean ${choices[0].command} — ${choices[0].description}\nReply "yes" (or 1) to run it, rephrase your request, or say "abort".`;
    }
    const lines = choices.map((c, i) => `${i + 1}. ${c.command} — ${c.description}`);
    const ask = reason === 'ambiguous' ? `The command is ambiguous. Which one did you mean by "${utterance}"?` : `Which command did you mean by "${utterance}"?`;
    return `${ask}\n${lines.join('\n')}\nReply with a number or a name, or say "abort".`;
  },

  // Parameter dialogue
  pendingGone: (command: string) => `The pending command ${command} is not available any more. Please ask again.`,
  noValueFound: (asked: readonly string[], text: string) => `I couldn't find a value for ${asked.join(', ')} in "${text}".`,
  leftQuestion: (command: string) => `(Left the question about ${command}.)`,
  leftConfirmation: (command: string) => `(Did not run ${command}; nothing was changed.)`,
  parameterQuestion,

  // Confirmation and execution
  confirmPrompt: (summary: string) => `${summary}\nShall I go ahead? (yes/no)`,
  /** The summary of a command defined with `confirm: true`: its name and description, then one line per value. */
  confirmSummary: (command: string, description: string | undefined, values: Record<string, unknown>) =>
    [`${command}${description ? `: ${description}` : ''}`, ...Object.entries(values).filter(([, v]) => v !== undefined).map(([k, v]) => `- ${k}: ${displayValue(v)}`)].join('\n'),
  answerYesOrNo: (command: string) => `Please answer yes to run ${command}, or no to cancel.`,
  cancelled: (command: string) => `Cancelled ${command}; nothing was changed.`,
  handlerFailed: (command: string, reason: string) => `${command} failed: ${reason}`,
  invalidOutput: (command: string, issues: string) => `${command} returned output that does not match its output schema: ${issues}. Fix the handler or the schema.`,
  done: (command: string, success: boolean) => (success ? `${command}: done.` : `${command} did not succeed.`),

  // Built-ins and navigation
  whatCanIDo: (description: string | undefined, list: string, waitingOn?: string) =>
    `${description ? `${description}\n` : ''}${list}${waitingOn ? `\n(Still waiting on ${waitingOn}: answer the question, or say "abort".)` : ''}`,
  currentContext: (context: string, display: string) => (context === '*' ? 'You are in the global context.' : `You are in ${display} (context ${context}).`),
  aborted: (what: string | undefined) => (what ? `Okay, aborted ${what}.` : 'There is nothing to abort.'),
  theCommandChoice: () => 'the command choice',
  alreadyAtTop: (display: string) => `You are already at the top (${display}).`,
  nowIn: (display: string) => `Now in ${display}.`,
  backAt: (display: string) => `Back at ${display}.`,
  nothingToCorrect: (list: string) => `There is no earlier request to correct.\n${list}`,
  noOtherCommand: () => 'There is no other command here to choose from. Please rephrase your request.',
  notLearned: (utterance: string, trainedFor: string, picked: string) =>
    `(Running ${picked} this time. I won't remember "${utterance}" as ${picked}: it is one of the phrases ${trainedFor} was trained on. Use /${picked} to run it by name.)`,
  /** `navigable`: the workflow has contexts besides the global one (else going up or resetting means nothing). */
  commandList: (commands: readonly { name: string; description: string }[], navigable = true) => {
    const lines = commands.map((c) => `- ${c.name}: ${c.description}`);
    const navigation: readonly string[] = [Builtin.GoUp, Builtin.ResetContext, Builtin.CurrentContext];
    const builtins = BUILTIN_NAMES.filter((b) => b !== Builtin.YouMisunderstood && (navigable || !navigation.includes(b)))
      .map((b) => humanizeName(b).replace(/\bi\b/, 'I'))
      .join(', ');
    return `${commands.length ? `Commands here:\n${lines.join('\n')}` : 'No commands in this context.'}\nAlways available: ${builtins}, you misunderstood.`;
  },

  // Startup (errors for the developer)
  startupActionUnknown: (command: string) => `startupAction names "${command}", which is not a command of the global context.`,
  startupActionFailed: (command: string, text: string) => `The startup action ${command} failed: ${text}`,
};

/** The question asked when parameters are missing or invalid. */
export function parameterQuestion(command: string, fields: readonly FieldInfo[], problems: readonly FieldProblem[], values: Record<string, unknown>): string {
  const lines: string[] = [];
  const missing = problems.filter((p) => p.code === ProblemCode.Missing);
  const wrong = problems.filter((p) => p.code !== ProblemCode.Missing);
  lines.push(missing.length && !wrong.length ? `To run ${command} I need a bit more information.` : `I can't run ${command} with these values yet.`);
  const known = Object.entries(values).filter(([, v]) => v !== undefined);
  if (known.length) lines.push(`So far: ${known.map(([k, v]) => `${k}=${formatValue(v)}`).join(', ')}.`);
  if (missing.length) {
    lines.push('Missing:');
    // A value understood with too little confidence is shown, not used ("yes" keeps it when it is the only question).
    const keep = problems.length === 1 ? ': reply "yes" to keep it' : '';
    for (const p of missing) lines.push(`- ${p.field}${p.expected ? `: ${p.expected}` : ''}${p.suggestions?.length ? ` (I understood ${p.suggestions.map((s) => `'${s}'`).join(' or ')} but I'm not sure${keep})` : ''}`);
  }
  for (const p of wrong) {
    let line = `- ${p.message}`;
    if (p.allowed) line += ` Allowed values: ${p.allowed.map((v) => `'${v}'`).join(', ')}.`;
    else if (p.expected && p.code !== ProblemCode.CrossField) line += ` Expected: ${p.expected}.`;
    if (p.suggestions?.length) line += ` Did you mean ${p.suggestions.map((s) => `'${s}'`).join(' or ')}?`;
    lines.push(line);
  }
  const asked = problems.map((p) => p.field).filter((f): f is string => !!f);
  const first = fields.find((f) => f.name === asked[0]);
  if (asked.length === 1) lines.push(`Reply with the ${first && first.label.length > 2 ? first.label : `value for "${asked[0]}"`}, or say "abort".`);
  else if (asked.length > 1) lines.push(`Reply like: ${asked.map((a) => `${a}=…`).join(' ')} — or say "abort".`);
  else lines.push('Change the values (e.g. field=value), or say "abort".');
  return lines.join('\n');
}

export function formatValue(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A value as the user would write it: lists joined by commas, anything else as formatValue shows it. */
function displayValue(value: unknown): string {
  return Array.isArray(value) ? value.map(displayValue).join(', ') : formatValue(value);
}
