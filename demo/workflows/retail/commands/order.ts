/** The `Order` base context (every order, whatever its status) and helpers of the order commands. */
import { commandFor, type CommandContext } from '../../../../src/index.ts';
import { orderContextFor, type RetailApp } from '../app.ts';
import { itemText, money, orderDetailsText, variantText } from '../format.ts';
import { priceDifference } from '../policy.ts';
import type { RetailStore } from '../store.ts';
import type { OrderRecord } from '../types.ts';

export const orderCommand = commandFor<RetailApp, OrderRecord>();
export type OrderCtx = CommandContext<RetailApp, OrderRecord>;

/** The order a command acts on: the one named (already checked to be the customer's) or the open one. */
export function targetOrder(ctx: OrderCtx, orderId: string | undefined): OrderRecord {
  return (orderId && ctx.app.store.order(orderId)) || ctx.object;
}

/** After a write the order's status may have changed: continue in the context that fits it. */
export function enterOrder(ctx: OrderCtx, order: OrderRecord): void {
  ctx.setContext(orderContextFor(order), order);
}

/** When a refund to this payment method arrives (policy: a gift card at once, others in 5–7 business days). */
export function refundTiming(paymentMethodId: string): string {
  return paymentMethodId.startsWith('gift_card_') ? 'immediately' : 'in 5 to 7 business days';
}

/** The lines "old item → new item" and the price difference, for a confirmation. */
export function itemChangeSummary(store: RetailStore, order: OrderRecord, oldIds: string[], newIds: string[], paymentMethodId: string): string {
  const lines = oldIds.map((id, i) => {
    const old = order.items.find((x) => x.item_id === id)!;
    const found = store.variant(newIds[i])!;
    return `- ${itemText(old)} → ${variantText(found.product, found.variant)}`;
  });
  const diff = priceDifference(store, order, oldIds, newIds);
  const difference =
    diff > 0 ? `You pay the difference of ${money(diff)} with ${paymentMethodId}.` : diff < 0 ? `The difference of ${money(-diff)} is refunded to ${paymentMethodId}.` : 'The price is the same.';
  return `${lines.join('\n')}\n${difference}`;
}

export const getOrderDetails = orderCommand({
  name: 'get_order_details',
  description: 'Show the status, items, address, tracking and payments of this order.',
  utterances: [
    'show the order details',
    'what is in this order',
    'what is the status',
    'has it shipped yet, where is my package',
    'show me the items and their ids',
    'what did I pay for this order',
    'what is the tracking number',
    'order details',
  ],
  run: (ctx) => ({ text: orderDetailsText(ctx.object), data: ctx.object }),
});

export const orderCommands = [getOrderDetails];
