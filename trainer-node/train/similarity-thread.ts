/**
 * The held-out rows' similarities to a head's memory on a worker thread, while the calling thread
 * fits the head: on a large context (150 commands × 100 utterances) they are about a fifth of the
 * head time. The thread runs the runtime's own neighbourSimilarities on the same inputs, so the
 * numbers are the same wherever they were computed. Small jobs, and a thread that cannot start or
 * fails, compute on the calling thread.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { neighbourSimilarities, type NeighbourMemory } from '../../src/bundle/context-model.ts';
import { threadJob } from '../spawn-thread.ts';

const JOB = 'fastworkflow-held-out-similarities';

/** rows × memory rows × dim from which a thread pays off (~0.3 s of work on one core here). */
export const THREAD_MIN_PRODUCTS = 5e8;

export interface SimilarityJob {
  /**
   * Per row, per label: the best cosine to the label's memory rows (neighbourSimilarities); and
   * whether a worker thread computed them (false: this thread, for a small job or a failed thread).
   */
  result: Promise<{ similarities: Float64Array[]; onThread: boolean }>;
}

interface ThreadInput {
  job: typeof JOB;
  memory: NeighbourMemory;
  /** The rows, concatenated (dim floats each). */
  rows: Float32Array;
}
type ThreadReply = { ok: true; similarities: Float64Array } | { ok: false; message: string };

/** Starts computing the similarities of `rows` (await `result` after the other work). */
export function startHeldOutSimilarities(memory: NeighbourMemory, rows: readonly Float32Array[], threadFrom = THREAD_MIN_PRODUCTS): SimilarityJob {
  const here = () => ({ similarities: rows.map((x) => neighbourSimilarities(memory, x)), onThread: false });
  if (rows.length * memory.memoryLabels.length * memory.dim < threadFrom) return { result: Promise.resolve().then(here) };
  const packed = new Float32Array(rows.length * memory.dim);
  rows.forEach((x, i) => packed.set(x, i * memory.dim));
  const labels = memory.labels.length;
  const fromReply = (reply: ThreadReply) => {
    if (!reply.ok) throw new Error(reply.message);
    return { similarities: rows.map((_, i) => reply.similarities.slice(i * labels, (i + 1) * labels)), onThread: true };
  };
  return { result: threadJob(import.meta.url, { job: JOB, memory, rows: packed } satisfies ThreadInput, fromReply, here) };
}

if (!isMainThread && (workerData as ThreadInput | undefined)?.job === JOB) {
  const { memory, rows } = workerData as ThreadInput;
  let reply: ThreadReply;
  try {
    const labels = memory.labels.length;
    const count = rows.length / memory.dim;
    const similarities = new Float64Array(count * labels);
    for (let i = 0; i < count; i++) similarities.set(neighbourSimilarities(memory, rows.subarray(i * memory.dim, (i + 1) * memory.dim)), i * labels);
    reply = { ok: true, similarities };
  } catch (err) {
    reply = { ok: false, message: (err as Error).message };
  }
  parentPort!.postMessage(reply, reply.ok ? [reply.similarities.buffer as ArrayBuffer] : []);
}
