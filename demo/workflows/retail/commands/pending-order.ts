/** The `PendingOrder` context: a pending order can be cancelled, or its address, items or payment modified. */
import { z } from 'zod';
import { addressShape, cancelReason, itemIds, newItemIds, otherOrderId, paymentMethodId } from '../fields.ts';
import { addressText, itemText, money, orderTotal, originalPaymentMethodId } from '../format.ts';
import { lookupNewItems, lookupOrderItems, lookupOwnOrder, lookupPaymentMethod } from '../lookups.ts';
import { checkCancel, checkItemChange, checkModifyPayment, checkStatus } from '../policy.ts';
import { enterOrder, itemChangeSummary, orderCommand, refundTiming, targetOrder } from './order.ts';

export const cancelPendingOrder = orderCommand({
  name: 'cancel_pending_order',
  description: "Cancel this pending order (reason: 'no longer needed' or 'ordered by mistake'); the payment is refunded.",
  input: z.object({ order_id: otherOrderId, reason: cancelReason }),
  utterances: [
    'cancel it',
    'cancel this order',
    'cancel the order because it is {reason}',
    'I want to cancel it, {reason}',
    'please cancel order {order_id}, {reason}',
    'cancel order {order_id} because it was {reason}',
    'I do not want this order anymore',
    'cancel it, I {reason}',
    'stop this order from shipping, {reason}',
  ],
  lookups: { order_id: lookupOwnOrder },
  validate: ({ order_id, reason }, ctx) => checkCancel(targetOrder(ctx, order_id), reason),
  confirm: ({ order_id, reason }, ctx) => {
    const order = targetOrder(ctx, order_id);
    const paid = originalPaymentMethodId(order) ?? 'the original payment method';
    return `Cancel order ${order.order_id} (${order.items.map((i) => i.name).join(', ')}; total ${money(orderTotal(order))}) because "${reason}". The payment is refunded to ${paid} ${refundTiming(paid)}.`;
  },
  run: (ctx, { order_id, reason }) => {
    const order = ctx.app.store.cancelPendingOrder(targetOrder(ctx, order_id).order_id, reason);
    enterOrder(ctx, order);
    return { text: `Order ${order.order_id} is cancelled. The refund goes to ${originalPaymentMethodId(order)} ${refundTiming(originalPaymentMethodId(order) ?? '')}.`, data: order };
  },
});

export const modifyPendingOrderAddress = orderCommand({
  name: 'modify_pending_order_address',
  description: 'Change the shipping address of this pending order.',
  input: z.object({ order_id: otherOrderId, ...addressShape }),
  utterances: [
    'ship this order to {address1}, {city}, {state} {zip}',
    'change the shipping address',
    'ship it to a different address instead',
    'change the delivery address to {address1}, {address2}, {city}, {state} {zip}',
    'deliver order {order_id} to {address1}, {city}, {state} {zip}',
    'the shipping address on this order is wrong',
    'I want it shipped to {address1} {city} {state} {zip} instead',
  ],
  lookups: { order_id: lookupOwnOrder },
  validate: ({ order_id }, ctx) => checkStatus(targetOrder(ctx, order_id), 'modify'),
  confirm: ({ order_id, ...address }, ctx) => {
    const order = targetOrder(ctx, order_id);
    return `Ship order ${order.order_id} to ${addressText(address)} instead of ${addressText(order.address)}.`;
  },
  run: (ctx, { order_id, ...address }) => {
    const order = ctx.app.store.modifyPendingOrderAddress(targetOrder(ctx, order_id).order_id, address);
    return { text: `Order ${order.order_id} will be shipped to ${addressText(order.address)}.`, data: order };
  },
});

export const modifyPendingOrderItems = orderCommand({
  name: 'modify_pending_order_items',
  description: 'Change items of this pending order to other options of the same product (only once per order).',
  input: z.object({ order_id: otherOrderId, item_ids: itemIds, new_item_ids: newItemIds, payment_method_id: paymentMethodId }),
  utterances: [
    'modify items {item_ids} to {new_item_ids} paying with {payment_method_id}',
    'swap {item_ids} for {new_item_ids} and charge {payment_method_id}',
    'change item {item_ids} to {new_item_ids} with {payment_method_id}',
    'change item {item_ids} to {new_item_ids}',
    'I ordered the wrong size, change {item_ids} to {new_item_ids}',
    'modify the items in this order',
    'replace item {item_ids} with {new_item_ids} before it ships',
    'switch {item_ids} to option {new_item_ids} using {payment_method_id}',
    'can I get it in a different color or size',
    // The same requests as exchange_delivered_order_items's (that command's seeds are negatives
    // here): identical texts stay this command's in this context.
    'it does not fit, I want a different size',
    'exchange an item for a different size',
    'I got the wrong color, can I exchange it',
    'can I swap the shirt for another size',
    'change the jacket for a different color',
  ],
  lookups: { order_id: lookupOwnOrder, item_ids: lookupOrderItems, new_item_ids: lookupNewItems, payment_method_id: lookupPaymentMethod },
  validate: ({ order_id, item_ids, new_item_ids, payment_method_id }, ctx) => checkItemChange(ctx.app.store, targetOrder(ctx, order_id), item_ids, new_item_ids, payment_method_id, 'modify'),
  confirm: ({ order_id, item_ids, new_item_ids, payment_method_id }, ctx) => {
    const order = targetOrder(ctx, order_id);
    return (
      `Modify order ${order.order_id}:\n${itemChangeSummary(ctx.app.store, order, item_ids, new_item_ids, payment_method_id)}\n` +
      'Items can be modified only once: afterwards this order can no longer be modified or cancelled. Have you listed every item you want to change?'
    );
  },
  run: (ctx, { order_id, item_ids, new_item_ids, payment_method_id }) => {
    const order = ctx.app.store.modifyPendingOrderItems(targetOrder(ctx, order_id).order_id, item_ids, new_item_ids, payment_method_id);
    enterOrder(ctx, order);
    return { text: `Order ${order.order_id} is modified; it is now ${order.status}. Items: ${order.items.map(itemText).join('; ')}.`, data: order };
  },
});

export const modifyPendingOrderPayment = orderCommand({
  name: 'modify_pending_order_payment',
  description: 'Pay this pending order with a different payment method of the customer.',
  input: z.object({ order_id: otherOrderId, payment_method_id: paymentMethodId }),
  utterances: [
    'pay with {payment_method_id} instead',
    'change the payment method to {payment_method_id}',
    'can I use {payment_method_id} for this order instead',
    'switch the payment of order {order_id} to {payment_method_id}',
    'charge my {payment_method_id} instead',
    'change how I pay for this order',
    'use a different payment method',
  ],
  lookups: { order_id: lookupOwnOrder, payment_method_id: lookupPaymentMethod },
  validate: ({ order_id, payment_method_id }, ctx) => checkModifyPayment(ctx.app.store, targetOrder(ctx, order_id), payment_method_id),
  confirm: ({ order_id, payment_method_id }, ctx) => {
    const order = targetOrder(ctx, order_id);
    const old = order.payment_history[0].payment_method_id;
    return `Pay order ${order.order_id} (${money(order.payment_history[0].amount)}) with ${payment_method_id} instead of ${old}; ${old} is refunded ${refundTiming(old)}.`;
  },
  run: (ctx, { order_id, payment_method_id }) => {
    const order = ctx.app.store.modifyPendingOrderPayment(targetOrder(ctx, order_id).order_id, payment_method_id);
    return { text: `Order ${order.order_id} is now paid with ${payment_method_id}.`, data: order };
  },
});

export const pendingOrderCommands = [cancelPendingOrder, modifyPendingOrderAddress, modifyPendingOrderItems, modifyPendingOrderPayment];
