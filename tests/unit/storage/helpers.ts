import { IdbConnection } from '../../../src/idb.ts';
import type { SessionState } from '../../../src/index.ts';

let n = 0;
/** A database name no other test uses (fake-indexeddb is one global per process). */
export function freshDbName(prefix = 'fw-test'): string {
  return `${prefix}-${process.pid}-${++n}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A separate connection, as another tab would have. */
export function tab(name: string): IdbConnection {
  return new IdbConnection({ name });
}

export function sampleState(over: Partial<SessionState> = {}): SessionState {
  return {
    version: 2,
    id: 's1',
    workflow: 'todo',
    revision: 1,
    root: { context: 'TodoList', key: 'main' },
    current: { context: 'TodoItem', key: '2' },
    conversation: { stage: 'idle' },
    history: [
      { role: 'user', text: 'open item 2', at: 1 },
      { role: 'assistant', text: 'Opened #2', at: 2, kind: 'result', success: true, command: 'open_item' },
    ],
    updatedAt: 2,
    ...over,
  };
}

/** Wait until `check` holds (for BroadcastChannel delivery, which is asynchronous). */
export async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
