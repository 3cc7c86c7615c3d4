import { z } from 'zod';
import { defineCommand, defineWorkflow } from '../../../src/index.ts';

export const addTwoNumbers = defineCommand({
  name: 'add_two_numbers',
  description: 'Add two numbers and return their sum.',
  input: z.object({
    a: z.number().describe('The first number').meta({ examples: [3, 49] }),
    b: z.number().describe('The second number').meta({ examples: [4, 51] }),
  }),
  output: z.object({ sum: z.number() }),
  utterances: ['add {a} and {b}', 'what is {a} plus {b}', 'sum of {a} and {b}', '{a} + {b}', 'calculate {a} plus {b}', 'add two numbers'],
  run: (_ctx, { a, b }) => ({ text: `${a} + ${b} = ${a + b}`, data: { sum: a + b } }),
});

export default defineWorkflow({
  name: 'hello_world',
  description: 'Adds two numbers.',
  contexts: [{ name: '*', commands: [addTwoNumbers] }],
  createApp: () => ({}),
});
