/**
 * The retail policy (tau-bench wiki.md / tau2-bench policy.md) as checks. Each returns the problems in
 * words for the customer, or [] when the action is allowed. The store runs them again before it writes.
 */
import { money, optionsText, originalPaymentMethodId, round2, variantText } from './format.ts';
import { own } from './own.ts';
import type { RetailStore } from './store.ts';
import { OrderStatus, type CancelReason, CANCEL_REASONS, type OrderRecord } from './types.ts';

export type Problems = string[];

const ACTION_STATUS = {
  cancel: { status: OrderStatus.Pending, verb: 'cancelled' },
  modify: { status: OrderStatus.Pending, verb: 'modified' },
  return: { status: OrderStatus.Delivered, verb: 'returned' },
  exchange: { status: OrderStatus.Delivered, verb: 'exchanged' },
} as const;
export type OrderAction = keyof typeof ACTION_STATUS;

/** "Order #W… is delivered; only pending orders can be cancelled." */
export function checkStatus(order: OrderRecord, action: OrderAction): Problems {
  const { status, verb } = ACTION_STATUS[action];
  if (order.status === status) return [];
  const why = order.status === OrderStatus.PendingItemModified ? ' (its items were already modified, which can only be done once)' : '';
  return [`Order ${order.order_id} is ${order.status}${why}; only ${status} orders can be ${verb}.`];
}

export function checkPaymentMethodOwned(store: RetailStore, order: OrderRecord, paymentMethodId: string): Problems {
  return store.paymentMethod(order.user_id, paymentMethodId) ? [] : [`Payment method ${paymentMethodId} does not belong to the customer of order ${order.order_id}.`];
}

export function checkCancel(order: OrderRecord, reason: string): Problems {
  const problems = checkStatus(order, 'cancel');
  if (!(CANCEL_REASONS as readonly string[]).includes(reason)) problems.push(`The reason must be one of: ${CANCEL_REASONS.map((r) => `'${r}'`).join(', ')}.`);
  return problems;
}

/** Every listed item must be in the order, as many times as listed. */
export function checkItemsInOrder(order: OrderRecord, itemIds: readonly string[]): Problems {
  const problems: Problems = [];
  for (const id of new Set(itemIds)) {
    const listed = itemIds.filter((x) => x === id).length;
    const inOrder = order.items.filter((i) => i.item_id === id).length;
    if (inOrder === 0) problems.push(`Item ${id} is not in order ${order.order_id} (its items: ${order.items.map((i) => `${i.item_id} ${i.name}`).join(', ')}).`);
    else if (listed > inOrder) problems.push(`Item ${id} is listed ${listed} times but order ${order.order_id} has it ${inOrder === 1 ? 'once' : `${inOrder} times`}.`);
  }
  return problems;
}

/**
 * Modify (pending) or exchange (delivered) items: each item to an available option of the same product;
 * one payment method of the customer pays or receives the difference, a gift card must cover it. As in
 * tau-bench's tools (and its gold actions) a new item may be the same option as the old one: an
 * unchanged item listed with the others, or a damaged item replaced by an identical one.
 */
export function checkItemChange(store: RetailStore, order: OrderRecord, itemIds: readonly string[], newItemIds: readonly string[], paymentMethodId: string, action: 'modify' | 'exchange'): Problems {
  const status = checkStatus(order, action);
  if (status.length) return status;
  const problems = checkItemsInOrder(order, itemIds);
  if (itemIds.length !== newItemIds.length) {
    problems.push(`Give one new item for each item: ${itemIds.length} item(s) but ${newItemIds.length} new item(s), matched by position.`);
  }
  if (problems.length) return problems;
  itemIds.forEach((id, i) => {
    const old = order.items.find((x) => x.item_id === id)!;
    const product = store.product(old.product_id);
    const newId = newItemIds[i];
    const variant = product && own(product.variants, newId);
    if (!product) problems.push(`Product ${old.product_id} of item ${id} is no longer in the catalog.`);
    else if (!variant) {
      const other = store.variant(newId);
      problems.push(
        other
          ? `Item ${newId} is a ${other.product.name}, not a ${product.name}: an item can only be changed to another option of the same product.`
          : `There is no item ${newId}.`,
      );
    } else if (!variant.available) {
      const available = Object.values(product.variants).filter((x) => x.available && x.item_id !== id);
      problems.push(
        `${product.name} ${newId} (${optionsText(variant.options)}) is not available. ${available.length ? `Available ${product.name} options: ${available.map((x) => variantText(product, x)).join('; ')}.` : `No other ${product.name} option is available.`}`,
      );
    }
  });
  if (problems.length) return problems;
  problems.push(...checkPaymentMethodOwned(store, order, paymentMethodId));
  if (problems.length) return problems;
  const diff = priceDifference(store, order, itemIds, newItemIds);
  const pm = store.paymentMethod(order.user_id, paymentMethodId)!;
  if (pm.source === 'gift_card' && pm.balance < diff) {
    problems.push(`Gift card ${pm.id} has ${money(pm.balance)}, not enough for the price difference of ${money(diff)}.`);
  }
  return problems;
}

/** New prices minus old prices (positive: the customer pays). */
export function priceDifference(store: RetailStore, order: OrderRecord, itemIds: readonly string[], newItemIds: readonly string[]): number {
  let diff = 0;
  itemIds.forEach((id, i) => {
    const old = order.items.find((x) => x.item_id === id)!;
    diff += own(store.product(old.product_id)!.variants, newItemIds[i])!.price - old.price;
  });
  return round2(diff);
}

/** Change the payment method of a pending order: a single payment, a different method, a gift card must cover the total. */
export function checkModifyPayment(store: RetailStore, order: OrderRecord, paymentMethodId: string): Problems {
  const problems = [...checkStatus(order, 'modify'), ...checkPaymentMethodOwned(store, order, paymentMethodId)];
  if (problems.length) return problems;
  const history = order.payment_history;
  if (history.length !== 1 || history[0].transaction_type !== 'payment') return [`Order ${order.order_id} does not have exactly one payment, so its payment method cannot be changed.`];
  if (history[0].payment_method_id === paymentMethodId) return [`Order ${order.order_id} is already paid with ${paymentMethodId}; choose a different payment method.`];
  const pm = store.paymentMethod(order.user_id, paymentMethodId)!;
  if (pm.source === 'gift_card' && pm.balance < history[0].amount) {
    return [`Gift card ${pm.id} has ${money(pm.balance)}, not enough for the order total of ${money(history[0].amount)}.`];
  }
  return [];
}

/** Return delivered items: the refund goes to the original payment method or one of the customer's gift cards. */
export function checkReturn(store: RetailStore, order: OrderRecord, itemIds: readonly string[], paymentMethodId: string): Problems {
  const status = checkStatus(order, 'return');
  if (status.length) return status;
  const problems = checkPaymentMethodOwned(store, order, paymentMethodId);
  const original = originalPaymentMethodId(order);
  const pm = store.paymentMethod(order.user_id, paymentMethodId);
  if (pm && pm.source !== 'gift_card' && paymentMethodId !== original) {
    problems.push(`A refund must go to the original payment method (${original}) or a gift card; ${paymentMethodId} is neither.`);
  }
  problems.push(...checkItemsInOrder(order, itemIds));
  return problems;
}

export function isCancelReason(reason: string): reason is CancelReason {
  return (CANCEL_REASONS as readonly string[]).includes(reason);
}
