/**
 * The retail database and its operations (tau-bench's retail tools). Reads are plain look-ups; every
 * write re-checks the policy (policy.ts) and throws a RetailPolicyError instead of writing when it fails,
 * so the data stays consistent however the store is called.
 */
import { round2 } from './format.ts';
import { own } from './own.ts';
import { checkCancel, checkItemChange, checkModifyPayment, checkReturn, checkStatus, priceDifference, type Problems } from './policy.ts';
import { OrderStatus, type Address, type CancelReason, type OrderRecord, type PaymentMethod, type ProductRecord, type RetailData, type UserAccount, type Variant } from './types.ts';

export class RetailPolicyError extends Error {
  constructor(readonly problems: Problems) {
    super(problems.join(' '));
    this.name = 'RetailPolicyError';
  }
}

function ensure(problems: Problems): void {
  if (problems.length) throw new RetailPolicyError(problems);
}

export class RetailStore {
  private readonly accounts = new Map<string, UserAccount>();
  private itemIndex?: Map<string, { product: ProductRecord; variant: Variant }>;

  constructor(readonly data: RetailData) {}

  // --- reads ----------------------------------------------------------------------------------

  findUserIdByEmail(email: string): string | undefined {
    const e = email.trim().toLowerCase();
    return Object.keys(this.data.users).find((id) => this.data.users[id].email.toLowerCase() === e);
  }

  findUserIdByNameZip(firstName: string, lastName: string, zip: string): string | undefined {
    const [f, l, z] = [firstName.trim().toLowerCase(), lastName.trim().toLowerCase(), zip.trim()];
    return Object.keys(this.data.users).find((id) => {
      const u = this.data.users[id];
      return u.name.first_name.toLowerCase() === f && u.name.last_name.toLowerCase() === l && u.address.zip === z;
    });
  }

  /** The user with its id (the same object each time, so a session context keeps its identity). */
  account(userId: string): UserAccount | undefined {
    const profile = own(this.data.users, userId);
    if (!profile) return undefined;
    let acc = this.accounts.get(userId);
    if (!acc || acc.profile !== profile) {
      acc = { user_id: userId, profile };
      this.accounts.set(userId, acc);
    }
    return acc;
  }

  order(orderId: string): OrderRecord | undefined {
    return own(this.data.orders, orderId);
  }

  ordersOf(userId: string): OrderRecord[] {
    return (own(this.data.users, userId)?.orders ?? []).map((id) => own(this.data.orders, id)).filter((o): o is OrderRecord => !!o);
  }

  paymentMethod(userId: string, paymentMethodId: string): PaymentMethod | undefined {
    const user = own(this.data.users, userId);
    return user && own(user.payment_methods, paymentMethodId);
  }

  product(productId: string): ProductRecord | undefined {
    return own(this.data.products, productId);
  }

  /** A product by id or by (case-insensitive) name. */
  findProduct(idOrName: string): ProductRecord | undefined {
    const q = idOrName.trim().toLowerCase();
    return own(this.data.products, q) ?? Object.values(this.data.products).find((p) => p.name.toLowerCase() === q);
  }

  /** Name and id of every product type, by name (tau-bench's list_all_product_types). */
  productTypes(): { name: string; product_id: string }[] {
    return Object.values(this.data.products)
      .map((p) => ({ name: p.name, product_id: p.product_id }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The product and variant of an item id. */
  variant(itemId: string): { product: ProductRecord; variant: Variant } | undefined {
    if (!this.itemIndex) {
      this.itemIndex = new Map();
      for (const product of Object.values(this.data.products)) {
        for (const variant of Object.values(product.variants)) this.itemIndex.set(variant.item_id, { product, variant });
      }
    }
    return this.itemIndex.get(itemId);
  }

  // --- writes ---------------------------------------------------------------------------------

  /** Cancel a pending order; every payment is refunded (a gift card at once). */
  cancelPendingOrder(orderId: string, reason: CancelReason): OrderRecord {
    const order = this.mustOrder(orderId);
    ensure(checkCancel(order, reason));
    // Refund what each payment method paid net of earlier refunds (tau-bench refunds each payment).
    const net = new Map<string, number>();
    for (const t of order.payment_history) {
      net.set(t.payment_method_id, (net.get(t.payment_method_id) ?? 0) + (t.transaction_type === 'payment' ? t.amount : -t.amount));
    }
    for (const [pmId, amount] of net) {
      if (round2(amount) <= 0) continue;
      order.payment_history.push({ transaction_type: 'refund', amount: round2(amount), payment_method_id: pmId });
      this.creditGiftCard(order.user_id, pmId, amount);
    }
    order.status = OrderStatus.Cancelled;
    order.cancel_reason = reason;
    return order;
  }

  modifyPendingOrderAddress(orderId: string, address: Address): OrderRecord {
    const order = this.mustOrder(orderId);
    ensure(checkStatus(order, 'modify'));
    order.address = { ...address };
    return order;
  }

  /** Change items of a pending order to other options of the same products (once: the status becomes "pending (item modified)"). */
  modifyPendingOrderItems(orderId: string, itemIds: string[], newItemIds: string[], paymentMethodId: string): OrderRecord {
    const order = this.mustOrder(orderId);
    ensure(checkItemChange(this, order, itemIds, newItemIds, paymentMethodId, 'modify'));
    const diff = priceDifference(this, order, itemIds, newItemIds);
    order.payment_history.push({ transaction_type: diff > 0 ? 'payment' : 'refund', amount: Math.abs(diff), payment_method_id: paymentMethodId });
    this.creditGiftCard(order.user_id, paymentMethodId, -diff);
    const changed = new Set<number>();
    itemIds.forEach((id, i) => {
      const index = order.items.findIndex((item, k) => item.item_id === id && !changed.has(k));
      changed.add(index);
      const { variant } = this.variant(newItemIds[i])!;
      order.items[index] = { ...order.items[index], item_id: variant.item_id, price: variant.price, options: { ...variant.options } };
    });
    order.status = OrderStatus.PendingItemModified;
    return order;
  }

  /** Pay a pending order with another method: the new one is charged, the old one refunded. */
  modifyPendingOrderPayment(orderId: string, paymentMethodId: string): OrderRecord {
    const order = this.mustOrder(orderId);
    ensure(checkModifyPayment(this, order, paymentMethodId));
    const { amount, payment_method_id: old } = order.payment_history[0];
    order.payment_history.push({ transaction_type: 'payment', amount, payment_method_id: paymentMethodId }, { transaction_type: 'refund', amount, payment_method_id: old });
    this.creditGiftCard(order.user_id, paymentMethodId, -amount);
    this.creditGiftCard(order.user_id, old, amount);
    return order;
  }

  modifyUserAddress(userId: string, address: Address): UserAccount {
    const account = this.account(userId);
    if (!account) throw new RetailPolicyError([`There is no user ${userId}.`]);
    account.profile.address = { ...address };
    return account;
  }

  /** Request the return of delivered items; the status becomes "return requested". */
  returnDeliveredOrderItems(orderId: string, itemIds: string[], paymentMethodId: string): OrderRecord {
    const order = this.mustOrder(orderId);
    ensure(checkReturn(this, order, itemIds, paymentMethodId));
    order.status = OrderStatus.ReturnRequested;
    order.return_items = [...itemIds].sort();
    order.return_payment_method_id = paymentMethodId;
    return order;
  }

  /** Request the exchange of delivered items; the status becomes "exchange requested". */
  exchangeDeliveredOrderItems(orderId: string, itemIds: string[], newItemIds: string[], paymentMethodId: string): OrderRecord {
    const order = this.mustOrder(orderId);
    ensure(checkItemChange(this, order, itemIds, newItemIds, paymentMethodId, 'exchange'));
    order.status = OrderStatus.ExchangeRequested;
    order.exchange_items = [...itemIds].sort();
    order.exchange_new_items = [...newItemIds].sort();
    order.exchange_payment_method_id = paymentMethodId;
    order.exchange_price_difference = priceDifference(this, order, itemIds, newItemIds);
    return order;
  }

  private mustOrder(orderId: string): OrderRecord {
    const order = this.order(orderId);
    if (!order) throw new RetailPolicyError([`There is no order ${orderId}.`]);
    return order;
  }

  private creditGiftCard(userId: string, paymentMethodId: string, amount: number): void {
    const pm = this.paymentMethod(userId, paymentMethodId);
    if (pm?.source === 'gift_card') pm.balance = round2(pm.balance + amount);
  }
}
