/**
 * Per-field look-ups against the data (the engine's `lookups`): a value that does not name one of the
 * customer's things is refused with suggestions; a description ("my gift card") becomes the id.
 */
import type { CommandContext, LookupResult } from '../../../src/index.ts';
import type { RetailApp } from './app.ts';
import { optionsText, paymentMethodText, userName } from './format.ts';
import type { OrderRecord, PaymentMethod, UserAccount } from './types.ts';

type Ctx = CommandContext<RetailApp, unknown>;

export function isAccount(o: unknown): o is UserAccount {
  return typeof o === 'object' && o !== null && 'user_id' in o && 'profile' in o;
}

export function isOrder(o: unknown): o is OrderRecord {
  return typeof o === 'object' && o !== null && 'order_id' in o && 'items' in o;
}

/** The customer the command acts for: the current user, the owner of the current order, or the authenticated one. */
export function customerOf(ctx: Ctx): UserAccount | undefined {
  const o = ctx.object;
  if (isAccount(o)) return o;
  if (isOrder(o)) return ctx.app.store.account(o.user_id);
  return ctx.app.customerId ? ctx.app.store.account(ctx.app.customerId) : undefined;
}

const NO_CUSTOMER: LookupResult = { found: false, message: 'First tell me who you are: your email, or your name and zip code.' };

/** An order id must name one of the customer's orders. */
export function lookupOwnOrder(orderId: string | undefined, ctx: Ctx): LookupResult {
  const customer = customerOf(ctx);
  if (!customer) return NO_CUSTOMER;
  const order = orderId ? ctx.app.store.order(orderId) : undefined;
  if (order && order.user_id === customer.user_id) return { found: true };
  const own = ctx.app.store.ordersOf(customer.user_id);
  return {
    found: false,
    suggestions: own.map((o) => o.order_id).slice(0, 10),
    message: `Order ${orderId} is not one of ${userName(customer)}'s orders${own.length ? ` (${own.map((o) => `${o.order_id} ${o.status}`).join(', ')})` : ' (there are none)'}.`,
  };
}

/** Does a description ("gift card", "paypal", "visa ending 4242", "4242") name this payment method? */
function describes(text: string, pm: PaymentMethod): boolean {
  switch (pm.source) {
    case 'gift_card':
      return /\bgift\b/.test(text);
    case 'paypal':
      return /\bpay\s?pal\b/.test(text);
    case 'credit_card':
      return /\bcredit\b/.test(text) || text.includes(pm.brand.toLowerCase()) || text.includes(pm.last_four);
  }
}

/** A payment method must be the customer's own; "gift card" or "paypal" name it when there is just one. */
export function lookupPaymentMethod(value: string, ctx: Ctx): LookupResult {
  const customer = customerOf(ctx);
  if (!customer) return NO_CUSTOMER;
  const methods = Object.values(customer.profile.payment_methods);
  const text = value.trim().toLowerCase();
  const id = /\b(?:credit_card|gift_card|paypal)_\d+\b/.exec(text)?.[0];
  const matches = id ? methods.filter((m) => m.id === id) : methods.filter((m) => describes(text, m));
  if (matches.length === 1) return { found: true, value: matches[0].id };
  const listed = (ms: PaymentMethod[]) => ms.map(paymentMethodText).join('; ');
  if (matches.length > 1) {
    return { found: false, suggestions: matches.map((m) => m.id), message: `"${value}" could be several payment methods: ${listed(matches)}.` };
  }
  return {
    found: false,
    suggestions: methods.map((m) => m.id),
    message: `Payment method "${value}" is not one of ${userName(customer)}'s payment methods: ${listed(methods)}.`,
  };
}

/** New items must exist and be available; unavailable ones get the available options of their product. */
export function lookupNewItems(ids: string[], ctx: Ctx): LookupResult {
  const store = ctx.app.store;
  const messages: string[] = [];
  const suggestions = new Set<string>();
  for (const id of ids) {
    const found = store.variant(id);
    if (!found) {
      messages.push(`There is no item ${id}.`);
      continue;
    }
    if (found.variant.available) continue;
    // Suggest the available options, not ones the open order already has (exchanging to those is refused).
    const inOrder = new Set(isOrder(ctx.object) ? ctx.object.items.map((i) => i.item_id) : []);
    const available = Object.values(found.product.variants).filter((v) => v.available && !inOrder.has(v.item_id));
    available.forEach((v) => suggestions.add(v.item_id));
    messages.push(
      `${found.product.name} ${id} (${optionsText(found.variant.options)}) is not available.` +
        (available.length ? ` Available ${found.product.name} options: ${available.map((v) => `${v.item_id} (${optionsText(v.options)})`).join('; ')}.` : ''),
    );
  }
  return messages.length ? { found: false, message: messages.join(' '), ...(suggestions.size ? { suggestions: [...suggestions].slice(0, 8) } : {}) } : { found: true };
}

/** A product by id or name ("t-shirt", "the earbuds"), or the product of an item id. */
export function lookupProduct(value: string, ctx: Ctx): LookupResult {
  const store = ctx.app.store;
  const exact = store.findProduct(value) ?? store.variant(value.trim())?.product;
  if (exact) return { found: true, value: exact.product_id };
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const q = squash(value);
  const types = store.productTypes();
  const named = q.length >= 3 ? types.filter((p) => q.includes(squash(p.name)) || squash(p.name).includes(q)) : [];
  if (named.length === 1) return { found: true, value: named[0].product_id };
  const words = value.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 2);
  const near = named.length ? named : types.filter((p) => words.some((w) => p.name.toLowerCase().includes(w)));
  return { found: false, suggestions: near.map((p) => p.name).slice(0, 5), message: `There is no product "${value}". Say "list product types" to see them all.` };
}
