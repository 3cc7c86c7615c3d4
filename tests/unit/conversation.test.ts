import { describe, expect, it } from 'vitest';
import type { Clarification } from '../../src/index.ts';
import { askParameters, chooseCommand, confirm, idle, openQuestion, soleSuggestion, Stage, waitingOn, type PendingCommand } from '../../src/session/conversation.ts';
import { conversationFromV1, migrateSessionState, type SessionStateV1 } from '../../src/session/migrate.ts';

const target = { context: 'Order', key: '#W100' };
const pending: PendingCommand = { command: 'cancel_order', target, values: { order_id: '#W100' }, asked: ['reason'], utterance: 'cancel it' };
const paramQuestion = (problems: Extract<Clarification, { type: 'parameters' }>['problems']): Extract<Clarification, { type: 'parameters' }> => ({
  type: 'parameters',
  command: 'cancel_order',
  fields: [],
  problems,
  values: { order_id: '#W100' },
  inputSchema: { type: 'object', properties: {} },
});
const choiceQuestion: Extract<Clarification, { type: 'intent' }> = { type: 'intent', reason: 'ambiguous', utterance: 'crunch', choices: [{ command: 'add', description: 'Add.' }, { command: 'sub', description: 'Subtract.' }] };
const confirmQuestion: Extract<Clarification, { type: 'confirmation' }> = { type: 'confirmation', command: 'cancel_order', parameters: { order_id: '#W100' }, summary: 'Cancel #W100.' };

describe('conversation transitions', () => {
  it('starts idle, with no open question and nothing to wait on', () => {
    const c = idle();
    expect(c.stage).toBe(Stage.Idle);
    expect(openQuestion(c)).toBeUndefined();
    expect(waitingOn(c)).toBeUndefined();
  });

  it('asking parameters holds exactly the pending command and its question', () => {
    const q = paramQuestion([{ field: 'reason', code: 'missing', message: 'reason is missing' }]);
    const c = askParameters(pending, q);
    expect(c).toEqual({ stage: Stage.AskingParameters, pending, question: q });
    expect(openQuestion(c)).toBe(q);
    expect(waitingOn(c)).toEqual({ command: 'cancel_order' });
  });

  it('does not share the pending values with the caller', () => {
    const values = { order_id: '#W100' };
    const c = askParameters({ ...pending, values }, paramQuestion([]));
    values.order_id = 'changed';
    expect(c.pending.values).toEqual({ order_id: '#W100' });
  });

  it('choosing a command keeps the reason, candidates and target; abort says "the command choice"', () => {
    const c = chooseCommand('ambiguous', { utterance: 'crunch', candidates: ['add', 'sub'], target }, choiceQuestion);
    expect(c).toMatchObject({ stage: Stage.ChoosingCommand, reason: 'ambiguous', choice: { candidates: ['add', 'sub'], target } });
    expect(openQuestion(c)).toBe(choiceQuestion);
    expect(waitingOn(c)).toEqual({ choice: true });
  });

  it('confirming waits on its command with its summary', () => {
    const c = confirm({ ...pending, asked: [] }, confirmQuestion);
    expect(c.stage).toBe(Stage.Confirming);
    expect(openQuestion(c)).toMatchObject({ type: 'confirmation', summary: 'Cancel #W100.' });
    expect(waitingOn(c)).toEqual({ command: 'cancel_order' });
  });

  it('offers the one suggestion of a single problem to a "yes", and nothing otherwise', () => {
    const one = askParameters(pending, paramQuestion([{ field: 'order_id', code: 'not_found', message: 'no such order', suggestions: ['#W100'] }]));
    expect(soleSuggestion(one)).toEqual({ order_id: '#W100' });
    const two = askParameters(pending, paramQuestion([{ field: 'order_id', code: 'not_found', message: 'no such order', suggestions: ['#W100', '#W200'] }]));
    expect(soleSuggestion(two)).toBeUndefined();
    expect(soleSuggestion(confirm(pending, confirmQuestion))).toBeUndefined();
    expect(soleSuggestion(idle())).toBeUndefined();
  });
});

describe('session state migration', () => {
  const v1 = (over: Partial<SessionStateV1>): SessionStateV1 => ({
    version: 1,
    id: 's1',
    workflow: 'shop',
    revision: 4,
    root: { context: '*', key: null },
    current: target,
    stage: 'intent',
    history: [{ role: 'user', text: 'open order #W100', at: 1 }],
    updatedAt: 2,
    ...over,
  });

  it('maps each version-1 stage and its optionals to a conversation', () => {
    const q = paramQuestion([]);
    expect(conversationFromV1({ stage: 'intent' })).toEqual(idle());
    expect(conversationFromV1({ stage: 'parameters', pending, question: q })).toEqual(askParameters(pending, q));
    expect(conversationFromV1({ stage: 'confirmation', pending, question: confirmQuestion })).toEqual(confirm(pending, confirmQuestion));
    const choice = { utterance: 'crunch', candidates: ['add', 'sub'], target };
    expect(conversationFromV1({ stage: 'intent_ambiguity', choice, question: choiceQuestion })).toEqual(chooseCommand('ambiguous', choice, choiceQuestion));
    expect(conversationFromV1({ stage: 'intent_misunderstood', choice, question: choiceQuestion })).toEqual(chooseCommand('misunderstood', choice, choiceQuestion));
  });

  it('turns an inconsistent version-1 stage (data missing) into idle rather than failing', () => {
    expect(conversationFromV1({ stage: 'parameters' })).toEqual(idle());
    expect(conversationFromV1({ stage: 'confirmation', pending, question: paramQuestion([]) })).toEqual(idle());
    expect(conversationFromV1({ stage: 'intent_ambiguity', question: choiceQuestion })).toEqual(idle());
  });

  it('keeps everything else of the state and drops the old fields', () => {
    const migrated = migrateSessionState(v1({ stage: 'parameters', pending, question: paramQuestion([]) }))!;
    expect(migrated).toEqual({
      version: 2,
      id: 's1',
      workflow: 'shop',
      revision: 4,
      root: { context: '*', key: null },
      current: target,
      conversation: askParameters(pending, paramQuestion([])),
      history: [{ role: 'user', text: 'open order #W100', at: 1 }],
      updatedAt: 2,
    });
  });

  it('refuses an unknown version (the session starts afresh)', () => {
    expect(migrateSessionState({ ...v1({}), version: 99 } as never)).toBeUndefined();
  });
});
