import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, WorkflowSession, type CommandOutput } from '../../../src/index.ts';
import { replayTauBenchAction, TAU_BENCH_WRITE_TOOLS, type TauBenchAction } from './tau-bench-actions.ts';
import { hasTauBenchData, loadTauBenchData } from './tau-bench-data.ts';
import type { RetailData } from './types.ts';
import retail, { createRetailApp } from './workflow.ts';

// ../shared next to the repository (read-only data, never committed).
const TAU_BENCH = fileURLToPath(new URL('../../../../shared/retail/tau-bench', import.meta.url));

interface Task {
  id: number;
  actions: TauBenchAction[];
}

function reasonOf(out: CommandOutput): string {
  if (out.clarification?.type === 'parameters') return out.clarification.problems.map((p) => p.message).join(' ');
  return (out.error?.message ?? out.text).split('\n')[0];
}

/** Replay every task from a fresh copy of the database; collect the write actions the policy refused. */
async function replaySplit(base: RetailData, file: string) {
  const tasks: Task[] = readFileSync(join(TAU_BENCH, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const refused: { task: number; tool: string; reason: string }[] = [];
  let writes = 0;
  for (const task of tasks) {
    const app = createRetailApp(structuredClone(base));
    const session = await WorkflowSession.open({ workflow: retail, app });
    // A few gold trajectories start with a write: authenticate the owner of the order first.
    if (!task.actions.some((a) => a.name.startsWith('find_user'))) {
      const first = task.actions.find((a) => a.kwargs.order_id || a.kwargs.user_id);
      const owner = (first?.kwargs.user_id as string | undefined) ?? base.orders[first?.kwargs.order_id as string]?.user_id;
      if (owner) await session.performAction({ command: 'find_user_by_email', parameters: { email: base.users[owner].email } });
    }
    for (const action of task.actions) {
      const out = await replayTauBenchAction(session, action);
      if (!TAU_BENCH_WRITE_TOOLS.has(action.name)) continue;
      writes++;
      // the policy checks run before the handler: a store refusal inside a handler would be a bug
      expect(out!.error?.code, `task ${task.id} ${action.name}: ${out!.text}`).not.toBe(ErrorCode.HandlerFailed);
      if (!out!.success) refused.push({ task: task.id, tool: action.name, reason: reasonOf(out!) });
    }
  }
  return { tasks: tasks.length, writes, refused };
}

describe.skipIf(!hasTauBenchData(join(TAU_BENCH, 'db')))('retail: replaying tau-bench gold actions (../shared/retail/tau-bench)', () => {
  let base: RetailData;
  beforeAll(async () => {
    base = await loadTauBenchData(join(TAU_BENCH, 'db'));
  });

  it('test split: every gold write passes, except four that break the policy (the gold trajectories run into these refusals too)', async () => {
    const { tasks, writes, refused } = await replaySplit(base, 'tasks_test.jsonl');
    expect({ tasks, writes }).toEqual({ tasks: 115, writes: 178 });
    expect(refused).toEqual([
      { task: 12, tool: 'return_delivered_order_items', reason: 'A refund must go to the original payment method (credit_card_3124723) or a gift card; paypal_9497703 is neither.' },
      { task: 13, tool: 'return_delivered_order_items', reason: 'A refund must go to the original payment method (credit_card_3124723) or a gift card; paypal_9497703 is neither.' },
      // the order is pending: the exchange is not offered in its context (the next gold action modifies it instead)
      { task: 64, tool: 'exchange_delivered_order_items', reason: 'There is no command "exchange_delivered_order_items" here.' },
      { task: 106, tool: 'exchange_delivered_order_items', reason: 'Gift card gift_card_7245904 has $17.00, not enough for the price difference of $21.10.' },
    ]);
  });

  it('dev split: every gold write passes', async () => {
    const { writes, refused } = await replaySplit(base, 'tasks_dev.jsonl');
    expect(writes).toBe(25);
    expect(refused).toEqual([]);
  });

  it('a replayed exchange leaves the order as tau-bench does', async () => {
    const app = createRetailApp(structuredClone(base));
    const session = await WorkflowSession.open({ workflow: retail, app });
    const actions: TauBenchAction[] = [
      { name: 'find_user_id_by_name_zip', kwargs: { first_name: 'Yusuf', last_name: 'Rossi', zip: '19122' } },
      { name: 'get_order_details', kwargs: { order_id: '#W2378156' } },
      { name: 'exchange_delivered_order_items', kwargs: { order_id: '#W2378156', item_ids: ['1151293680', '4983901480'], new_item_ids: ['7706410293', '7747408585'], payment_method_id: 'credit_card_9513926' } },
    ];
    for (const a of actions) expect((await replayTauBenchAction(session, a))!.success).toBe(true);
    expect(app.store.order('#W2378156')).toMatchObject({
      status: 'exchange requested',
      exchange_items: ['1151293680', '4983901480'],
      exchange_new_items: ['7706410293', '7747408585'],
      exchange_payment_method_id: 'credit_card_9513926',
    });
  });
});
