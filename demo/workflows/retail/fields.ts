/** The zod schemas of the command parameters (one place, so every command validates them the same way). */
import { z } from 'zod';
import { EXPRESSION_PATTERN } from './calculator.ts';
import { CANCEL_REASONS } from './types.ts';

export const ORDER_ID = /^#W\d{7}$/;
export const ITEM_ID = /^\d{10}$/;

export const orderId = z
  .string()
  .regex(ORDER_ID)
  .describe("The order id: '#W' and 7 digits, such as '#W0000001'")
  .meta({ examples: ['#W0000001', '#W0000002'] });

/** In an order's context the order is the open one unless another of the customer's orders is named. */
export const otherOrderId = orderId.optional().describe("The order id, such as '#W0000001'; defaults to the open order");

export const email = z.email().describe("The customer's email, such as 'ava.lee@example.com'").meta({ examples: ['ava.lee@example.com'] });

export const zip = z
  .string()
  .regex(/^\d{5}$/)
  .describe("A 5-digit zip code, such as '10001'")
  .meta({ examples: ['10001'] });

export const firstName = z.string().min(1).max(50).describe("The customer's first name, such as 'Ava'").meta({ examples: ['Ava'] });
export const lastName = z.string().min(1).max(50).describe("The customer's last name, such as 'Lee'").meta({ examples: ['Lee'] });

/** Items of the open order: ids, or what they are ("the earbuds"), which lookupOrderItems turns into ids. */
export const itemIds = z
  .array(z.string().trim().min(1))
  .min(1)
  .describe('Items of the order: their ids (10 digits each) or what they are ("the earbuds"), comma-separated; list an item twice to change two of it')
  .meta({ examples: [['4172905831'], ['4172905831', '3385019274']] });

export const newItemIds = z
  .array(z.string().regex(ITEM_ID, 'an item id has 10 digits, such as 6618203947'))
  .min(1)
  .describe('The new item ids, one per item in the same order: another option of the same product')
  .meta({ examples: [['6618203947'], ['6618203947', '9150283746']] });

export const paymentMethodId = z
  .string()
  .min(1)
  .max(60)
  .describe("One of the customer's payment method ids (credit_card_…, gift_card_… or paypal_…), or 'gift card', 'paypal', 'visa 4242' when that names just one")
  .meta({ examples: ['gift_card_2222222', 'credit_card_1111111', 'paypal_3333333'] });

export const cancelReason = z.enum(CANCEL_REASONS).describe("Why the order is cancelled: 'no longer needed' or 'ordered by mistake'");

export const productId = z
  .string()
  .min(1)
  .max(60)
  .describe("The product id (10 digits), such as '7311045892', or the product's name, such as 'T-Shirt'")
  .meta({ examples: ['7311045892', 'T-Shirt'] });

export const expression = z
  .string()
  .regex(EXPRESSION_PATTERN)
  .describe("An arithmetic expression with numbers, + - * / and parentheses, such as '129.99 - 45'")
  .meta({ examples: ['129.99 - 45', '2 * (50 + 25)'] });

/** A postal address in tau-bench's shape. */
export const addressShape = {
  address1: z.string().min(1).max(100).describe("The first line of the address, such as '123 Main St'").meta({ examples: ['123 Main St'] }),
  address2: z.string().max(100).default('').describe("The second line of the address, such as 'Apt 1', or empty").meta({ examples: ['Apt 1'] }),
  city: z.string().min(1).max(60).describe("The city, such as 'San Francisco'").meta({ examples: ['San Francisco'] }),
  state: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .describe("The two-letter state code, such as 'CA'")
    .meta({ examples: ['CA'] }),
  country: z.string().min(2).max(60).default('USA').describe("The country, such as 'USA'").meta({ examples: ['USA'] }),
  zip,
};
