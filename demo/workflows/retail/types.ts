/**
 * The retail data model, in tau-bench's shapes (db/users.json, db/orders.json, db/products.json), so
 * the full tau-bench database can be loaded as-is. Records are keyed by their id.
 */

export interface Address {
  address1: string;
  address2: string;
  city: string;
  country: string;
  state: string;
  zip: string;
}

export interface CreditCard {
  source: 'credit_card';
  id: string;
  brand: string;
  last_four: string;
}
export interface GiftCard {
  source: 'gift_card';
  id: string;
  balance: number;
}
export interface PayPal {
  source: 'paypal';
  id: string;
}
export type PaymentMethod = CreditCard | GiftCard | PayPal;

/** A customer profile (tau-bench keeps the user id only as the record's key). */
export interface UserRecord {
  name: { first_name: string; last_name: string };
  address: Address;
  email: string;
  payment_methods: Record<string, PaymentMethod>;
  /** Order ids, e.g. "#W0000001". */
  orders: string[];
}

export interface OrderItem {
  name: string;
  product_id: string;
  item_id: string;
  price: number;
  options: Record<string, string>;
}

export interface Fulfillment {
  tracking_id: string[];
  item_ids: string[];
}

export interface PaymentTransaction {
  transaction_type: 'payment' | 'refund';
  amount: number;
  payment_method_id: string;
}

/** Order statuses: the four of the database plus the ones the write actions set. */
export const OrderStatus = {
  Pending: 'pending',
  Processed: 'processed',
  Delivered: 'delivered',
  Cancelled: 'cancelled',
  PendingItemModified: 'pending (item modified)',
  ReturnRequested: 'return requested',
  ExchangeRequested: 'exchange requested',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

export const CANCEL_REASONS = ['no longer needed', 'ordered by mistake'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

export interface OrderRecord {
  order_id: string;
  user_id: string;
  address: Address;
  items: OrderItem[];
  fulfillments: Fulfillment[];
  /** One of OrderStatus (kept as string: the data may hold others). */
  status: string;
  payment_history: PaymentTransaction[];
  // Set by the write actions, as tau-bench does:
  cancel_reason?: CancelReason;
  return_items?: string[];
  return_payment_method_id?: string;
  exchange_items?: string[];
  exchange_new_items?: string[];
  exchange_payment_method_id?: string;
  exchange_price_difference?: number;
}

export interface Variant {
  item_id: string;
  options: Record<string, string>;
  available: boolean;
  price: number;
}

export interface ProductRecord {
  name: string;
  product_id: string;
  /** Variants by item id. */
  variants: Record<string, Variant>;
}

/** The whole database: tau-bench's three files, keyed as there. */
export interface RetailData {
  users: Record<string, UserRecord>;
  orders: Record<string, OrderRecord>;
  products: Record<string, ProductRecord>;
}

/** A user with its id: the object of the `User` context. */
export interface UserAccount {
  user_id: string;
  profile: UserRecord;
}
