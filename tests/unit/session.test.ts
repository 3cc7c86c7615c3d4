import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  commandFor,
  defineContext,
  defineWorkflow,
  MemoryCorrectionStore,
  MemorySessionStore,
  OutputKind,
  Stage,
  type SessionOptions,
  WorkflowSession,
} from '../../src/index.ts';
import { ScriptedClassifier } from './support/scripted-classifier.ts';

interface Order {
  id: string;
  status: 'pending' | 'delivered' | 'cancelled';
  reason?: string;
}
interface Shop {
  orders: Order[];
  log: string[];
}

const orderCommand = commandFor<Shop, Order>();
const shopCommand = commandFor<Shop, null>();

const cancelOrder = orderCommand({
  name: 'cancel_order',
  description: 'Cancel this pending order.',
  input: z.object({
    reason: z.enum(['no longer needed', 'ordered by mistake']).describe('Why the order is cancelled'),
    note: z.string().optional(),
  }),
  utterances: ['cancel this order because {reason}'],
  validate: (_input, ctx) => (ctx.object.status !== 'pending' ? `Order ${ctx.object.id} is ${ctx.object.status}; only pending orders can be cancelled.` : undefined),
  run: (ctx, { reason }) => {
    ctx.object.status = 'cancelled';
    ctx.object.reason = reason;
    ctx.app.log.push(`cancel ${ctx.object.id}`);
    return { text: `Cancelled ${ctx.object.id}.`, data: { id: ctx.object.id } };
  },
});

const orderDetails = orderCommand({
  name: 'order_details',
  description: 'Show this order.',
  run: (ctx) => `Order ${ctx.object.id}: ${ctx.object.status}`,
});

const openOrder = shopCommand({
  name: 'open_order',
  description: 'Open an order by id.',
  input: z.object({ order_id: z.string().regex(/^#W\d{3}$/).describe('Order id like #W123').meta({ examples: ['#W123'] }) }),
  lookups: {
    order_id: (id, ctx) => (ctx.app.orders.some((o) => o.id === id) ? { found: true } : { found: false, suggestions: ctx.app.orders.map((o) => o.id) }),
  },
  run: (ctx, { order_id }) => {
    ctx.setContext('Order', ctx.app.orders.find((o) => o.id === order_id));
    return `Opened ${order_id}.`;
  },
});

const addNumbers = shopCommand({
  name: 'add_numbers',
  description: 'Add two numbers.',
  input: z.object({ a: z.number().describe('first number'), b: z.number().describe('second number') }),
  output: z.object({ sum: z.number() }),
  run: (_ctx, { a, b }) => ({ text: `${a + b}`, data: { sum: a + b } }),
});

const subtract = shopCommand({ name: 'subtract_numbers', description: 'Subtract numbers.', input: z.object({ a: z.number(), b: z.number() }), run: (_c, { a, b }) => `${a - b}` });

const explode = shopCommand({
  name: 'explode',
  description: 'A handler that throws.',
  run: () => {
    throw new Error('database unavailable');
  },
});

const badOutput = shopCommand({ name: 'bad_output', description: 'Returns the wrong shape.', output: z.object({ n: z.number() }), run: () => ({ data: { n: 'x' } }) });

const deleteAll = shopCommand({
  name: 'delete_everything',
  description: 'Delete all orders.',
  confirm: () => 'This deletes every order.',
  run: (ctx) => {
    ctx.app.orders.length = 0;
    return 'Deleted.';
  },
});

const shop = defineWorkflow<Shop>({
  name: 'shop',
  description: 'A little shop.',
  contexts: [
    { name: '*', commands: [openOrder, addNumbers, subtract, explode, badOutput, deleteAll] },
    defineContext<Shop, Order>({
      name: 'Order',
      commands: [cancelOrder, orderDetails],
      displayName: (o) => `order ${o.id}`,
      key: (o) => o.id,
      resolve: (key, app) => app.orders.find((o) => o.id === key),
    }),
  ],
  createApp: () => ({ orders: [{ id: '#W100', status: 'pending' }, { id: '#W200', status: 'delivered' }], log: [] }),
});

const script = {
  'open order #W100': { open_order: 0.95 },
  'open order #W200': { open_order: 0.95 },
  'open order #W999': { open_order: 0.95 },
  'Order|cancel it': { cancel_order: 0.9 },
  'Order|cancel it because ordered by mistake': { cancel_order: 0.9 },
  'Order|cancel it because I felt like it': { cancel_order: 0.9 },
  'Order|show me': { order_details: 0.9 },
  'add 2 and 3': { add_numbers: 0.95 },
  'Order|add 2 and 3': { __out_of_scope__: 0.9 },
  'do the math with 5 and 3': { add_numbers: 0.45, subtract_numbers: 0.4 },
  'crunch 5 and 3': { add_numbers: 0.45, subtract_numbers: 0.4 },
  'sum it up 2 and 9': { add_numbers: 0.9 },
  'where do I stand': { current_context: 0.9 },
};

async function open(opts: Partial<SessionOptions<Shop>> = {}) {
  const classifier = new ScriptedClassifier(script);
  const session = await WorkflowSession.open<Shop>({ workflow: shop, classifier, ...opts });
  return { session, classifier };
}

describe('one turn, end to end', () => {
  it('runs a confidently detected command with extracted parameters', async () => {
    const { session } = await open();
    const out = await session.send('add 2 and 3');
    expect(out).toMatchObject({ kind: OutputKind.Result, success: true, command: 'add_numbers', parameters: { a: 2, b: 3 }, data: { sum: 5 }, text: '5' });
    expect(out.intent).toMatchObject({ source: 'classifier', label: 'add_numbers' });
  });

  it('asks for a missing parameter, keeps the valid one, and runs when the next message supplies it', async () => {
    const { session } = await open();
    await session.send('open order #W100');
    const ask = await session.send('cancel it');
    expect(ask.kind).toBe(OutputKind.AskParameters);
    expect(ask.text).toMatch(/reason/);
    expect(ask.text).toMatch(/'no longer needed', 'ordered by mistake'|no longer needed/);
    expect(session.state.conversation.stage).toBe(Stage.AskingParameters);
    expect(session.app.orders[0].status).toBe('pending');
    const done = await session.send('ordered by mistake');
    expect(done).toMatchObject({ kind: OutputKind.Result, success: true, command: 'cancel_order', parameters: { reason: 'ordered by mistake' } });
    expect(session.app.orders[0]).toMatchObject({ status: 'cancelled', reason: 'ordered by mistake' });
    expect(session.state.conversation.stage).toBe(Stage.Idle);
  });

  it('re-asks an invalid enum value, listing the allowed values, and runs nothing', async () => {
    const { session } = await open();
    await session.send('open order #W100');
    const out = await session.send('cancel it because I felt like it');
    expect(out.kind).toBe(OutputKind.AskParameters);
    expect(out.text).toContain("'no longer needed', 'ordered by mistake'");
    const again = await session.send('because I felt like it');
    expect(again.kind).toBe(OutputKind.AskParameters);
    expect(again.clarification).toMatchObject({ type: 'parameters', problems: [{ field: 'reason', code: 'invalid', allowed: ['no longer needed', 'ordered by mistake'] }] });
    expect(session.app.log).toEqual([]);
  });

  it('keeps values already valid across turns: only what is still wrong is asked again', async () => {
    const { session } = await open();
    const first = await session.send('/add_numbers a=4');
    expect(first.clarification).toMatchObject({ type: 'parameters', values: { a: 4 }, problems: [{ field: 'b', code: 'missing' }] });
    const second = await session.send('b=x');
    expect(second.clarification).toMatchObject({ type: 'parameters', values: { a: 4 }, problems: [{ field: 'b', code: 'invalid' }] });
    expect((await session.send('6')).data).toEqual({ sum: 10 });
  });

  it('reports a failed lookup with "did you mean" suggestions', async () => {
    const { session } = await open();
    const out = await session.send('open order #W999');
    expect(out.kind).toBe(OutputKind.AskParameters);
    expect(out.clarification).toMatchObject({ problems: [{ field: 'order_id', code: 'not_found', suggestions: ['#W100', '#W200'] }] });
    expect(out.text).toMatch(/Did you mean '#W100' or '#W200'/);
  });

  it('refuses a command whose cross-field check fails, with the reason', async () => {
    const { session } = await open();
    await session.send('open order #W200');
    const out = await session.send('cancel it because ordered by mistake');
    expect(out.kind).toBe(OutputKind.AskParameters);
    expect(out.text).toContain('only pending orders can be cancelled');
    expect(session.app.orders[1].status).toBe('delivered');
  });

  it('asks which command when the intent is ambiguous; the user picks by number or by name', async () => {
    const { session } = await open();
    const ask = await session.send('do the math with 5 and 3');
    expect(ask.kind).toBe(OutputKind.AskIntent);
    expect(ask.clarification).toMatchObject({ type: 'intent', reason: 'ambiguous', choices: [{ command: 'add_numbers' }, { command: 'subtract_numbers' }] });
    expect(ask.text).toMatch(/1\. add_numbers.*\n2\. subtract_numbers/);
    const picked = await session.send('2');
    expect(picked).toMatchObject({ kind: OutputKind.Result, command: 'subtract_numbers', text: '2' });

    // The resolved ambiguity is remembered for this session: the same phrase now runs directly.
    expect(await session.send('do the math with 5 and 3')).toMatchObject({ command: 'subtract_numbers', intent: { source: 'correction' } });

    expect((await session.send('crunch 5 and 3')).kind).toBe(OutputKind.AskIntent);
    expect(await session.send('add numbers')).toMatchObject({ command: 'add_numbers', text: '8' });
  });

  it('an ambiguity answer that names no candidate is handled as a new request', async () => {
    const { session } = await open();
    await session.send('do the math with 5 and 3');
    const out = await session.send('add 2 and 3');
    expect(out).toMatchObject({ command: 'add_numbers', text: '5' });
  });

  it('says when a message is out of scope and lists what can be done here', async () => {
    const { session } = await open();
    const out = await session.send('what is the weather like');
    expect(out.kind).toBe(OutputKind.OutOfScope);
    expect(out.text).toMatch(/not sure what you mean/);
    expect(out.text).toContain('- add_numbers: Add two numbers.');
    expect(session.app.log).toEqual([]);
  });

  it('out of scope here but clearly a command of another context: says where it is available', async () => {
    const { session } = await open();
    const out = await session.send('show me');
    expect(out.kind).toBe(OutputKind.OutOfScope);
    expect(out.text).toContain('"order_details" looks like what you want, but it is only available in Order');
  });

  it('runs "/" commands by name without the classifier', async () => {
    const { session, classifier } = await open();
    const out = await session.send('/add_numbers a=10 b=32');
    expect(out).toMatchObject({ kind: OutputKind.Result, data: { sum: 42 }, intent: { source: 'slash' } });
    expect(classifier.calls).toEqual([]);
    const unknown = await session.send('/cancel_order');
    expect(unknown).toMatchObject({ kind: OutputKind.Error, error: { code: 'unknown_command' } });
    expect(unknown.text).toMatch(/There is no command "cancel_order" here/);
  });

  it('turns a handler exception into an error response and stays usable', async () => {
    const { session } = await open();
    const out = await session.send('/explode');
    expect(out).toMatchObject({ kind: OutputKind.Error, success: false, error: { code: 'handler_failed' } });
    expect(out.text).toContain('database unavailable');
    expect((await session.send('add 2 and 3')).text).toBe('5');
  });

  it('refuses output that does not match the output schema', async () => {
    const { session } = await open();
    const out = await session.send('/bad_output');
    expect(out).toMatchObject({ kind: OutputKind.Error, error: { code: 'invalid_output' } });
  });

  it('asks for confirmation before a destructive command; "no" changes nothing, "yes" runs it', async () => {
    const { session } = await open();
    const ask = await session.send('/delete_everything');
    expect(ask).toMatchObject({ kind: OutputKind.AskConfirmation, clarification: { type: 'confirmation' } });
    expect((await session.send('no')).text).toMatch(/nothing was changed/);
    expect(session.app.orders).toHaveLength(2);
    await session.send('/delete_everything');
    expect((await session.send('maybe')).kind).toBe(OutputKind.AskConfirmation);
    expect((await session.send('yes')).text).toBe('Deleted.');
    expect(session.app.orders).toHaveLength(0);
  });

  it('a clear new request while confirming leaves the confirmation without running it; an unclear one asks yes/no again', async () => {
    const { session } = await open();
    await session.send('/delete_everything');
    const other = await session.send('add 2 and 3');
    expect(other).toMatchObject({ kind: OutputKind.Result, command: 'add_numbers', data: { sum: 5 } });
    expect(other.text).toBe('(Did not run delete_everything; nothing was changed.)\n5');
    expect(session.app.orders).toHaveLength(2);
    expect(session.state.conversation.stage).toBe(Stage.Idle);
    await session.send('/delete_everything');
    const unclear = await session.send('crunch 5 and 3');
    expect(unclear).toMatchObject({ kind: OutputKind.AskConfirmation, command: 'delete_everything' });
    expect(unclear.text).toMatch(/Please answer yes to run delete_everything/);
    expect((await session.send('yes')).text).toBe('Deleted.');
    expect(session.app.orders).toHaveLength(0);
  });

  it('confirm: true asks with the command\'s description and its values', async () => {
    const removed: number[] = [];
    const remove = shopCommand({
      name: 'remove_order_line',
      description: 'Remove a line from the order.',
      input: z.object({ line: z.number().int().describe('the line number'), items: z.array(z.string()).optional() }),
      confirm: true,
      run: (_ctx, { line }) => (removed.push(line), `Removed line ${line}.`),
    });
    const workflow = defineWorkflow<Shop>({ ...shop, contexts: [{ name: '*', commands: [remove] }] });
    const session = await WorkflowSession.open<Shop>({ workflow, classifier: new ScriptedClassifier({}) });
    const ask = await session.send('/remove_order_line line=3 items=["a","b"]');
    expect(ask).toMatchObject({ kind: OutputKind.AskConfirmation, clarification: { type: 'confirmation', summary: 'remove_order_line: Remove a line from the order.\n- line: 3\n- items: a, b' } });
    expect(ask.text).toBe('remove_order_line: Remove a line from the order.\n- line: 3\n- items: a, b\nShall I go ahead? (yes/no)');
    expect(removed).toEqual([]);
    expect((await session.send('yes')).text).toBe('Removed line 3.');
    expect(removed).toEqual([3]);
  });

  it('a near spelling of a command name keeps the values written after it ("remove order line 4")', async () => {
    const removed: number[] = [];
    const remove = shopCommand({
      name: 'remove_order_line',
      description: 'Remove a line from the order.',
      input: z.object({ line: z.number().int().describe('the line number') }),
      utterances: ['remove order line {line}'],
      run: (_ctx, { line }) => (removed.push(line), `Removed line ${line}.`),
    });
    const workflow = defineWorkflow<Shop>({ ...shop, contexts: [{ name: '*', commands: [remove] }] });
    const session = await WorkflowSession.open<Shop>({ workflow, classifier: new ScriptedClassifier({}) });
    const out = await session.send('remove order line 4');
    expect(out).toMatchObject({ kind: OutputKind.Result, command: 'remove_order_line', parameters: { line: 4 }, intent: { source: 'fuzzy_name' } });
    expect(removed).toEqual([4]);
  });

  it('performAction goes through the same validation gate', async () => {
    const { session } = await open();
    expect((await session.performAction({ command: 'add_numbers', parameters: { a: 1, b: 2 } })).data).toEqual({ sum: 3 });
    const bad = await session.performAction({ command: 'add_numbers', parameters: { a: 'one' } });
    expect(bad).toMatchObject({ kind: OutputKind.AskParameters, success: false });
    expect(session.state.conversation.stage).toBe(Stage.Idle);
    expect((await session.performAction({ command: 'nope' })).error?.code).toBe('unknown_command');
  });

  it('submitParameters answers a pending question with structured values (forms)', async () => {
    const { session } = await open();
    await session.send('/add_numbers');
    expect((await session.submitParameters({ a: 5, b: 6 })).data).toEqual({ sum: 11 });
  });
});

describe('contexts and built-ins', () => {
  it('navigates into a child context and back out with "go up"; child commands are only visible inside', async () => {
    const { session } = await open();
    expect((await session.send('/order_details')).kind).toBe(OutputKind.Error);
    const opened = await session.send('open order #W100');
    expect(opened).toMatchObject({ context: 'Order', contextDisplay: 'order #W100', contextChanged: true });
    expect((await session.send('show me')).text).toBe('Order #W100: pending');
    expect((await session.send('where am i')).text).toBe('You are in order #W100 (context Order).');
    const up = await session.send('go up');
    expect(up).toMatchObject({ context: '*', contextChanged: true });
    expect((await session.send('go up')).text).toMatch(/already at the top/);
  });

  it('a command found only in an ancestor runs there without changing the current context', async () => {
    const { session } = await open();
    await session.send('open order #W100');
    const out = await session.send('add 2 and 3');
    expect(out).toMatchObject({ command: 'add_numbers', text: '5', intent: { source: 'ancestor' }, context: 'Order' });
  });

  it('"what can I do" lists the current context\'s commands, "reset context" returns to the root', async () => {
    const { session } = await open();
    await session.send('open order #W100');
    const help = await session.send('What can I do?');
    expect(help.text).toContain('- cancel_order: Cancel this pending order.');
    expect(help.text).toContain('- add_numbers: Add two numbers.');
    expect((await session.send('reset context')).context).toBe('*');
  });

  it('"what can I do" offers going up and resetting only where the workflow has contexts to move between', async () => {
    const { session } = await open();
    expect((await session.send('What can I do?')).text).toMatch(/Always available: what can I do, go up, reset context, current context, abort, you misunderstood\./);
    const single = defineWorkflow({
      name: 'flat',
      description: 'One context.',
      contexts: [{ name: '*', commands: [commandFor<unknown, null>()({ name: 'ping', description: 'Answer pong.', input: z.object({}), utterances: ['ping'], run: () => 'pong' })] }],
      createApp: () => ({}),
    });
    const flat = await WorkflowSession.open({ workflow: single, classifier: new ScriptedClassifier({}) });
    const help = (await flat.send('/what_can_i_do')).text;
    expect(help).toContain('- ping: Answer pong.');
    expect(help).toMatch(/Always available: what can I do, abort, you misunderstood\./);
  });

  it('abort leaves a pending clarification', async () => {
    const { session } = await open();
    await session.send('/add_numbers a=1');
    expect(session.state.conversation.stage).toBe(Stage.AskingParameters);
    expect((await session.send('never mind')).text).toBe('Okay, aborted add_numbers.');
    expect(session.state.conversation.stage).toBe(Stage.Idle);
    expect((await session.send('abort')).text).toBe('There is nothing to abort.');
  });

  it('a built-in detected by the classifier runs too', async () => {
    const { session } = await open();
    expect((await session.send('where do I stand')).text).toBe('You are in the global context.');
  });

  it('"you misunderstood" offers the alternatives, re-runs with the chosen one, and the correction applies next time', async () => {
    const corrections = new MemoryCorrectionStore();
    const { session, classifier } = await open({ corrections });
    expect((await session.send('sum it up 2 and 9')).text).toBe('11');
    const ask = await session.send('you misunderstood');
    expect(ask.clarification).toMatchObject({ type: 'intent', reason: 'misunderstood', utterance: 'sum it up 2 and 9' });
    const choices = (ask.clarification as { choices: { command: string }[] }).choices.map((c) => c.command);
    expect(choices).toContain('subtract_numbers');
    expect(choices).not.toContain('add_numbers');
    expect((await session.send('subtract numbers')).text).toBe('-7');
    expect(await corrections.list('shop')).toMatchObject([{ utterance: 'sum it up 2 and 9', command: 'subtract_numbers', source: 'misunderstood' }]);
    expect(classifier.learned).toEqual([{ text: 'sum it up 2 and 9', context: '*', label: 'subtract_numbers' }]);
    const again = await session.send('Sum it up 2 and 9');
    expect(again).toMatchObject({ command: 'subtract_numbers', intent: { source: 'correction' } });
  });

  it('an empty message gets a hint and nothing else', async () => {
    const { session } = await open();
    expect((await session.send('   ')).text).toMatch(/what can I do/);
  });
});

describe('a command inherited by two contexts', () => {
  interface Chat {
    sent: string[];
  }
  const userCommand = commandFor<Chat, string>();
  const send = userCommand({
    name: 'send_message',
    description: 'Send a message.',
    input: z.object({ text: z.string() }),
    utterances: ['send {text}'],
    run: (ctx, { text }) => {
      ctx.app.sent.push(text);
      return `Sent ${text}`;
    },
  });
  const upgrade = userCommand({ name: 'upgrade', description: 'Upgrade this user.', run: () => 'Upgraded.' });
  const boost = userCommand({ name: 'boost', description: 'Boost a premium user.', run: () => 'Boosted.' });
  const audit = userCommand({ name: 'audit', description: 'Audit the users.', run: () => 'Audited.' });
  const signIn = commandFor<Chat, null>()({
    name: 'sign_in',
    description: 'Sign in as a premium user.',
    hidden: true,
    run: (ctx) => {
      ctx.setContext('PremiumUser', 'alice');
      return 'Signed in.';
    },
  });
  const chat = defineWorkflow<Chat>({
    name: 'chat',
    description: 'Users and premium users.',
    contexts: [
      { name: '*', commands: [signIn] },
      defineContext<Chat, string>({ name: 'User', commands: [send, upgrade], key: (u) => u, resolve: (u) => u }),
      defineContext<Chat, string>({ name: 'PremiumUser', base: ['User'], commands: [boost], key: (u) => u, resolve: (u) => u }),
      defineContext<Chat, string>({ name: 'Admin', commands: [audit], key: (u) => u, resolve: (u) => u }),
    ],
    createApp: () => ({ sent: [] }),
    startupAction: { command: 'sign_in', parameters: {} },
  });

  it("another context's model sure of a command that is visible here too: asks, runs nothing", async () => {
    // PremiumUser's model finds nothing; User's (where the command comes from) is sure.
    const classifier = new ScriptedClassifier({ 'PremiumUser|pass along hi': { __out_of_scope__: 0.6, send_message: 0.3 }, 'User|pass along hi': { send_message: 0.9 } });
    const session = await WorkflowSession.open<Chat>({ workflow: chat, classifier });
    expect((await session.currentContext()).context).toBe('PremiumUser');
    const out = await session.send('pass along hi');
    expect(out.kind).toBe(OutputKind.AskIntent);
    expect(out.text).toContain('Did you mean send_message');
    expect(out.text).not.toContain('only available in');
    expect(session.app.sent).toEqual([]);
    expect(await session.send('yes')).toMatchObject({ kind: OutputKind.AskParameters, command: 'send_message' });
    expect(await session.send('hi')).toMatchObject({ kind: OutputKind.Result, text: 'Sent hi' });
  });

  it('a command only another context has: says where it is', async () => {
    const classifier = new ScriptedClassifier({ 'Admin|check everyone': { audit: 0.9 } });
    const session = await WorkflowSession.open<Chat>({ workflow: chat, classifier });
    const out = await session.send('check everyone');
    expect(out.kind).toBe(OutputKind.OutOfScope);
    expect(out.text).toContain('"audit" looks like what you want, but it is only available in Admin');
  });
});

describe('answers to questions', () => {
  it('a new request instead of an answer leaves the question and runs', async () => {
    const { session } = await open();
    await session.send('/add_numbers a=1');
    const out = await session.send('open order #W100');
    expect(out).toMatchObject({ command: 'open_order', context: 'Order' });
    expect(out.text).toMatch(/^\(Left the question about add_numbers\.\)/);
    expect(session.state.conversation.stage).toBe(Stage.Idle);
  });

  it('the same command asked again in full replaces the values instead of answering one field', async () => {
    const { session } = await open();
    await session.send('/add_numbers a=1');
    const out = await session.send('add 2 and 3');
    expect(out).toMatchObject({ kind: OutputKind.Result, command: 'add_numbers', parameters: { a: 2, b: 3 }, text: '5' });
  });

  it('an out-of-scope message instead of a number leaves the question and says it is out of scope', async () => {
    const { session } = await open();
    await session.send('/add_numbers a=1');
    const out = await session.send('what is the weather like');
    expect(out.kind).toBe(OutputKind.OutOfScope);
    expect(out.text).toMatch(/^\(Left the question about add_numbers\.\)/);
    expect(out.text).not.toMatch(/must be a number/);
    expect(session.app.log).toEqual([]);
  });

  it('a request none of whose words could be the patterned value asked for leaves the question (no "wrong format")', async () => {
    const { session } = await open();
    await session.send('/open_order');
    const out = await session.send('show me all my orders');
    expect(out.kind).toBe(OutputKind.OutOfScope);
    expect(out.text).toMatch(/^\(Left the question about open_order\.\)/);
    expect(out.text).not.toMatch(/expected format/);
  });

  it('a near miss of a patterned value stays an answer: the question says what is wrong with it', async () => {
    const { session } = await open();
    await session.send('/open_order');
    const out = await session.send('it is W12');
    expect(out).toMatchObject({ kind: OutputKind.AskParameters, command: 'open_order' });
    expect(out.text).toMatch(/order_id|order id/);
  });

  it('a wrong value of the right shape stays an answer: the question says what is wrong with it', async () => {
    const { session } = await open();
    await session.send('/add_numbers a=1');
    const out = await session.send('four');
    expect(out).toMatchObject({ kind: OutputKind.AskParameters, command: 'add_numbers' });
  });

  it('a bare value is still the answer to the question', async () => {
    const { session } = await open();
    await session.send('/add_numbers a=1');
    expect(await session.send('4')).toMatchObject({ kind: OutputKind.Result, parameters: { a: 1, b: 4 }, text: '5' });
  });

  it('finds an enum value inside a longer answer', async () => {
    const { session } = await open();
    await session.send('open order #W100');
    await session.send('cancel it');
    expect((await session.send('well, I ordered it by mistake')).text).toBe('Cancelled #W100.');
  });

  it('"yes" accepts the one suggestion offered', async () => {
    const { session } = await open({ app: { orders: [{ id: '#W100', status: 'pending' }], log: [] } });
    const ask = await session.send('/open_order order_id=#W101');
    expect(ask.text).toMatch(/Did you mean '#W100'\?/);
    expect(await session.send('yes')).toMatchObject({ command: 'open_order', context: 'Order' });
  });

  it('a cross-field problem keeps the values, so only the wrong one needs changing', async () => {
    const { session } = await open();
    await session.send('open order #W200');
    const out = await session.send('cancel it because ordered by mistake');
    expect(out.clarification).toMatchObject({ type: 'parameters', values: { reason: 'ordered by mistake' }, problems: [{ code: 'cross_field' }] });
  });

  it('form values are converted to the field types', async () => {
    const { session } = await open();
    await session.send('/add_numbers');
    expect((await session.submitParameters({ a: '3', b: '4.5' })).data).toEqual({ sum: 7.5 });
  });

  it('exposes the open question and the context path for a UI', async () => {
    const { session } = await open();
    await session.send('open order #W100');
    expect(await session.contextPath()).toEqual([
      { context: '*', display: 'global context' },
      { context: 'Order', display: 'order #W100' },
    ]);
    expect(session.pendingClarification()).toBeUndefined();
    await session.send('cancel it');
    expect(session.pendingClarification()).toMatchObject({ type: 'parameters', command: 'cancel_order', problems: [{ field: 'reason' }] });
    await session.send('abort');
    expect(session.pendingClarification()).toBeUndefined();
  });
});

describe('session state', () => {
  it('is plain data in the store, and a new session object resumes the context and a pending question', async () => {
    const store = new MemorySessionStore();
    const app = shop.createApp() as Shop;
    const { session } = await open({ store, app, sessionId: 's1' });
    await session.send('open order #W100');
    await session.send('cancel it');
    const saved = await store.load('s1');
    expect(JSON.parse(JSON.stringify(saved))).toEqual(saved);
    expect(saved).toMatchObject({ current: { context: 'Order', key: '#W100' }, conversation: { stage: Stage.AskingParameters, pending: { command: 'cancel_order' } } });

    const { session: resumed } = await open({ store, app, sessionId: 's1' });
    expect((await resumed.currentContext()).display).toBe('order #W100');
    expect((await resumed.send('no longer needed')).text).toBe('Cancelled #W100.');
    expect(resumed.state.history.filter((h) => h.role === 'user').map((h) => h.text)).toEqual(['open order #W100', 'cancel it', 'no longer needed']);
  });

  it('re-teaches the classifier the corrections of a resumed session', async () => {
    const store = new MemorySessionStore();
    const corrections = new MemoryCorrectionStore();
    const { session } = await open({ store, corrections, sessionId: 's4' });
    await session.send('do the math with 5 and 3');
    await session.send('2');
    const { classifier } = await open({ store, corrections, sessionId: 's4' });
    expect(classifier.learned).toEqual([{ text: 'do the math with 5 and 3', context: '*', label: 'subtract_numbers' }]);
  });

  it('a startup command goes through intent detection and sets the root context', async () => {
    const { session } = await open({ workflow: { ...shop, startupCommand: 'open order #W100' } });
    expect(session.state.root).toEqual({ context: 'Order', key: '#W100' });
    expect((await session.send('go up')).text).toMatch(/already at the top/);
  });

  it('falls back to the root when the stored context object no longer exists', async () => {
    const store = new MemorySessionStore();
    const { session } = await open({ store, sessionId: 's2' });
    await session.send('open order #W100');
    const { session: resumed } = await open({ store, sessionId: 's2', app: { orders: [], log: [] } });
    expect(resumed.state.current.context).toBe('*');
  });

  it('keeps the revision when a stored session of another workflow is replaced', async () => {
    const store = new MemorySessionStore();
    const { session } = await open({ store, sessionId: 's3' });
    await session.send('add 2 and 3');
    const before = (await store.load('s3'))!.revision;
    await store.save({ ...(await store.load('s3'))!, workflow: 'other' });
    const { session: again } = await open({ store, sessionId: 's3' });
    expect(again.state.revision).toBeGreaterThan(before);
  });

  it('serialises concurrent turns', async () => {
    const { session } = await open();
    const [a, b] = await Promise.all([session.send('/add_numbers a=1'), session.send('2')]);
    expect(a.kind).toBe(OutputKind.AskParameters);
    expect(b.data).toEqual({ sum: 3 });
  });
});

describe('sessions stored by the previous version', () => {
  it('resumes a version-1 session with a pending parameter question and answers it', async () => {
    const store = new MemorySessionStore();
    const question = {
      type: 'parameters' as const,
      command: 'cancel_order',
      fields: [],
      problems: [{ field: 'reason', code: 'missing' as const, message: 'reason is missing' }],
      values: {},
      inputSchema: { type: 'object', properties: {} },
    };
    // Exactly the shape version 1 saved: stage, pending and question side by side.
    await store.save({
      version: 1,
      id: 'old',
      workflow: 'shop',
      revision: 3,
      root: { context: '*', key: null },
      current: { context: 'Order', key: '#W100' },
      stage: 'parameters',
      pending: { command: 'cancel_order', target: { context: 'Order', key: '#W100' }, values: {}, asked: ['reason'], utterance: 'cancel it' },
      question,
      last: { utterance: 'cancel it', command: 'cancel_order', target: { context: 'Order', key: '#W100' }, ranked: [] },
      history: [{ role: 'user', text: 'cancel it', at: 1 }],
      updatedAt: 1,
    });
    const { session } = await open({ store, sessionId: 'old' });
    expect(session.state.conversation.stage).toBe(Stage.AskingParameters);
    expect(session.pendingClarification()).toMatchObject({ type: 'parameters', command: 'cancel_order' });
    expect((await session.send('no longer needed')).text).toBe('Cancelled #W100.');
    const saved = await store.load('old');
    expect(saved).toMatchObject({ version: 2, revision: 4, conversation: { stage: Stage.Idle } });
    expect(saved && 'stage' in saved).toBe(false);
  });

  it('resumes a version-1 choice between commands', async () => {
    const store = new MemorySessionStore();
    const target = { context: '*', key: null };
    await store.save({
      version: 1,
      id: 'old2',
      workflow: 'shop',
      revision: 1,
      root: target,
      current: target,
      stage: 'intent_ambiguity',
      choice: { utterance: 'crunch 5 and 3', candidates: ['add_numbers', 'subtract_numbers'], target },
      question: { type: 'intent', reason: 'ambiguous', utterance: 'crunch 5 and 3', choices: [{ command: 'add_numbers', description: '' }, { command: 'subtract_numbers', description: '' }] },
      history: [],
      updatedAt: 1,
    });
    const { session } = await open({ store, sessionId: 'old2' });
    expect(await session.send('2')).toMatchObject({ kind: OutputKind.Result, command: 'subtract_numbers', text: '2' });
  });
});

describe('message length', () => {
  it('refuses a message over the limit with a clear reply, runs nothing and keeps the open question', async () => {
    const { session } = await open({ maxMessageLength: 50 });
    await session.send('open order #W100');
    await session.send('cancel it');
    const long = `no longer needed ${'x'.repeat(60)}`;
    const out = await session.send(long);
    expect(out).toMatchObject({ kind: OutputKind.Error, success: false, error: { code: 'message_too_long', length: long.length, limit: 50 } });
    expect(out.text).toMatch(/77 characters long; the limit is 50\. Nothing was run/);
    expect(session.state.conversation.stage).toBe(Stage.AskingParameters);
    expect((await session.send('no longer needed')).text).toBe('Cancelled #W100.');
  });

  it('defaults to 2,000 characters', async () => {
    const { session } = await open();
    const out = await session.send(`add 2 and 3 ${'y'.repeat(2000)}`);
    expect(out.error).toMatchObject({ code: 'message_too_long', limit: 2000 });
    expect((await session.send('add 2 and 3')).data).toEqual({ sum: 5 });
  });
});
