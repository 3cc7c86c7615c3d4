/**
 * Per-field look-ups against the data (the engine's `lookups`): a value that does not name one of the
 * customer's things is refused with suggestions; a description ("my gift card") becomes the id.
 */
import type { CommandContext, LookupResult } from '../../../src/index.ts';
import type { RetailApp } from './app.ts';
import { optionsText, paymentMethodText, userName } from './format.ts';
import { ITEM_ID } from './fields.ts';
import type { OrderItem, OrderRecord, PaymentMethod, UserAccount } from './types.ts';

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

/** Words that name no item ("the", "my", "item"): left out when an item is named by what it is. */
const NOT_ITEM_WORDS = new Set(['the', 'a', 'an', 'my', 'one', 'ones', 'this', 'that', 'these', 'those', 'item', 'items', 'please', 'pair', 'of', 'both']);

/** The words of a description ("the black earbuds" → black, earbud), plurals made singular. */
function itemWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !NOT_ITEM_WORDS.has(w))
    .map((w) => w.replace(/(?<=[a-z]{3})s$/, ''));
}

/** Does every word of a description appear in the item's name or options ("earbuds", "white lamp")? */
function namesItem(words: readonly string[], item: OrderItem): boolean {
  const own = new Set(itemWords([item.name, ...Object.values(item.options)].join(' ')));
  return words.length > 0 && words.every((w) => own.has(w));
}

/**
 * Items of the open order by id or by what they are ("the earbuds", "desk lamp", "the white one"
 * when just one item is white). Ids pass through (the command's own checks say when one is not in
 * the order); a description that names several items or none is refused with the order's items.
 */
export function lookupOrderItems(values: string[], ctx: Ctx): LookupResult {
  const order = isOrder(ctx.object) ? ctx.object : undefined;
  const listed = (items: readonly OrderItem[]) => items.map((i) => `${i.item_id} ${i.name} (${optionsText(i.options)})`).join('; ');
  const ids: string[] = [];
  const messages: string[] = [];
  const suggestions = new Set<string>();
  for (const raw of values) {
    const value = raw.trim();
    if (ITEM_ID.test(value)) {
      ids.push(value);
      continue;
    }
    if (/^[\d\s-]+$/.test(value)) {
      messages.push(`"${value}": an item id has 10 digits, such as 4172905831.`);
      continue;
    }
    if (!order) {
      messages.push(`"${value}" is not an item id (10 digits, such as 4172905831). Open the order to name its items by what they are.`);
      continue;
    }
    const words = itemWords(value);
    const matches = order.items.filter((i) => namesItem(words, i));
    // An item listed twice in the order is one thing to name: the same id.
    const distinct = [...new Set(matches.map((i) => i.item_id))];
    if (distinct.length === 1) {
      ids.push(distinct[0]);
      continue;
    }
    const offered = distinct.length > 1 ? matches : order.items;
    offered.forEach((i) => suggestions.add(i.item_id));
    messages.push(
      distinct.length > 1
        ? `"${value}" could be several items of order ${order.order_id}: ${listed(matches)}.`
        : `"${value}" is not an item of order ${order.order_id}; its items: ${listed(order.items)}.`,
    );
  }
  if (messages.length) return { found: false, message: messages.join(' '), ...(suggestions.size ? { suggestions: [...suggestions].slice(0, 8) } : {}) };
  return { found: true, value: ids };
}
