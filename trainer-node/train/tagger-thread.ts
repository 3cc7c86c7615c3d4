/**
 * The slot tagger trained on a worker thread, so that its CRF fit (the largest single cost of
 * training a workflow with free-text fields) runs beside encoding and head fitting on a second core.
 * The worker runs the same deterministic trainSlotTagger on the same plain-data input, so the
 * bundle's bytes do not depend on where it ran. When no worker can be started (a runtime that cannot
 * load this file on a thread), it trains on the calling thread instead.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { threadJob } from '../spawn-thread.ts';
import { trainSlotTagger, type SlotCommand, type SlotTrainOptions } from './slot-train.ts';
import { threadCpuSeconds } from './thread-cpu.ts';

type Tagger = ReturnType<typeof trainSlotTagger>;

/** What the thread sends back: the tagger, the seconds its fit took and its thread's CPU seconds (Linux), or why it failed. */
type ThreadReply = { ok: true; tagger: Tagger; seconds: number; cpuSeconds?: number } | { ok: false; message: string; stack?: string };

interface ThreadInput {
  job: 'fastworkflow-slot-tagger';
  commands: SlotCommand[];
  options: SlotTrainOptions;
}

/** A trained tagger, the seconds its fit took, whether on a second thread, and that thread's CPU seconds (Linux). */
export interface TaggerResult {
  tagger: Tagger;
  seconds: number;
  thread: boolean;
  cpuSeconds?: number;
}

/** Seed templates from which the tagger trains on its own thread (todo has 23, retail 106). */
export const THREAD_MIN_TEMPLATES = 50;

/** A pending tagger: `result` resolves when it is trained (on whichever thread). */
export interface TaggerJob {
  result: Promise<TaggerResult>;
}

/**
 * Starts training the slot tagger of `commands` on a worker thread (inline when there is nothing to
 * train or no thread can be started). Await `result` after the other work.
 */
export function startSlotTagger(commands: SlotCommand[], options: SlotTrainOptions, threadFrom = THREAD_MIN_TEMPLATES): TaggerJob {
  const templates = commands.reduce((n, c) => n + c.utterances.length, 0);
  // A small tagger fits in a few tenths of a second: starting a thread (and its module loading)
  // would cost more than it saves.
  if (commands.length === 0 || templates < threadFrom) return { result: Promise.resolve(inline(commands, options)) };
  const input: ThreadInput = { job: 'fastworkflow-slot-tagger', commands, options };
  const fromReply = (reply: ThreadReply): TaggerResult => {
    if (!reply.ok) throw Object.assign(new Error(reply.message), reply.stack ? { stack: reply.stack } : {});
    return { tagger: reply.tagger, seconds: reply.seconds, thread: true, ...(reply.cpuSeconds !== undefined ? { cpuSeconds: reply.cpuSeconds } : {}) };
  };
  return { result: threadJob(import.meta.url, input, fromReply, () => inline(commands, options)) };
}

function inline(commands: SlotCommand[], options: SlotTrainOptions): TaggerResult {
  const t0 = performance.now();
  const tagger = trainSlotTagger(commands, options);
  return { tagger, seconds: (performance.now() - t0) / 1000, thread: false };
}

if (!isMainThread && (workerData as ThreadInput | undefined)?.job === 'fastworkflow-slot-tagger') {
  const { commands, options } = workerData as ThreadInput;
  let reply: ThreadReply;
  try {
    const t0 = performance.now();
    const tagger = trainSlotTagger(commands, options);
    const cpuSeconds = threadCpuSeconds();
    reply = { ok: true, tagger, seconds: (performance.now() - t0) / 1000, ...(cpuSeconds !== undefined ? { cpuSeconds } : {}) };
  } catch (err) {
    reply = { ok: false, message: (err as Error).message, stack: (err as Error).stack };
  }
  parentPort!.postMessage(reply);
}
