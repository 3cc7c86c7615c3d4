import { ErrorCode, toErrorData, type FwErrorData } from '../errors.ts';
import type { ExtractedValue } from '../params/extract.ts';
import { validateParameters, type FieldProblem } from '../params/validate.ts';
import { toInputJsonSchema } from '../schema/field-info.ts';
import { formatIssues, summarizeIssues } from '../schema/zod-issues.ts';
import { askParameters, confirm, idle } from '../session/conversation.ts';
import type { ResolvedCommand } from '../workflow/compile.ts';
import type { CommandContext, ContextRef, HandlerResult } from '../workflow/types.ts';
import { errorDraft, type Draft } from './draft.ts';
import { fillWithLlm } from './llm-fill.ts';
import { OutputKind, response, type IntentInfo } from './output.ts';
import { replies } from './replies.ts';
import type { TurnRuntime } from './runtime.ts';

/** A command about to go through the gate: validate → (ask | confirm) → run → check the output. */
export interface RunRequest {
  command: ResolvedCommand;
  /** The context object it runs on (the current one, or an ancestor). */
  target: ContextRef;
  /** Extracted or submitted values, not yet validated. */
  values: Record<string, unknown>;
  /** The request as the user typed it (kept with a pending question). */
  utterance: string;
  intent: IntentInfo;
  signal: AbortSignal;
  /** Open a question (parameters, confirmation) when needed; false for actions run from code. */
  ask: boolean;
  /** Let the extraction LLM (if configured) fill what is missing; default: when `ask`. */
  llmFill?: boolean;
  /** Values understood with too little confidence to use: offered in the question ("yes" takes one). */
  understood?: Record<string, ExtractedValue>;
}

/** Validate the values; ask for what is missing or wrong, ask for confirmation, or run. */
export async function validateAndRun<App>(rt: TurnRuntime<App>, req: RunRequest): Promise<Draft> {
  const { command: cmd, target, intent } = req;
  const object = await rt.objectOf(target);
  const ctx = commandContext(rt, target, object, req.signal);
  let result = await validateParameters(cmd, req.values, ctx);
  const fill = !result.ok && (req.llmFill ?? req.ask) ? await fillWithLlm(rt, cmd, result.problems, req.utterance, req.signal, result.valid) : undefined;
  // LLM values pass the same gate; what still fails is asked, never run.
  if (fill?.kind === 'values') result = await validateParameters(cmd, { ...req.values, ...fill.values }, ctx);
  if (!result.ok) {
    for (const p of result.problems) if (p.field && req.understood?.[p.field] && !p.suggestions?.length) p.suggestions = [String(req.understood[p.field].value)];
    const question = {
      type: 'parameters' as const,
      command: cmd.name,
      fields: cmd.fields,
      problems: result.problems,
      values: result.valid,
      inputSchema: cmd.definition.input ? toInputJsonSchema(cmd.definition.input) : { type: 'object', properties: {} },
    };
    if (req.ask) rt.st.conversation = askParameters({ command: cmd.name, target, values: result.valid, asked: askedFields(result.problems, cmd), utterance: req.utterance }, question);
    return {
      kind: OutputKind.AskParameters,
      success: false,
      command: cmd.name,
      parameters: result.valid,
      responses: [...(fill?.kind === 'failed' ? [response(fill.message, false)] : []), response(replies.parameterQuestion(cmd.name, cmd.fields, result.problems, result.valid), false)],
      intent,
      clarification: question,
    };
  }
  const confirmWith = cmd.definition.confirm;
  if (confirmWith && req.ask) {
    const summary = typeof confirmWith === 'function' ? confirmWith(result.value as never, ctx as never) : replies.confirmSummary(cmd.name, cmd.definition.description, result.value);
    const question = { type: 'confirmation' as const, command: cmd.name, parameters: result.value, summary };
    rt.st.conversation = confirm({ command: cmd.name, target, values: result.value, asked: [], utterance: req.utterance }, question);
    return {
      kind: OutputKind.AskConfirmation,
      success: false,
      command: cmd.name,
      parameters: result.value,
      intent,
      responses: [response(replies.confirmPrompt(summary), false)],
      clarification: question,
    };
  }
  return execute(rt, { command: cmd, target, object, input: result.value, intent, signal: req.signal });
}

export interface Execution {
  command: ResolvedCommand;
  target: ContextRef;
  object: unknown;
  /** Validated input. */
  input: Record<string, unknown>;
  intent: IntentInfo;
  signal: AbortSignal;
}

/** Run the handler and check its output; any open question is closed first. */
export async function execute<App>(rt: TurnRuntime<App>, run: Execution): Promise<Draft> {
  const { command: cmd, input, intent } = run;
  rt.st.conversation = idle();
  const ctx = commandContext(rt, run.target, run.object, run.signal);
  let result: HandlerResult;
  try {
    result = await cmd.definition.run(ctx, input);
  } catch (err) {
    const data = toErrorData(err, ErrorCode.HandlerFailed);
    return { ...errorDraft({ ...data, message: replies.handlerFailed(cmd.name, data.message) }), command: cmd.name, parameters: input, intent };
  }
  const structured = typeof result === 'object' && result !== null ? result : { text: result ?? undefined };
  let data = structured.data;
  if (data !== undefined && cmd.definition.output) {
    const parsed = cmd.definition.output.safeParse(data);
    if (!parsed.success) {
      const error: FwErrorData = { code: ErrorCode.InvalidOutput, message: replies.invalidOutput(cmd.name, formatIssues(parsed.error.issues, Infinity)), command: cmd.name, issues: summarizeIssues(parsed.error.issues, Infinity) };
      return { ...errorDraft(error), command: cmd.name, parameters: input, intent };
    }
    data = parsed.data;
  }
  const success = structured.success ?? true;
  const text = structured.text ?? (data !== undefined ? JSON.stringify(data) : replies.done(cmd.name, success));
  return {
    kind: OutputKind.Result,
    success,
    command: cmd.name,
    parameters: input,
    ...(data !== undefined ? { data } : {}),
    intent,
    responses: [response(text, success, { artifacts: structured.artifacts, nextActions: structured.nextActions, recommendations: structured.recommendations })],
  };
}

function commandContext<App>(rt: TurnRuntime<App>, target: ContextRef, object: unknown, signal: AbortSignal): CommandContext<App, unknown> {
  return {
    app: rt.app,
    object,
    context: target.context,
    signal,
    setContext: (context: string, next: unknown) => {
      rt.st.current = rt.objects.refFor(context, next);
    },
  };
}

function askedFields(problems: readonly FieldProblem[], cmd: ResolvedCommand): string[] {
  const named = problems.map((p) => p.field).filter((f): f is string => !!f);
  return named.length ? named : cmd.fields.map((f) => f.name);
}
