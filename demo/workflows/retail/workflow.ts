/**
 * Retail customer service, ported from the retail domain of tau-bench: authenticate the customer, then
 * look at orders, cancel or modify pending ones, return or exchange delivered ones, under tau-bench's
 * policy. Isomorphic (browser + Node); the full tau-bench database loads with `loadTauBenchData()`
 * (Node only, tau-bench-data.ts).
 */
import { defineWorkflow } from '../../../src/index.ts';
import { createRetailApp, type RetailApp } from './app.ts';
import { retailContexts } from './contexts.ts';

export { createRetailApp, Ctx, orderContextFor, type RetailApp } from './app.ts';
export { fixtureData } from './fixture.ts';
export { RetailPolicyError, RetailStore } from './store.ts';
export type { RetailData } from './types.ts';

export default defineWorkflow<RetailApp>({
  name: 'retail',
  description:
    'Retail customer service (tau-bench): identify the customer by email or name + zip code, then open an order to cancel or modify it (pending) or return or exchange items (delivered).',
  contexts: retailContexts,
  createApp: () => createRetailApp(),
});
