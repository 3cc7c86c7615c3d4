/** Built-in commands, available in every context. Names are also the classifier's labels. */
export const Builtin = {
  WhatCanIDo: 'what_can_i_do',
  GoUp: 'go_up',
  ResetContext: 'reset_context',
  CurrentContext: 'current_context',
  YouMisunderstood: 'you_misunderstood',
  Abort: 'abort',
} as const;
export type Builtin = (typeof Builtin)[keyof typeof Builtin];

export const BUILTIN_NAMES = Object.values(Builtin);

/** Label of the out-of-scope class in every context's classifier. */
export const OUT_OF_SCOPE = '__out_of_scope__';

/** Typical utterances per built-in (exact phrases are matched before any classifier, and trained). */
export const BUILTIN_UTTERANCES: Record<Builtin, string[]> = {
  what_can_i_do: ['what can i do', 'what can i do here', 'list commands', 'show commands', 'help', 'now what', 'what are my options', 'what commands are available', 'what can you do'],
  go_up: ['go up', 'parent context', 'go back up', 'up one level', 'go to parent', 'back to parent', 'leave this context'],
  reset_context: ['reset context', 'go to the top', 'back to the start', 'go home', 'reset', 'start over from the top'],
  current_context: ['what is the current context', 'where am i', 'current context', 'which context am i in', 'what am i looking at'],
  you_misunderstood: ['you misunderstood', 'wrong command', 'that is not what i meant', 'that was wrong', 'not what i asked', 'you got it wrong'],
  abort: ['abort', 'cancel that', 'stop', 'never mind', 'nevermind', 'forget it', 'quit this'],
};

export const BUILTIN_DESCRIPTIONS: Record<Builtin, string> = {
  what_can_i_do: 'List the commands available in the current context.',
  go_up: 'Go to the parent context.',
  reset_context: 'Go back to the root context.',
  current_context: 'Say what the current context is.',
  you_misunderstood: 'Tell the assistant it picked the wrong command, and choose the right one.',
  abort: 'Leave the current clarification or pending command.',
};
