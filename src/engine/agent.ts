import { ErrorCode, FastWorkflowError, throwIfAborted } from '../errors.ts';
import { llmError } from '../llm/faults.ts';
import type { ChatMessage, ChatReply, ToolCall } from '../llm/types.ts';
import { idle } from '../session/conversation.ts';
import { contextsWith, toolsetFor, type AgentToolset } from './agent-tools.ts';
import { runBuiltin } from './builtins.ts';
import { errorDraft, info, type Draft } from './draft.ts';
import { validateAndRun } from './execute.ts';
import { IntentSource, OutputKind, response, type AgentStep, type RejectReason } from './output.ts';
import type { TurnRuntime } from './runtime.ts';

export interface AgentOptions {
  /** Most LLM requests in one turn; default 8. */
  maxSteps?: number;
  /** Stream each reply (SSE); `onText` gets the text as it arrives. */
  stream?: boolean;
  onText?: (delta: string) => void;
  /** Earlier turns the model sees; default 10. */
  recentTurns?: number;
}

export const DEFAULT_AGENT_STEPS = 8;
const MAX_TOOL_RESULT = 4000;

/**
 * Agent mode: a tool loop. Each step is one chat request whose tools are the current context's
 * commands plus navigation; every call goes through the command gate; problems go back to the model
 * as the tool result; a command needing confirmation stops the turn and asks the user.
 */
export async function runAgent<App>(rt: TurnRuntime<App>, text: string, signal: AbortSignal, opts: AgentOptions = {}): Promise<Draft> {
  const client = rt.llm.agent;
  if (!client) return errorDraft(llmError('not_configured', 'Agent mode needs an agent LLM (llm.agent); the message was not run.').toJSON());
  // A new request to the agent leaves any open question (parameters, choice).
  rt.st.conversation = idle();
  const trace: AgentStep[] = [];
  const messages: ChatMessage[] = [{ role: 'system', content: await systemPrompt(rt) }, ...recentTurns(rt, opts.recentTurns ?? 10), { role: 'user', content: text }];
  const maxSteps = opts.maxSteps ?? DEFAULT_AGENT_STEPS;
  let lastCommand: { name: string; data?: unknown; parameters: Record<string, unknown> } | undefined;

  for (let step = 0; step < maxSteps; step++) {
    throwIfAborted(signal);
    const tools = toolsetFor(rt);
    let reply: ChatReply;
    try {
      reply = await client.chat({ messages, tools: tools.definitions, signal, ...(opts.stream ? { stream: true, onText: opts.onText } : {}) });
    } catch (err) {
      if (!(err instanceof FastWorkflowError) || err.code !== ErrorCode.LlmFailed) throw err;
      const error = err.toJSON();
      trace.push({ type: 'fault', error });
      return { ...errorDraft(error), trace };
    }
    messages.push({ role: 'assistant', content: reply.content, ...(reply.toolCalls.length ? { tool_calls: reply.toolCalls } : {}) });
    if (reply.toolCalls.length === 0) {
      const answer = reply.content ?? '';
      trace.push({ type: 'reply', text: answer });
      if (!lastCommand) return { ...info(answer), trace };
      return { kind: OutputKind.Result, success: true, command: lastCommand.name, parameters: lastCommand.parameters, ...(lastCommand.data !== undefined ? { data: lastCommand.data } : {}), intent: { source: IntentSource.Agent, label: lastCommand.name }, responses: [response(answer)], trace };
    }
    for (const call of reply.toolCalls) {
      throwIfAborted(signal);
      const outcome = await runToolCall(rt, tools, call, text, signal);
      trace.push(outcome.step);
      if (outcome.stop) {
        // The agent never confirms: the user answers the question on the next turn.
        return { ...outcome.stop, trace };
      }
      if (outcome.ran) lastCommand = outcome.ran;
      messages.push({ role: 'tool', tool_call_id: call.id, content: clip('result' in outcome.step ? outcome.step.result : '') });
    }
  }
  trace.push({ type: 'step_limit', steps: maxSteps });
  return { ...info(`I stopped after ${maxSteps} steps without an answer. Say what to do next, or use a /command.`, false), trace };
}

interface ToolOutcome {
  step: AgentStep;
  /** Set when the turn must stop and ask the user (a confirmation). */
  stop?: Draft;
  ran?: { name: string; data?: unknown; parameters: Record<string, unknown> };
}

async function runToolCall<App>(rt: TurnRuntime<App>, tools: AgentToolset, call: ToolCall, utterance: string, signal: AbortSignal): Promise<ToolOutcome> {
  const name = call.function.name;
  const tool = tools.byName.get(name);
  if (!tool) {
    const elsewhere = contextsWith(rt, name);
    const available = [...tools.byName.keys()].join(', ');
    if (elsewhere.length) {
      return rejected(name, 'other_context', `Refused: ${name} is a command of the ${elsewhere.join(' / ')} context, not of the current context ${tools.context}. It was not run. Tools available here: ${available}.`);
    }
    return rejected(name, 'unknown_tool', `There is no tool named ${name}. Nothing was run. Tools available here: ${available}.`);
  }
  const args = parseArguments(call.function.arguments);
  if (!args.ok) return rejected(name, 'bad_arguments', `Not run: the arguments of ${name} are not a JSON object (${args.detail}). Call it again with JSON arguments matching its schema.`);

  if (tool.kind === 'navigation') {
    const draft = await runBuiltin(rt, tool.name);
    const result = draft.responses.map((r) => r.text).join('\n');
    return { step: { type: 'navigation', tool: name, result, context: rt.st.current.context } };
  }
  const before = rt.st.current.context;
  const draft = await validateAndRun(rt, { command: tool.command, target: rt.st.current, values: args.values, utterance, intent: { source: IntentSource.Agent, label: name }, signal, ask: true, llmFill: false });
  const text = draft.responses.map((r) => r.text).join('\n');
  switch (draft.kind) {
    case OutputKind.AskParameters: {
      // The agent gets the problems, not a question to the user.
      rt.st.conversation = idle();
      const problems = draft.clarification?.type === 'parameters' ? draft.clarification.problems : [];
      return { step: { type: 'rejected', tool: name, reason: 'invalid_parameters', result: `Not run: the parameters are missing or invalid. ${text}`, problems } };
    }
    case OutputKind.AskConfirmation: {
      const summary = draft.clarification?.type === 'confirmation' ? draft.clarification.summary : text;
      return { step: { type: 'confirmation', tool: name, arguments: args.values, summary }, stop: draft };
    }
    default: {
      const moved = rt.st.current.context !== before ? ` The current context is now ${rt.st.current.context} (${await rt.display(rt.st.current)}); its tools replace the previous ones.` : '';
      const data = draft.data !== undefined ? `\nData: ${JSON.stringify(draft.data)}` : '';
      const result = draft.kind === OutputKind.Error ? `Failed: ${text}` : `${text}${data}${moved}`;
      return {
        step: { type: 'command', tool: name, arguments: args.values, success: draft.success, result, context: rt.st.current.context },
        ...(draft.kind === OutputKind.Result ? { ran: { name, data: draft.data, parameters: draft.parameters ?? args.values } } : {}),
      };
    }
  }
}

function rejected(tool: string, reason: RejectReason, result: string): ToolOutcome {
  return { step: { type: 'rejected', tool, reason, result } };
}

function parseArguments(raw: string): { ok: true; values: Record<string, unknown> } | { ok: false; detail: string } {
  let value: unknown;
  try {
    value = raw.trim() ? JSON.parse(raw) : {};
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, detail: `got ${Array.isArray(value) ? 'an array' : typeof value}` };
  // Nulls mean "not given".
  return { ok: true, values: Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) };
}

async function systemPrompt<App>(rt: TurnRuntime<App>): Promise<string> {
  const def = rt.workflow.definition;
  return [
    `You are the assistant of "${def.name}"${def.description ? `: ${def.description}` : ''}.`,
    'Act only through the tools. The tools are the commands of the current context; when a command changes the context, the next step offers that context\'s tools.',
    'Use only values the user gave or a tool returned; never invent ids or names. When something is missing, ask the user in plain text.',
    'A command that needs confirmation is confirmed by the user, never by you.',
    `Current context: ${rt.st.current.context} (${await rt.display(rt.st.current)}).`,
  ].join('\n');
}

/** Earlier turns as chat messages (the current message, already in the history, excluded). */
function recentTurns<App>(rt: TurnRuntime<App>, n: number): ChatMessage[] {
  const earlier = rt.st.history.slice(0, -1).slice(-n);
  return earlier.filter((h) => h.text).map((h) => ({ role: h.role, content: h.text }));
}

function clip(s: string): string {
  return s.length > MAX_TOOL_RESULT ? `${s.slice(0, MAX_TOOL_RESULT)}… (truncated)` : s;
}
