import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MemorySessionStore, OutputKind, WorkflowSession } from '../../../src/index.ts';
import { calculate } from './calculator.ts';
import { hasTauBenchData, loadTauBenchData } from './tau-bench-data.ts';
import retail, { createRetailApp, fixtureData, RetailPolicyError, RetailStore } from './workflow.ts';

// ../shared next to the repository (read-only data, never committed).
const TAU_BENCH_DB = fileURLToPath(new URL('../../../../shared/retail/tau-bench/db', import.meta.url));

async function open(app = createRetailApp()) {
  return { s: await WorkflowSession.open({ workflow: retail, app }), app };
}

/** A session where the customer is authenticated by email (User context). */
async function signedIn(email = 'ava.lee@example.com') {
  const { s, app } = await open();
  const out = await s.send(`my email is ${email}`);
  expect(out).toMatchObject({ kind: OutputKind.Result, command: 'find_user_by_email', context: 'User' });
  return { s, app };
}

/** Authenticated, with an order open. */
async function inOrder(orderId: string, email = 'ava.lee@example.com') {
  const { s, app } = await signedIn(email);
  const out = await s.send(`open order ${orderId}`);
  expect(out.command).toBe('open_order');
  return { s, app, order: app.store.order(orderId)! };
}

const commandsOf = (s: WorkflowSession<any>) => s.visibleCommands().map((c) => c.command);

describe('retail: authentication (global context)', () => {
  it('finds the customer by email and enters their User context', async () => {
    const { s, app } = await open();
    expect(commandsOf(s)).toEqual(['find_user_by_email', 'find_user_by_name_zip', 'list_product_types', 'get_product_details', 'transfer_to_human_agent', 'calculate']);
    const out = await s.send('Hi, my email is ava.lee@example.com');
    expect(out).toMatchObject({ command: 'find_user_by_email', data: { user_id: 'ava_lee_1234' }, context: 'User', contextDisplay: 'Ava Lee (ava_lee_1234)' });
    expect(out.text).toContain('#W0000001 (pending), #W0000002 (delivered), #W0000003 (processed)');
    expect(app.customerId).toBe('ava_lee_1234');
    expect(commandsOf(s).slice(0, 4)).toEqual(['get_user_details', 'list_orders', 'open_order', 'modify_user_address']);
  });

  it('finds the customer by name and zip code; the zip code tells namesakes apart', async () => {
    const first = await open();
    expect(await first.s.send("I'm Ava Lee, zip 98101")).toMatchObject({ command: 'find_user_by_name_zip', data: { user_id: 'ava_lee_7788' }, context: 'User' });
    const second = await open();
    expect(await second.s.send('my name is Ava Lee and my zip code is 10001')).toMatchObject({ data: { user_id: 'ava_lee_1234' } });
  });

  it('an unknown email or name + zip is refused with the reason, and nothing is entered', async () => {
    const { s } = await open();
    const byEmail = await s.send('my email is nobody@example.com');
    expect(byEmail.kind).toBe(OutputKind.AskParameters);
    expect(byEmail.text).toContain("I couldn't find a customer with the email nobody@example.com");
    expect(await s.send('abort')).toMatchObject({ context: '*' });
    const byName = await s.send('/find_user_by_name_zip first_name=Ava last_name=Lee zip=12345');
    expect(byName.text).toContain("I couldn't find a customer named Ava Lee with zip code 12345");
    expect(byName.context).toBe('*');
  });

  it('a malformed email or zip code is re-asked', async () => {
    const { s } = await open();
    expect((await s.send('/find_user_by_email email=ava.lee')).text).toContain('email "ava.lee" does not have the expected format');
    expect((await s.send('/find_user_by_name_zip first_name=Ava last_name=Lee zip=1001')).text).toContain('zip "1001" does not have the expected format');
  });

  it('serves one customer per conversation', async () => {
    const { s, app } = await signedIn();
    const out = await s.send('/find_user_by_email email=ben.carter@example.com');
    expect(out.text).toContain('This conversation is already serving Ava Lee; I can only help one customer per conversation.');
    expect(app.customerId).toBe('ava_lee_1234');
    // the same customer again is fine
    expect((await s.send('/find_user_by_email email=AVA.LEE@example.com')).success).toBe(true);
  });

  it('order commands are not available before the customer is identified', async () => {
    const { s } = await open();
    expect((await s.send('/open_order order_id=#W0000001')).kind).toBe(OutputKind.Error);
    expect((await s.send('/cancel_pending_order order_id=#W0000001 reason=no longer needed')).kind).toBe(OutputKind.Error);
  });
});

describe('retail: User context', () => {
  it('shows the profile and the orders', async () => {
    const { s } = await signedIn();
    const profile = await s.send('what payment methods are on my account');
    expect(profile.command).toBe('get_user_details');
    expect(profile.text).toContain('credit_card_1111111 (visa credit card ending 4242)');
    expect(profile.text).toContain('gift_card_2222222 (gift card, balance $60.00)');
    const orders = await s.send('show my order history');
    expect(orders.data).toEqual([
      { order_id: '#W0000001', status: 'pending' },
      { order_id: '#W0000002', status: 'delivered' },
      { order_id: '#W0000003', status: 'processed' },
    ]);
  });

  it('opens an order in the context that fits its status', async () => {
    const { s } = await signedIn();
    expect(await s.send('I need help with my order #W0000001')).toMatchObject({ context: 'PendingOrder', contextDisplay: 'order #W0000001 (pending)' });
    expect(commandsOf(s).slice(0, 5)).toEqual(['cancel_pending_order', 'modify_pending_order_address', 'modify_pending_order_items', 'modify_pending_order_payment', 'get_order_details']);
    await s.send('go up');
    expect(await s.send('where is my order #W0000002')).toMatchObject({ context: 'DeliveredOrder' });
    expect(commandsOf(s).slice(0, 3)).toEqual(['return_delivered_order_items', 'exchange_delivered_order_items', 'get_order_details']);
    await s.send('go up');
    expect(await s.send('open order #W0000003')).toMatchObject({ context: 'Order', contextDisplay: 'order #W0000003 (processed)' });
    expect(commandsOf(s)[0]).toBe('get_order_details');
    expect(commandsOf(s)).not.toContain('cancel_pending_order');
  });

  it("an order of another customer is refused, with the customer's own orders as suggestions", async () => {
    const { s } = await signedIn();
    const out = await s.send('open order #W0000004');
    expect(out.kind).toBe(OutputKind.AskParameters);
    expect(out.text).toContain("Order #W0000004 is not one of Ava Lee's orders");
    expect(out.clarification).toMatchObject({ type: 'parameters', problems: [{ field: 'order_id', code: 'not_found', suggestions: ['#W0000001', '#W0000002', '#W0000003'] }] });
    expect((await s.send('#W0000002')).context).toBe('DeliveredOrder');
  });

  it('a malformed order id is re-asked with the expected format', async () => {
    const { s } = await signedIn();
    const out = await s.send('/open_order order_id=W123');
    expect(out.text).toContain('order id "W123" does not have the expected format');
    expect(out.text).toContain("'#W' and 7 digits");
  });

  it('changes the default address after confirmation', async () => {
    const { s, app } = await signedIn();
    const ask = await s.send('/modify_user_address address1=5 Elm St city=Boston state=MA zip=02108');
    expect(ask.kind).toBe(OutputKind.AskConfirmation);
    expect(ask.text).toContain('Change your default address from 12 Orchard Street, Apt 4B, New York, NY 10001, USA to 5 Elm St, Boston, MA 02108, USA.');
    expect(app.store.data.users.ava_lee_1234.address.city).toBe('New York');
    await s.send('yes');
    expect(app.store.data.users.ava_lee_1234.address).toEqual({ address1: '5 Elm St', address2: '', city: 'Boston', state: 'MA', country: 'USA', zip: '02108' });
  });
});

describe('retail: cancel a pending order', () => {
  it('asks for confirmation; nothing changes before "yes"; then cancels and refunds', async () => {
    const { s, app, order } = await inOrder('#W0000001');
    const ask = await s.send('I want to cancel this order because I no longer need it');
    expect(ask).toMatchObject({ kind: OutputKind.AskConfirmation, command: 'cancel_pending_order', parameters: { reason: 'no longer needed' } });
    expect(ask.text).toContain('Cancel order #W0000001 (T-Shirt, Water Bottle; total $75.00) because "no longer needed".');
    expect(ask.text).toContain('refunded to credit_card_1111111 in 5 to 7 business days');
    expect(ask.text).toContain('Shall I go ahead? (yes/no)');
    expect(order.status).toBe('pending');
    expect(order.payment_history).toHaveLength(1);

    const done = await s.send('yes');
    expect(done).toMatchObject({ kind: OutputKind.Result, success: true, command: 'cancel_pending_order', context: 'Order', contextDisplay: 'order #W0000001 (cancelled)' });
    expect(order).toMatchObject({ status: 'cancelled', cancel_reason: 'no longer needed' });
    expect(order.payment_history[1]).toEqual({ transaction_type: 'refund', amount: 75, payment_method_id: 'credit_card_1111111' });
    expect(app.store.data.orders['#W0000001'].status).toBe('cancelled');
    // a cancelled order offers no cancel any more
    expect(commandsOf(s)).not.toContain('cancel_pending_order');
  });

  it('"no" leaves the order untouched', async () => {
    const { s, order } = await inOrder('#W0000001');
    expect((await s.send('please cancel, ordered by mistake')).kind).toBe(OutputKind.AskConfirmation);
    const out = await s.send('no');
    expect(out.text).toBe('Cancelled cancel_pending_order; nothing was changed.');
    expect(order.status).toBe('pending');
    expect(order.payment_history).toHaveLength(1);
    expect(out.context).toBe('PendingOrder');
  });

  it('asks for a missing reason, takes it from the next message, then confirms', async () => {
    const { s, order } = await inOrder('#W0000001');
    const ask = await s.send('cancel this order');
    expect(ask).toMatchObject({ kind: OutputKind.AskParameters, command: 'cancel_pending_order' });
    expect(ask.text).toContain("- reason: Why the order is cancelled: 'no longer needed' or 'ordered by mistake'");
    const confirm = await s.send('ordered by mistake');
    expect(confirm).toMatchObject({ kind: OutputKind.AskConfirmation, parameters: { reason: 'ordered by mistake' } });
    await s.send('yes');
    expect(order).toMatchObject({ status: 'cancelled', cancel_reason: 'ordered by mistake' });
  });

  it('a reason outside the two allowed ones is re-asked with the allowed values', async () => {
    const { s, order } = await inOrder('#W0000001');
    const out = await s.send('/cancel_pending_order reason=found it cheaper elsewhere');
    expect(out.text).toContain("Allowed values: 'no longer needed', 'ordered by mistake'");
    expect(order.status).toBe('pending');
  });

  it('a gift card payment is refunded to the gift card at once', async () => {
    const { s, app, order } = await inOrder('#W0000008', 'diego.santos@example.com');
    const ask = await s.send('/cancel_pending_order reason=no longer needed');
    expect(ask.text).toContain('refunded to gift_card_7777777 immediately');
    await s.send('yes');
    expect(order.status).toBe('cancelled');
    expect(app.store.paymentMethod('diego_santos_3456', 'gift_card_7777777')).toMatchObject({ balance: 428.99 });
  });

  it('an order in the wrong status is refused with the reason, and nothing changes', async () => {
    const { s, app } = await inOrder('#W0000001');
    const out = await s.send('/cancel_pending_order order_id=#W0000002 reason=no longer needed');
    expect(out.kind).toBe(OutputKind.AskParameters);
    expect(out.success).toBe(false);
    expect(out.text).toContain('Order #W0000002 is delivered; only pending orders can be cancelled.');
    expect(app.store.order('#W0000002')!.status).toBe('delivered');
    expect(app.store.order('#W0000001')!.status).toBe('pending');
  });

  it("another session (same data) changed the status: the open order's action is refused with the reason", async () => {
    const app = createRetailApp();
    const a = await WorkflowSession.open({ workflow: retail, app });
    const b = await WorkflowSession.open({ workflow: retail, app });
    for (const s of [a, b]) {
      await s.send('my email is ava.lee@example.com');
      await s.send('open order #W0000001');
    }
    await a.send('/cancel_pending_order reason=ordered by mistake');
    await a.send('yes');
    const out = await b.send('/modify_pending_order_address address1=5 Elm St city=Boston state=MA zip=02108');
    expect(out.text).toContain('Order #W0000001 is cancelled; only pending orders can be modified.');
  });
});

describe('retail: modify a pending order', () => {
  it('a payment method that is not the customer\'s is refused, with theirs as suggestions', async () => {
    const { s, order } = await inOrder('#W0000001');
    const out = await s.send('/modify_pending_order_payment payment_method_id=paypal_3333333');
    expect(out.kind).toBe(OutputKind.AskParameters);
    expect(out.text).toContain("Payment method \"paypal_3333333\" is not one of Ava Lee's payment methods: credit_card_1111111 (visa credit card ending 4242); gift_card_2222222 (gift card, balance $60.00).");
    expect(out.text).toContain("Did you mean 'credit_card_1111111' or 'gift_card_2222222'?");
    expect(out.clarification).toMatchObject({ problems: [{ field: 'payment_method_id', code: 'not_found', suggestions: ['credit_card_1111111', 'gift_card_2222222'] }] });
    // the gift card has $60, the order is $75
    expect((await s.send('gift_card_2222222')).text).toContain('Gift card gift_card_2222222 has $60.00, not enough for the order total of $75.00.');
    expect(order.payment_history).toHaveLength(1);
  });

  it('the current payment method is refused; "pay with my gift card" names the only gift card', async () => {
    const { s, app, order } = await inOrder('#W0000008', 'diego.santos@example.com');
    expect((await s.send('/modify_pending_order_payment payment_method_id=gift_card_7777777')).text).toContain('already paid with gift_card_7777777');
    await s.send('abort');
    const ask = await s.send('charge my amex instead');
    expect(ask).toMatchObject({ kind: OutputKind.AskConfirmation, command: 'modify_pending_order_payment', parameters: { payment_method_id: 'credit_card_8888888' } });
    await s.send('yes');
    expect(order.payment_history.slice(1)).toEqual([
      { transaction_type: 'payment', amount: 178.99, payment_method_id: 'credit_card_8888888' },
      { transaction_type: 'refund', amount: 178.99, payment_method_id: 'gift_card_7777777' },
    ]);
    expect(app.store.paymentMethod('diego_santos_3456', 'gift_card_7777777')).toMatchObject({ balance: 428.99 });
    expect(order.status).toBe('pending');
  });

  it('modifies items once (same product, available option), charging the difference; then the order can no longer be changed', async () => {
    const { s, app, order } = await inOrder('#W0000001');
    const ask = await s.send('change item 4172905831 to 6618203947 with my gift card');
    expect(ask).toMatchObject({ kind: OutputKind.AskConfirmation, command: 'modify_pending_order_items', parameters: { item_ids: ['4172905831'], new_item_ids: ['6618203947'], payment_method_id: 'gift_card_2222222' } });
    expect(ask.text).toContain('→ 6618203947 T-Shirt (color red, size M, material cotton) $52.00');
    expect(ask.text).toContain('You pay the difference of $2.00 with gift_card_2222222.');
    expect(ask.text).toContain('Have you listed every item you want to change?');
    await s.send('yes');
    expect(order.status).toBe('pending (item modified)');
    expect(order.items[0]).toMatchObject({ item_id: '6618203947', price: 52, options: { color: 'red', size: 'M' } });
    expect(order.payment_history[1]).toEqual({ transaction_type: 'payment', amount: 2, payment_method_id: 'gift_card_2222222' });
    expect(app.store.paymentMethod('ava_lee_1234', 'gift_card_2222222')).toMatchObject({ balance: 58 });
    expect((await s.currentContext()).context).toBe('Order');
    expect((await s.send('/cancel_pending_order reason=no longer needed')).kind).toBe(OutputKind.Error);
  });

  it('an item can only become another option of the same product', async () => {
    const { s, order } = await inOrder('#W0000001');
    const out = await s.send('/modify_pending_order_items item_ids=4172905831 new_item_ids=9150283746 payment_method_id=credit_card_1111111');
    expect(out.text).toContain('Item 9150283746 is a Water Bottle, not a T-Shirt: an item can only be changed to another option of the same product.');
    const notInOrder = await s.send('/modify_pending_order_items item_ids=6202837415 new_item_ids=7481920356 payment_method_id=credit_card_1111111');
    expect(notInOrder.text).toContain('Item 6202837415 is not in order #W0000001');
    const badId = await s.send('/modify_pending_order_items item_ids=41729 new_item_ids=6618203947 payment_method_id=credit_card_1111111');
    expect(badId.text).toContain('an item id has 10 digits');
    expect(order.status).toBe('pending');
  });

  it('changes the shipping address after confirmation', async () => {
    const { s, order } = await inOrder('#W0000001');
    const ask = await s.send('ship this order to 5 Elm St, Boston, MA 02108');
    expect(ask).toMatchObject({ kind: OutputKind.AskConfirmation, command: 'modify_pending_order_address' });
    expect(ask.text).toContain('Ship order #W0000001 to 5 Elm St, Boston, MA 02108, USA instead of 12 Orchard Street');
    await s.send('yes');
    expect(order.address).toMatchObject({ address1: '5 Elm St', city: 'Boston', state: 'MA', zip: '02108' });
    expect(order.status).toBe('pending');
  });
});

describe('retail: return or exchange a delivered order', () => {
  it('returns delivered items to the gift card after confirmation', async () => {
    const { s, order } = await inOrder('#W0000002');
    const ask = await s.send('I want to return the 6202837415');
    expect(ask).toMatchObject({ kind: OutputKind.AskParameters, command: 'return_delivered_order_items', parameters: { item_ids: ['6202837415'] } });
    const confirm = await s.send('my gift card');
    expect(confirm.kind).toBe(OutputKind.AskConfirmation);
    expect(confirm.text).toContain('Refund $129.99 to gift_card_2222222.');
    expect(order.status).toBe('delivered');
    const done = await s.send('yes');
    expect(done).toMatchObject({ success: true, context: 'Order', contextDisplay: 'order #W0000002 (return requested)' });
    expect(order).toMatchObject({ status: 'return requested', return_items: ['6202837415'], return_payment_method_id: 'gift_card_2222222' });
  });

  it('items are named by what they are as well as by id', async () => {
    const { s, order } = await inOrder('#W0000002');
    const ask = await s.send('I want to return the earbuds');
    expect(ask).toMatchObject({ kind: OutputKind.AskParameters, command: 'return_delivered_order_items', parameters: { item_ids: ['earbuds'] } });
    const confirm = await s.send('my gift card');
    expect(confirm).toMatchObject({ kind: OutputKind.AskConfirmation, parameters: { item_ids: ['6202837415'] } });
    expect(confirm.text).toContain('Wireless Earbuds');
    await s.send('no');
    const lamp = await s.send('/return_delivered_order_items item_ids=desk lamp payment_method_id=gift card');
    expect(lamp.kind).toBe(OutputKind.AskConfirmation);
    expect(lamp.text).toContain('Desk Lamp');
    expect(lamp.parameters).toMatchObject({ item_ids: ['1836472059'] });
    expect(order.status).toBe('delivered');
  });

  it('an item name that is not in the order is asked about with the order\'s items', async () => {
    const { s, order } = await inOrder('#W0000002');
    const shoes = await s.send('/return_delivered_order_items item_ids=the shoes payment_method_id=gift card');
    expect(shoes.kind).toBe(OutputKind.AskParameters);
    expect(shoes.text).toContain('"the shoes" is not an item of order #W0000002; its items: 6202837415 Wireless Earbuds');
    expect(shoes.clarification).toMatchObject({ problems: [{ field: 'item_ids', suggestions: ['6202837415', '1836472059'] }] });
    expect(order.status).toBe('delivered');
  });

  it('an item description that fits several items of the order is asked about with just those', async () => {
    const { s, order } = await inOrder('#W0000008', 'diego.santos@example.com');
    const out = await s.send('/modify_pending_order_items item_ids=the black one new_item_ids=4172905831 payment_method_id=gift card');
    expect(out.kind).toBe(OutputKind.AskParameters);
    expect(out.text).toContain('"the black one" could be several items of order #W0000008: 8830412265 T-Shirt');
    expect(out.clarification).toMatchObject({ problems: [{ field: 'item_ids', suggestions: ['8830412265', '6202837415'] }] });
    const shirt = await s.send('/modify_pending_order_items item_ids=the black t-shirt new_item_ids=4172905831 payment_method_id=gift card');
    expect(shirt.parameters).toMatchObject({ item_ids: ['8830412265'] });
    expect(order.status).toBe('pending');
  });

  it('a refund goes to the original payment method or a gift card, nothing else', async () => {
    const { s, order } = await inOrder('#W0000007', 'chloe.nguyen@example.com');
    const out = await s.send('/return_delivered_order_items item_ids=7481920356 payment_method_id=paypal_6666666');
    expect(out.text).toContain('A refund must go to the original payment method (credit_card_5555555) or a gift card; paypal_6666666 is neither.');
    expect(order.status).toBe('delivered');
  });

  it('a pending order cannot be returned (the command is not offered there)', async () => {
    const { s } = await inOrder('#W0000001');
    expect((await s.send('/return_delivered_order_items item_ids=4172905831 payment_method_id=credit_card_1111111')).kind).toBe(OutputKind.Error);
  });

  it('an exchange to an unavailable option is refused with the available ones; the other values are kept', async () => {
    const { s, order } = await inOrder('#W0000002');
    const out = await s.send('/exchange_delivered_order_items item_ids=6202837415 new_item_ids=3519064782 payment_method_id=gift_card_2222222');
    expect(out.kind).toBe(OutputKind.AskParameters);
    expect(out.text).toContain('Wireless Earbuds 3519064782 (color white, battery life 8 hours, water resistance IPX4) is not available.');
    expect(out.clarification).toMatchObject({ problems: [{ field: 'new_item_ids', suggestions: ['7481920356'] }] });
    expect(order.status).toBe('delivered');
    const confirm = await s.send('7481920356');
    expect(confirm.kind).toBe(OutputKind.AskConfirmation);
    expect(confirm.text).toContain('You pay the difference of $20.00 with gift_card_2222222.');
    expect(confirm.text).toContain('have you listed every item you want to exchange?');
    await s.send('yes');
    expect(order).toMatchObject({
      status: 'exchange requested',
      exchange_items: ['6202837415'],
      exchange_new_items: ['7481920356'],
      exchange_payment_method_id: 'gift_card_2222222',
      exchange_price_difference: 20,
    });
  });

  it('exchanges two of the same item; an item listed more often than ordered is refused', async () => {
    const { s, order } = await inOrder('#W0000005', 'ben.carter@example.com');
    // two identical t-shirts ($52 each) for a $50 and a $49 one: $5 back on the gift card
    const ok = await s.send('/exchange_delivered_order_items item_ids=6618203947, 6618203947 new_item_ids=4172905831, 8830412265 payment_method_id=gift card');
    expect(ok.kind).toBe(OutputKind.AskConfirmation);
    expect(ok.text).toContain('The difference of $5.00 is refunded to gift_card_4444444.');
    await s.send('no');
    const three = await s.send('/exchange_delivered_order_items item_ids=6618203947,6618203947,6618203947 new_item_ids=4172905831,4172905831,4172905831 payment_method_id=paypal_3333333');
    expect(three.text).toContain('Item 6618203947 is listed 3 times but order #W0000005 has it 2 times.');
    expect(order.status).toBe('delivered');
  });
});

describe('retail: navigation, global commands and persistence', () => {
  it('"go up" from an order returns to the customer; a User command runs from an order through the ancestor', async () => {
    const { s } = await inOrder('#W0000002');
    const profile = await s.send('show me my profile');
    expect(profile).toMatchObject({ command: 'get_user_details', context: 'DeliveredOrder', intent: { source: 'ancestor', context: 'User' } });
    expect(await s.send('go up')).toMatchObject({ context: 'User', contextDisplay: 'Ava Lee (ava_lee_1234)' });
    expect(await s.send('go up')).toMatchObject({ context: '*' });
  });

  it('lists product types and shows a product by name or id, with availability', async () => {
    const { s } = await open();
    const types = await s.send('what products do you sell');
    expect(types.text).toContain('We sell 5 product types:');
    expect(types.text).toContain('- T-Shirt: 7311045892');
    const shirt = await s.send('show me the options for the t-shirt');
    expect(shirt).toMatchObject({ command: 'get_product_details', parameters: { product_id: '7311045892' } });
    expect(shirt.text).toContain('- 2947716053: color red, size L, material cotton — $53.00 (not available)');
    expect((await s.send('/get_product_details product_id=9054172386')).text).toContain('Wireless Earbuds (product 9054172386)');
    expect((await s.send('/get_product_details product_id=toaster')).text).toContain('There is no product "toaster"');
    // Ids typed by the user are looked up as own entries, never as members of Object.prototype.
    for (const id of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const out = await s.send(`/get_product_details product_id=${id}`);
      expect(out.kind, id).not.toBe('error');
      expect(out.text, id).toContain(`There is no product "${id}"`);
    }
  });

  it('calculates, and transfers to a human agent', async () => {
    const { s, app } = await open();
    expect(await s.send('calculate 2 * (50 + 25) - 0.5')).toMatchObject({ command: 'calculate', data: { result: 149.5 } });
    expect(await s.send('/calculate how much is 52 * 2 - 89.99 for the shirts')).toMatchObject({ data: { result: 14.01 } });
    expect((await s.send('/calculate expression=1/0')).text).toContain('Division by zero.');
    const out = await s.send('/transfer_to_human_agent summary=wants a price match');
    expect(out.text).toBe('YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON.');
    expect(app.transfers).toEqual(['wants a price match']);
  });

  it('restores the customer and the open order after a reload', async () => {
    const store = new MemorySessionStore();
    const app = createRetailApp();
    const s = await WorkflowSession.open({ workflow: retail, store, app, sessionId: 'r1' });
    await s.send('my email is ava.lee@example.com');
    await s.send('open order #W0000001');
    // a new page: the same stored session, a fresh app over the same data
    const reloaded = await WorkflowSession.open({ workflow: retail, store, app: { ...createRetailApp(), store: app.store }, sessionId: 'r1' });
    expect(await reloaded.currentContext()).toMatchObject({ context: 'PendingOrder', display: 'order #W0000001 (pending)' });
    expect(reloaded.app.customerId).toBe('ava_lee_1234');
    expect(await reloaded.send('go up')).toMatchObject({ context: 'User' });
  });

  it('routes natural requests to the right command in each context', async () => {
    const cases: [string | null, string, string][] = [
      [null, 'ava.lee@example.com', 'find_user_by_email'],
      [null, 'I am Ava Lee and my zip is 10001', 'find_user_by_name_zip'],
      [null, 'let me talk to a human', 'transfer_to_human_agent'],
      [null, 'what kinds of products do you sell?', 'list_product_types'],
      [null, 'tell me about the water bottle', 'get_product_details'],
      ['User', 'list all my orders please', 'list_orders'],
      ['User', 'which cards do I have on file', 'get_user_details'],
      ['User', 'I have a problem with #W0000001', 'open_order'],
      ['User', 'I moved, please update my address', 'modify_user_address'],
      ['#W0000001', 'cancel it', 'cancel_pending_order'],
      ['#W0000001', 'I no longer need it, please cancel', 'cancel_pending_order'],
      ['#W0000001', 'change the payment to paypal', 'modify_pending_order_payment'],
      ['#W0000001', 'change the t-shirt to size L', 'modify_pending_order_items'],
      ['#W0000001', 'the address on this order is wrong', 'modify_pending_order_address'],
      ['#W0000001', 'what is in this order?', 'get_order_details'],
      ['#W0000002', 'I would like a refund', 'return_delivered_order_items'],
      ['#W0000002', 'I got the wrong size, can I swap it', 'exchange_delivered_order_items'],
      ['#W0000002', 'what is the tracking number', 'get_order_details'],
    ];
    for (const [where, utterance, command] of cases) {
      const { s } = where === null ? await open() : where === 'User' ? await signedIn() : await inOrder(where);
      const out = await s.send(utterance);
      expect({ utterance, command: out.command, source: out.intent?.source }).toEqual({ utterance, command, source: 'classifier' });
    }
  });
});

describe('retail: the store on its own', () => {
  it('re-checks the policy on every write, whoever calls it', () => {
    const store = new RetailStore(fixtureData());
    expect(() => store.cancelPendingOrder('#W0000002', 'no longer needed')).toThrow(RetailPolicyError);
    expect(() => store.cancelPendingOrder('#W0000002', 'no longer needed')).toThrow('Order #W0000002 is delivered; only pending orders can be cancelled.');
    expect(() => store.returnDeliveredOrderItems('#W0000002', ['6202837415'], 'paypal_3333333')).toThrow('does not belong to the customer of order #W0000002');
    expect(() => store.exchangeDeliveredOrderItems('#W0000002', ['6202837415'], ['3519064782'], 'credit_card_1111111')).toThrow('is not available');
    expect(() => store.modifyPendingOrderItems('#W0000001', ['4172905831'], [], 'credit_card_1111111')).toThrow('Give one new item for each item');
    expect(() => store.cancelPendingOrder('#W9999999', 'no longer needed')).toThrow('There is no order #W9999999.');
    expect(store.data.orders['#W0000002'].status).toBe('delivered');
  });

  it('a cancelled order refunds what each method paid, net of earlier refunds', () => {
    const store = new RetailStore(fixtureData());
    store.modifyPendingOrderPayment('#W0000008', 'credit_card_8888888'); // gift card refunded, credit card charged
    const order = store.cancelPendingOrder('#W0000008', 'ordered by mistake');
    expect(order.payment_history.slice(3)).toEqual([{ transaction_type: 'refund', amount: 178.99, payment_method_id: 'credit_card_8888888' }]);
    expect(store.paymentMethod('diego_santos_3456', 'gift_card_7777777')).toMatchObject({ balance: 428.99 });
  });

  it('finds users case-insensitively and products by name or item id', () => {
    const store = new RetailStore(fixtureData());
    expect(store.findUserIdByEmail(' Ben.Carter@Example.com ')).toBe('ben_carter_5678');
    expect(store.findUserIdByNameZip('chloe', 'NGUYEN', '78701')).toBe('chloe_nguyen_9012');
    expect(store.findProduct('water bottle')?.product_id).toBe('2208451937');
    expect(store.variant('7481920356')?.product.name).toBe('Wireless Earbuds');
    expect(store.productTypes().map((p) => p.name)).toEqual(['Desk Lamp', 'Running Shoes', 'T-Shirt', 'Water Bottle', 'Wireless Earbuds']);
  });

  it('calculates like tau-bench (rounded to cents), without eval', () => {
    expect(calculate('2 * (50 + 25) - 0.5')).toBe(149.5);
    expect(calculate('10 / 3')).toBe(3.33);
    expect(calculate('-(2 + 3) * 4')).toBe(-20);
    expect(() => calculate('2 + alert(1)')).toThrow('Only numbers');
    expect(() => calculate('(2 + 3')).toThrow('A closing parenthesis is missing.');
  });
});

describe.skipIf(!hasTauBenchData(TAU_BENCH_DB))('retail: the full tau-bench database (../shared/retail/tau-bench)', () => {
  it('loads it and finds a real customer by email, then opens one of their orders', async () => {
    const data = await loadTauBenchData(TAU_BENCH_DB);
    expect(Object.keys(data.users)).toHaveLength(500);
    expect(Object.keys(data.orders)).toHaveLength(1000);
    expect(Object.keys(data.products)).toHaveLength(50);
    const { s } = await open(createRetailApp(data));
    expect(await s.send('my email is noah.brown7922@example.com')).toMatchObject({ data: { user_id: 'noah_brown_6181' }, contextDisplay: 'Noah Brown (noah_brown_6181)' });
    const order = await s.send('open order #W7678072');
    expect(order.context).toBe(orderContextName(data.orders['#W7678072'].status));
    expect((await s.send('/list_product_types')).text).toContain('We sell 50 product types:');
  });
});

function orderContextName(status: string): string {
  return status === 'pending' ? 'PendingOrder' : status === 'delivered' ? 'DeliveredOrder' : 'Order';
}
