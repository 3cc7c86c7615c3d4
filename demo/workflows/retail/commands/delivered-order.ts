/** The `DeliveredOrder` context: items of a delivered order can be returned or exchanged. */
import { z } from 'zod';
import { itemIds, newItemIds, otherOrderId, paymentMethodId } from '../fields.ts';
import { itemText, money } from '../format.ts';
import { lookupNewItems, lookupOrderItems, lookupOwnOrder, lookupPaymentMethod } from '../lookups.ts';
import { checkItemChange, checkReturn } from '../policy.ts';
import { enterOrder, itemChangeSummary, orderCommand, targetOrder } from './order.ts';

export const returnDeliveredOrderItems = orderCommand({
  name: 'return_delivered_order_items',
  description: 'Return items of this delivered order; the refund goes to the original payment method or a gift card.',
  input: z.object({ order_id: otherOrderId, item_ids: itemIds, payment_method_id: paymentMethodId }),
  utterances: [
    'I want to return {item_ids} and get my money back on {payment_method_id}',
    'return {item_ids} from order {order_id} to {payment_method_id}',
    'return item {item_ids} to {payment_method_id}',
    'send back {item_ids}, refund to {payment_method_id}',
    'I want to return the {item_ids}',
    'I would like a refund for {item_ids}',
    'return item {item_ids}',
    'I do not like it, I want to send it back',
    'refund item {item_ids} to my {payment_method_id}',
    // Requests as customers write them: things named by what they are, or not named at all.
    'how do I return something from this order',
    'I need to send back a few things I bought',
    'can I get my money back for the jacket',
    'return the boots please',
    'I would like to return this order',
    'send the sweater back',
    'return my purchase',
  ],
  lookups: { order_id: lookupOwnOrder, item_ids: lookupOrderItems, payment_method_id: lookupPaymentMethod },
  validate: ({ order_id, item_ids, payment_method_id }, ctx) => checkReturn(ctx.app.store, targetOrder(ctx, order_id), item_ids, payment_method_id),
  confirm: ({ order_id, item_ids, payment_method_id }, ctx) => {
    const order = targetOrder(ctx, order_id);
    const items = item_ids.map((id) => order.items.find((i) => i.item_id === id)!);
    const refund = items.reduce((s, i) => s + i.price, 0);
    return `Return from order ${order.order_id}:\n${items.map((i) => `- ${itemText(i)}`).join('\n')}\nRefund ${money(refund)} to ${payment_method_id}. You will get an email on how to return them.`;
  },
  run: (ctx, { order_id, item_ids, payment_method_id }) => {
    const order = ctx.app.store.returnDeliveredOrderItems(targetOrder(ctx, order_id).order_id, item_ids, payment_method_id);
    enterOrder(ctx, order);
    return { text: `The return is requested for order ${order.order_id} (${item_ids.join(', ')}); you will get an email on how to return the items.`, data: order };
  },
});

export const exchangeDeliveredOrderItems = orderCommand({
  name: 'exchange_delivered_order_items',
  description: 'Exchange items of this delivered order for other options of the same product (only once per order).',
  input: z.object({ order_id: otherOrderId, item_ids: itemIds, new_item_ids: newItemIds, payment_method_id: paymentMethodId }),
  utterances: [
    'I want to exchange item {item_ids} for {new_item_ids} and pay with {payment_method_id}',
    'exchange {item_ids} for {new_item_ids} with {payment_method_id}',
    'exchange {item_ids} for {new_item_ids}',
    'it does not fit, I want a different size',
    'exchange an item for a different size',
    'I want a bigger size of {item_ids}: {new_item_ids}',
    'trade {item_ids} for option {new_item_ids} using {payment_method_id}',
    'I got the wrong color, can I exchange it',
    'can I swap the shirt for another size',
    'I want to exchange something from this order',
    'change the jacket for a different color',
    'can I get it in a different color or size',
  ],
  lookups: { order_id: lookupOwnOrder, item_ids: lookupOrderItems, new_item_ids: lookupNewItems, payment_method_id: lookupPaymentMethod },
  validate: ({ order_id, item_ids, new_item_ids, payment_method_id }, ctx) => checkItemChange(ctx.app.store, targetOrder(ctx, order_id), item_ids, new_item_ids, payment_method_id, 'exchange'),
  confirm: ({ order_id, item_ids, new_item_ids, payment_method_id }, ctx) => {
    const order = targetOrder(ctx, order_id);
    return (
      `Exchange in order ${order.order_id}:\n${itemChangeSummary(ctx.app.store, order, item_ids, new_item_ids, payment_method_id)}\n` +
      'An order can be exchanged only once: have you listed every item you want to exchange? You will get an email on how to return the old items; no new order is needed.'
    );
  },
  run: (ctx, { order_id, item_ids, new_item_ids, payment_method_id }) => {
    const order = ctx.app.store.exchangeDeliveredOrderItems(targetOrder(ctx, order_id).order_id, item_ids, new_item_ids, payment_method_id);
    enterOrder(ctx, order);
    return { text: `The exchange is requested for order ${order.order_id}; price difference ${money(order.exchange_price_difference ?? 0)} via ${payment_method_id}. You will get an email on how to return the items.`, data: order };
  },
});

export const deliveredOrderCommands = [returnDeliveredOrderItems, exchangeDeliveredOrderItems];
