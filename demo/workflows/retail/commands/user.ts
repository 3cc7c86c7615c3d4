/** Commands of the `User` context (an authenticated customer): profile, orders, default address. */
import { z } from 'zod';
import { commandFor } from '../../../../src/index.ts';
import { orderContextFor, type RetailApp } from '../app.ts';
import { addressShape, orderId } from '../fields.ts';
import { addressText, orderDetailsText, userDetailsText } from '../format.ts';
import { lookupOwnOrder } from '../lookups.ts';
import type { UserAccount } from '../types.ts';

const userCommand = commandFor<RetailApp, UserAccount>();

export const getUserDetails = userCommand({
  name: 'get_user_details',
  description: "Show the customer's profile: email, default address, payment methods and orders.",
  utterances: [
    'show my profile',
    'what payment methods are on my account',
    'what is my default address',
    'show my account details',
    'which cards are on my account',
    'what do you have on file for me',
    'get my user details',
  ],
  run: (ctx) => ({ text: userDetailsText(ctx.object, ctx.app.store.ordersOf(ctx.object.user_id)), data: ctx.object.profile }),
});

export const listOrders = userCommand({
  name: 'list_orders',
  description: "List the customer's orders with their status.",
  utterances: ['list my orders', 'show my orders', 'what are my orders', 'which orders did I place', 'my order history', 'show all my purchases', 'what have I ordered'],
  run: (ctx) => {
    const orders = ctx.app.store.ordersOf(ctx.object.user_id);
    if (!orders.length) return 'You have no orders.';
    return {
      text: orders.map((o) => `- ${o.order_id} (${o.status}): ${o.items.map((i) => i.name).join(', ')}`).join('\n'),
      data: orders.map((o) => ({ order_id: o.order_id, status: o.status })),
    };
  },
});

export const openOrder = userCommand({
  name: 'open_order',
  description: "Open one of the customer's orders to see it and act on it.",
  input: z.object({ order_id: orderId }),
  utterances: [
    'open order {order_id}',
    'I have a question about order {order_id}',
    'what is the status of order {order_id}',
    'where is my order {order_id}',
    'I need help with my order {order_id}',
    'I want to cancel or change order {order_id}',
    'I want to return or exchange something from order {order_id}',
    'order {order_id}',
    'my order number is {order_id}',
    'can you check {order_id} for me',
  ],
  lookups: { order_id: lookupOwnOrder },
  run: (ctx, { order_id }) => {
    const order = ctx.app.store.order(order_id)!;
    ctx.setContext(orderContextFor(order), order);
    return { text: orderDetailsText(order), data: order };
  },
});

export const modifyUserAddress = userCommand({
  name: 'modify_user_address',
  description: "Change the customer's default address (not the address of existing orders).",
  input: z.object(addressShape),
  utterances: [
    'change my default address to {address1}, {city}, {state} {zip}',
    'update my address',
    'I moved to {address1}, {city}, {state} {zip}',
    'set my default address to {address1}, {address2}, {city}, {state} {zip}',
    'my new address is {address1}, {city}, {state} {zip}',
    'change the address on my profile',
    'update my home address to {address1} {city} {state} {zip}',
  ],
  confirm: (a, ctx) => `Change your default address from ${addressText(ctx.object.profile.address)} to ${addressText(a)}.`,
  run: (ctx, address) => {
    ctx.app.store.modifyUserAddress(ctx.object.user_id, address);
    return { text: `Your default address is now ${addressText(address)}.`, data: ctx.object.profile.address };
  },
});

export const userCommands = [getUserDetails, listOrders, openOrder, modifyUserAddress];
