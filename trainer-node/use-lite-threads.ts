/**
 * The built-in encoder on every core, for training without onnxruntime-node: a call's texts are dealt
 * round-robin to worker threads, each running the page's WebAssembly kernel on its own copy of the
 * weights (kept as float32: faster over many texts than the page's int16, the same products). Each
 * row is computed as alone, so the vectors are exactly those of one thread (and of the page). Small
 * calls, and every call once a thread has failed, run on the calling thread.
 */
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import type { SentenceEncoder } from '../src/bundle/encoder.ts';
import type { EncoderFiles } from '../src/bundle/onnx-encoder.ts';
import { createUseLiteEncoder } from '../src/bundle/use-lite/use-lite-encoder.ts';
import { throwIfAborted } from '../src/errors.ts';
import { spawnThread } from './spawn-thread.ts';

const JOB = 'fastworkflow-use-lite-encoder';

interface ThreadInput {
  job: typeof JOB;
  files: EncoderFiles;
  name: string;
}
interface Request {
  id: number;
  texts: string[];
}
type Reply = { id: number; ok: true; vectors: Float32Array[] } | { id: number; ok: false; message: string };

/** Calls with fewer texts run on the calling thread (handing them out costs more than it saves). */
export const THREADED_MIN_TEXTS = 64;

export interface ThreadedEncoder extends SentenceEncoder {
  /** Threads a large call is spread over. */
  readonly threads: number;
  /** Ends the threads (idle ones do not keep the process alive, so this is optional). */
  close(): Promise<void>;
}

interface Pending {
  resolve(vectors: Float32Array[]): void;
  reject(err: Error): void;
}

/** A thread that answers requests; `failed` once it has died (its requests are rejected). */
class EncoderThread {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  failed: Error | undefined;

  constructor(private readonly worker: Worker) {
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) p.resolve(reply.vectors);
      else p.reject(new Error(reply.message));
    });
    const fail = (err: Error) => {
      this.failed ??= err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the encoder thread exited (code ${code})`)));
  }

  embed(texts: string[]): Promise<Float32Array[]> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref(); // keep the process alive while a reply is due
      this.worker.postMessage({ id, texts } satisfies Request);
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

export function createThreadedUseLiteEncoder(files: EncoderFiles, name: string, threads: number): ThreadedEncoder {
  const inline = createUseLiteEncoder({ files, name, weights: 'float32' });
  let pool: EncoderThread[] | undefined;
  let broken = false;
  const start = (): EncoderThread[] | undefined => {
    if (pool || broken) return pool;
    try {
      pool = Array.from({ length: threads }, () => new EncoderThread(spawnThread(import.meta.url, { job: JOB, files, name } satisfies ThreadInput)));
    } catch {
      broken = true; // no threads here: every call runs inline
    }
    return pool;
  };
  return {
    dim: inline.dim,
    threads,
    async embed(texts, options = {}) {
      const threadsNow = threads > 1 && texts.length >= THREADED_MIN_TEXTS ? start() : undefined;
      if (!threadsNow) return inline.embed(texts, options);
      throwIfAborted(options.signal);
      const n = threadsNow.length;
      const parts = threadsNow.map((_, w) => texts.filter((_, i) => i % n === w));
      const results = await Promise.all(
        threadsNow.map((thread, w) =>
          thread.embed(parts[w]).catch(async () => {
            // A dead thread: this part and every later call run here. An encoder error (a bad
            // token id, say) is thrown again by the inline encoder, with its own type.
            if (thread.failed) broken = true;
            return inline.embed(parts[w], options);
          }),
        ),
      );
      throwIfAborted(options.signal);
      const out = new Array<Float32Array>(texts.length);
      results.forEach((vectors, w) => vectors.forEach((v, j) => (out[j * n + w] = v)));
      return out;
    },
    async close() {
      const threadsNow = pool;
      pool = undefined;
      broken = true;
      await Promise.all((threadsNow ?? []).map((t) => t.close()));
    },
  };
}

if (!isMainThread && (workerData as ThreadInput | undefined)?.job === JOB) {
  const { files, name } = workerData as ThreadInput;
  const encoder = createUseLiteEncoder({ files, name, weights: 'float32' });
  parentPort!.on('message', async ({ id, texts }: Request) => {
    let reply: Reply;
    try {
      reply = { id, ok: true, vectors: await encoder.embed(texts) };
    } catch (err) {
      reply = { id, ok: false, message: (err as Error).message };
    }
    parentPort!.postMessage(reply, reply.ok ? reply.vectors.map((v) => v.buffer as ArrayBuffer) : []);
  });
}
