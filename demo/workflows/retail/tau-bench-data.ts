/**
 * Node only: load tau-bench's retail database (db/users.json, db/orders.json, db/products.json) from a
 * folder, e.g. ../shared/retail/tau-bench/db next to the repository. The data is third-party (MIT) and is not committed.
 *
 *   const app = createRetailApp(await loadTauBenchData(dir));
 *   const session = await WorkflowSession.open({ workflow: retail, app });
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RetailData } from './types.ts';

export const TAU_BENCH_FILES = ['users.json', 'orders.json', 'products.json'] as const;

/** Does `dir` hold the three tau-bench files? */
export function hasTauBenchData(dir: string): boolean {
  return TAU_BENCH_FILES.every((f) => existsSync(join(dir, f)));
}

export async function loadTauBenchData(dir: string): Promise<RetailData> {
  const [users, orders, products] = await Promise.all(TAU_BENCH_FILES.map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8'))));
  for (const [name, table] of [['users', users], ['orders', orders], ['products', products]] as const) {
    if (typeof table !== 'object' || table === null || Array.isArray(table)) throw new Error(`${join(dir, `${name}.json`)} is not an object keyed by id.`);
  }
  return { users, orders, products } as RetailData;
}
