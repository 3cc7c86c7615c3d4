/**
 * The context model: `*` (global) → `User` → `Order` / `PendingOrder` / `DeliveredOrder`. Only the
 * current context's commands (plus the global ones) are visible, so the toolset stays small; the two
 * status contexts inherit `Order`'s commands through `base`.
 */
import { defineContext, type ContextDefinition } from '../../../src/index.ts';
import { Ctx, type RetailApp } from './app.ts';
import { deliveredOrderCommands } from './commands/delivered-order.ts';
import { globalCommands } from './commands/global.ts';
import { orderCommands } from './commands/order.ts';
import { pendingOrderCommands } from './commands/pending-order.ts';
import { userCommands } from './commands/user.ts';
import { userName } from './format.ts';
import type { OrderRecord, UserAccount } from './types.ts';

/**
 * Re-create an order after a reload. The conversation's customer is re-established from it (the app is
 * new after a reload); an order of another customer is not restored.
 */
function resolveOrder(key: string, app: RetailApp): OrderRecord | undefined {
  const order = app.store.order(key);
  if (!order || (app.customerId && app.customerId !== order.user_id)) return undefined;
  app.customerId ??= order.user_id;
  return order;
}

/** What every order context shares: its parent is the customer, it is keyed by its order id. */
function orderContext(name: string, description: string, base: string[], commands: ContextDefinition<RetailApp, OrderRecord>['commands']) {
  return defineContext<RetailApp, OrderRecord>({
    name,
    description,
    base,
    commands,
    parent: (order, app) => ({ context: Ctx.User, object: app.store.account(order.user_id) }),
    displayName: (order) => `order ${order.order_id} (${order.status})`,
    key: (order) => order.order_id,
    resolve: resolveOrder,
  });
}

export const retailContexts: ContextDefinition<RetailApp, any>[] = [
  { name: '*', description: 'Before the customer is identified; these commands are available everywhere.', commands: globalCommands },
  defineContext<RetailApp, UserAccount>({
    name: Ctx.User,
    description: 'An authenticated customer: profile, orders, default address.',
    commands: userCommands,
    parent: () => null,
    displayName: (account) => `${userName(account)} (${account.user_id})`,
    key: (account) => account.user_id,
    resolve: (key, app) => {
      if (app.customerId && app.customerId !== key) return undefined;
      const account = app.store.account(key);
      if (account) app.customerId ??= key;
      return account;
    },
  }),
  orderContext(Ctx.Order, 'An order of the customer (any status): its details.', [], orderCommands),
  orderContext(Ctx.PendingOrder, 'A pending order: cancel it, or modify its address, items or payment.', [Ctx.Order], pendingOrderCommands),
  orderContext(Ctx.DeliveredOrder, 'A delivered order: return or exchange items.', [Ctx.Order], deliveredOrderCommands),
];
