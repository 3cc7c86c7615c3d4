/** The application state of one conversation, and the names of its contexts. */
import { fixtureData } from './fixture.ts';
import { RetailStore } from './store.ts';
import { OrderStatus, type OrderRecord, type RetailData } from './types.ts';

export interface RetailApp {
  store: RetailStore;
  /** The customer this conversation serves, once authenticated (policy: one customer per conversation). */
  customerId?: string;
  /** Summaries handed to a human agent. */
  transfers: string[];
}

/** A conversation's state over `data` (defaults to a fresh copy of the small fixture). */
export function createRetailApp(data: RetailData = fixtureData()): RetailApp {
  return { store: new RetailStore(data), transfers: [] };
}

export const Ctx = {
  User: 'User',
  Order: 'Order',
  PendingOrder: 'PendingOrder',
  DeliveredOrder: 'DeliveredOrder',
} as const;
export type OrderContext = typeof Ctx.Order | typeof Ctx.PendingOrder | typeof Ctx.DeliveredOrder;

/** The context an order is handled in: its status decides which actions are offered. */
export function orderContextFor(order: OrderRecord): OrderContext {
  if (order.status === OrderStatus.Pending) return Ctx.PendingOrder;
  if (order.status === OrderStatus.Delivered) return Ctx.DeliveredOrder;
  return Ctx.Order;
}
