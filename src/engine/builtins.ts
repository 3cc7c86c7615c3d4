import { idle, waitingOn } from '../session/conversation.ts';
import { Builtin } from '../workflow/builtin-names.ts';
import { askChoice } from './command-choice.ts';
import { info, type Draft } from './draft.ts';
import { IntentSource, type IntentInfo } from './output.ts';
import { replies } from './replies.ts';
import type { TurnRuntime } from './runtime.ts';

/** The commands available everywhere: what can I do, current context, abort, go up, reset context, you misunderstood. */
export async function runBuiltin<App>(rt: TurnRuntime<App>, name: Builtin): Promise<Draft> {
  const intent: IntentInfo = { source: IntentSource.Builtin, label: name };
  const st = rt.st;
  switch (name) {
    case Builtin.WhatCanIDo: {
      const waiting = waitingOn(st.conversation);
      const pending = waiting && 'command' in waiting ? waiting.command : undefined;
      return { ...info(replies.whatCanIDo(rt.workflow.definition.description, rt.commandList(st.current.context), pending)), intent };
    }
    case Builtin.CurrentContext:
      return { ...info(replies.currentContext(st.current.context, await rt.display(st.current))), intent };
    case Builtin.Abort: {
      const waiting = waitingOn(st.conversation);
      st.conversation = idle();
      return { ...info(replies.aborted(waiting && ('command' in waiting ? waiting.command : replies.theCommandChoice()))), intent };
    }
    case Builtin.GoUp: {
      st.conversation = idle();
      const [parent] = await rt.ancestors(st.current);
      if (!parent) return { ...info(replies.alreadyAtTop(await rt.display(st.current))), intent };
      st.current = parent;
      return { ...info(replies.nowIn(await rt.display(st.current))), intent };
    }
    case Builtin.ResetContext:
      st.conversation = idle();
      st.current = st.root;
      return { ...info(replies.backAt(await rt.display(st.current))), intent };
    case Builtin.YouMisunderstood:
      return misunderstood(rt);
  }
}

/** Offer the other commands of the last request's context, the classifier's ranking first. */
function misunderstood<App>(rt: TurnRuntime<App>): Draft {
  const last = rt.st.last;
  if (!last) return info(replies.nothingToCorrect(rt.commandList(rt.st.current.context)), false);
  const order = (n: string) => {
    const i = last.ranked.indexOf(n);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const others = rt.workflow
    .commandsIn(last.target.context)
    .map((c) => c.name)
    .filter((n) => n !== last.command)
    .sort((a, b) => order(a) - order(b));
  if (others.length === 0) return info(replies.noOtherCommand(), false);
  return askChoice(rt, 'misunderstood', last.utterance, others.map((label) => ({ label, score: Number.NaN })), last.target, { source: IntentSource.Builtin, label: Builtin.YouMisunderstood });
}
