/** Commands of the global context `*`: authentication, the catalog, a calculator, a human agent. */
import { z } from 'zod';
import { commandFor, type CommandContext } from '../../../../src/index.ts';
import { Ctx, type RetailApp } from '../app.ts';
import { calculate } from '../calculator.ts';
import { email, expression, firstName, lastName, productId, zip } from '../fields.ts';
import { money, optionsText, userName } from '../format.ts';
import { lookupProduct } from '../lookups.ts';

const globalCommand = commandFor<RetailApp, unknown>();

/** Policy: one customer per conversation. */
function otherCustomerRefusal(ctx: CommandContext<RetailApp, unknown>, userId: string | undefined): string | undefined {
  const current = ctx.app.customerId;
  if (!userId || !current || current === userId) return undefined;
  const account = ctx.app.store.account(current);
  return `This conversation is already serving ${account ? userName(account) : current}; I can only help one customer per conversation.`;
}

function signIn(ctx: CommandContext<RetailApp, unknown>, userId: string) {
  const account = ctx.app.store.account(userId)!;
  ctx.app.customerId = userId;
  ctx.setContext(Ctx.User, account);
  const orders = ctx.app.store.ordersOf(userId);
  return {
    text: `Thanks, ${account.profile.name.first_name}: I found your account (user id ${userId}). You have ${orders.length} order(s)${orders.length ? `: ${orders.map((o) => `${o.order_id} (${o.status})`).join(', ')}` : ''}. Which order can I help with?`,
    data: { user_id: userId },
  };
}

export const findUserByEmail = globalCommand({
  name: 'find_user_by_email',
  description: 'Find the customer by their email (authentication, required first).',
  input: z.object({ email }),
  output: z.object({ user_id: z.string() }),
  utterances: [
    'my email is {email}',
    'find my account by email {email}',
    'you can find me under {email}',
    'my email address is {email}',
    'look me up by email {email}',
    'hi, my email is {email}',
    'the email on my account is {email}',
    'I signed up with {email}',
  ],
  lookups: {
    email: (value, ctx) =>
      ctx.app.store.findUserIdByEmail(value) ? { found: true } : { found: false, message: `I couldn't find a customer with the email ${value}. Please check it, or give your name and zip code.` },
  },
  validate: ({ email }, ctx) => otherCustomerRefusal(ctx, ctx.app.store.findUserIdByEmail(email)),
  run: (ctx, { email }) => signIn(ctx, ctx.app.store.findUserIdByEmail(email)!),
});

export const findUserByNameZip = globalCommand({
  name: 'find_user_by_name_zip',
  description: 'Find the customer by first name, last name and zip code (when the email is not known).',
  input: z.object({ first_name: firstName, last_name: lastName, zip }),
  output: z.object({ user_id: z.string() }),
  utterances: [
    'my name is {first_name} {last_name} and my zip code is {zip}',
    'my name is {first_name} {last_name}, zip {zip}',
    "I'm {first_name} {last_name}, zip {zip}",
    'I am {first_name} {last_name} from zip code {zip}',
    "I don't remember my email, I'm {first_name} {last_name}, {zip}",
    'I forgot my email, my name is {first_name} {last_name} and I live in {zip}',
    'find me by name {first_name} {last_name} and zip {zip}',
    '{first_name} {last_name}, zip code {zip}',
    '{first_name} {last_name}, {zip}',
    'look me up by name and zip code',
  ],
  validate: ({ first_name, last_name, zip }, ctx) => {
    const id = ctx.app.store.findUserIdByNameZip(first_name, last_name, zip);
    if (!id) return `I couldn't find a customer named ${first_name} ${last_name} with zip code ${zip}. Please check them, or give your email.`;
    return otherCustomerRefusal(ctx, id);
  },
  run: (ctx, { first_name, last_name, zip }) => signIn(ctx, ctx.app.store.findUserIdByNameZip(first_name, last_name, zip)!),
});

export const listProductTypes = globalCommand({
  name: 'list_product_types',
  description: 'List the name and product id of every product type in the store.',
  utterances: ['what products do you sell', 'list all product types', 'show me your product catalog', 'which kinds of products do you have', 'which products are there', 'what can I buy here'],
  run: (ctx) => {
    const types = ctx.app.store.productTypes();
    return { text: `We sell ${types.length} product types:\n${types.map((p) => `- ${p.name}: ${p.product_id}`).join('\n')}`, data: types };
  },
});

export const getProductDetails = globalCommand({
  name: 'get_product_details',
  description: 'Show the options (item ids, prices, availability) of a product.',
  input: z.object({ product_id: productId }),
  utterances: [
    'show me the options for {product_id}',
    'product details for {product_id}',
    'what variants of the {product_id} do you have',
    'what {product_id} options do you have',
    'tell me about product {product_id}',
    'do you have the {product_id} in another size or color',
    'what colors and sizes does the {product_id} come in',
    'details of product {product_id}',
    'is the {product_id} available, is it in stock',
  ],
  lookups: { product_id: lookupProduct },
  run: (ctx, { product_id }) => {
    const p = ctx.app.store.product(product_id)!;
    const lines = Object.values(p.variants).map((v) => `- ${v.item_id}: ${optionsText(v.options)} — ${money(v.price)}${v.available ? '' : ' (not available)'}`);
    return { text: `${p.name} (product ${p.product_id}):\n${lines.join('\n')}`, data: p };
  },
});

export const transferToHumanAgent = globalCommand({
  name: 'transfer_to_human_agent',
  description: 'Transfer the customer to a human agent (only when the request cannot be handled here).',
  input: z.object({ summary: z.string().min(1).max(500).optional().describe("A summary of the customer's issue") }),
  utterances: [
    'talk to a human',
    'transfer me to a human agent',
    'can I speak to a real person',
    'let me speak to a manager',
    'connect me with a representative about {summary}',
    'I need a person to help me with {summary}',
  ],
  run: (ctx, { summary }) => {
    ctx.app.transfers.push(summary ?? 'The customer asked for a human agent.');
    return 'YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON.';
  },
});

export const calculateCommand = globalCommand({
  name: 'calculate',
  description: 'Calculate an arithmetic expression (numbers, + - * / and parentheses).',
  input: z.object({ expression }),
  output: z.object({ result: z.number() }),
  utterances: ['calculate {expression}', 'compute {expression}', 'how much is {expression} in total', 'work out {expression}', 'add up {expression}', 'what does {expression} come to', 'do the math: {expression}'],
  run: (_ctx, { expression }) => {
    const result = calculate(expression);
    return { text: `${expression.trim()} = ${result}`, data: { result } };
  },
});

export const globalCommands = [findUserByEmail, findUserByNameZip, listProductTypes, getProductDetails, transferToHumanAgent, calculateCommand];
