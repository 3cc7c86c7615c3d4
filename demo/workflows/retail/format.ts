/** How retail records are shown to the customer (plain text). */
import type { Address, OrderItem, OrderRecord, PaymentMethod, ProductRecord, UserAccount, Variant } from './types.ts';

export function money(amount: number): string {
  return `$${amount.toFixed(2)}`;
}

export function round2(amount: number): number {
  return Math.round(amount * 100) / 100;
}

export function optionsText(options: Record<string, string>): string {
  return Object.entries(options)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

export function addressText(a: Address): string {
  return [a.address1, a.address2, a.city, `${a.state} ${a.zip}`, a.country].filter((p) => p && p.trim()).join(', ');
}

export function paymentMethodText(pm: PaymentMethod): string {
  switch (pm.source) {
    case 'credit_card':
      return `${pm.id} (${pm.brand} credit card ending ${pm.last_four})`;
    case 'gift_card':
      return `${pm.id} (gift card, balance ${money(pm.balance)})`;
    case 'paypal':
      return `${pm.id} (PayPal)`;
  }
}

export function itemText(item: OrderItem): string {
  return `${item.item_id} ${item.name} (${optionsText(item.options)}) ${money(item.price)}`;
}

export function variantText(product: ProductRecord, variant: Variant): string {
  return `${variant.item_id} ${product.name} (${optionsText(variant.options)}) ${money(variant.price)}${variant.available ? '' : ' — not available'}`;
}

export function orderTotal(order: OrderRecord): number {
  return round2(order.items.reduce((sum, i) => sum + i.price, 0));
}

/** The payment method an order was originally paid with. */
export function originalPaymentMethodId(order: OrderRecord): string | undefined {
  return order.payment_history.find((t) => t.transaction_type === 'payment')?.payment_method_id;
}

export function userName(account: UserAccount): string {
  return `${account.profile.name.first_name} ${account.profile.name.last_name}`;
}

export function orderDetailsText(order: OrderRecord): string {
  const lines = [`Order ${order.order_id} — ${order.status}`, `Items:`, ...order.items.map((i) => `- ${itemText(i)}`), `Total: ${money(orderTotal(order))}`];
  lines.push(`Ship to: ${addressText(order.address)}`);
  for (const f of order.fulfillments) lines.push(`Tracking ${f.tracking_id.join(', ')}: items ${f.item_ids.join(', ')}`);
  lines.push(`Payments: ${order.payment_history.map((t) => `${t.transaction_type} ${money(t.amount)} via ${t.payment_method_id}`).join('; ')}`);
  if (order.cancel_reason) lines.push(`Cancelled because: ${order.cancel_reason}`);
  if (order.return_items) lines.push(`Return requested for ${order.return_items.join(', ')}; refund to ${order.return_payment_method_id}`);
  if (order.exchange_items) {
    lines.push(`Exchange requested: ${order.exchange_items.join(', ')} → ${order.exchange_new_items?.join(', ')}; difference ${money(order.exchange_price_difference ?? 0)} via ${order.exchange_payment_method_id}`);
  }
  return lines.join('\n');
}

export function userDetailsText(account: UserAccount, orders: OrderRecord[]): string {
  const p = account.profile;
  return [
    `${userName(account)} (user id ${account.user_id})`,
    `Email: ${p.email}`,
    `Default address: ${addressText(p.address)}`,
    `Payment methods:`,
    ...Object.values(p.payment_methods).map((pm) => `- ${paymentMethodText(pm)}`),
    `Orders: ${orders.length ? orders.map((o) => `${o.order_id} (${o.status})`).join(', ') : 'none'}`,
  ].join('\n');
}
