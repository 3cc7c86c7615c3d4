/**
 * Replay tau-bench tool calls (a task's gold `actions`) through a retail session: each call becomes
 * the command of the same meaning, run with `performAction` (the same validation gate, no NLU, no
 * confirmation) after navigating to the context that offers it. Isomorphic: no Node imports.
 */
import type { CommandOutput, WorkflowSession } from '../../../src/index.ts';
import { Ctx, type RetailApp } from './app.ts';

export interface TauBenchAction {
  name: string;
  kwargs: Record<string, unknown>;
}

/** tau-bench tool name → command name (the others are the same). */
export const TAU_BENCH_COMMANDS: Record<string, string> = {
  find_user_id_by_email: 'find_user_by_email',
  find_user_id_by_name_zip: 'find_user_by_name_zip',
  list_all_product_types: 'list_product_types',
  transfer_to_human_agents: 'transfer_to_human_agent',
};

/** Tools that act on one order: run in that order's context (opened from the customer's context). */
const ORDER_TOOLS = new Set([
  'get_order_details',
  'cancel_pending_order',
  'modify_pending_order_address',
  'modify_pending_order_items',
  'modify_pending_order_payment',
  'return_delivered_order_items',
  'exchange_delivered_order_items',
]);
/** Tools of the customer's context (their `user_id` argument is the authenticated customer). */
const USER_TOOLS = new Set(['get_user_details', 'modify_user_address']);

/** The tools that change data: every order or customer tool but the `get_…` ones. */
export const TAU_BENCH_WRITE_TOOLS = new Set([...ORDER_TOOLS, ...USER_TOOLS].filter((name) => !name.startsWith('get_')));

/** Go up until the customer's context (or the top, when nobody is authenticated yet). */
async function toCustomer(session: WorkflowSession<RetailApp>): Promise<void> {
  for (let i = 0; i < 4; i++) {
    const { context } = await session.currentContext();
    if (context === Ctx.User || context === '*') return;
    await session.send('go up');
  }
}

/** Run one tau-bench tool call; undefined for `think` (no command). */
export async function replayTauBenchAction(session: WorkflowSession<RetailApp>, action: TauBenchAction): Promise<CommandOutput | undefined> {
  if (action.name === 'think') return undefined;
  const kwargs = { ...action.kwargs };
  if (ORDER_TOOLS.has(action.name)) {
    await toCustomer(session);
    const opened = await session.performAction({ command: 'open_order', parameters: { order_id: kwargs.order_id } });
    if (action.name === 'get_order_details' || !opened.success) return opened;
    return session.performAction({ command: action.name, parameters: kwargs });
  }
  if (USER_TOOLS.has(action.name)) {
    await toCustomer(session);
    delete kwargs.user_id;
  }
  return session.performAction({ command: TAU_BENCH_COMMANDS[action.name] ?? action.name, parameters: kwargs });
}
