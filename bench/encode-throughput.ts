/**
 * Encoding throughput in Node (utterances/s, batch 64, the median of three passes over 2,048 texts) for both runtimes the trainer can use:
 * onnxruntime-node (native, when the project has it) and what runs without it (FASTWORKFLOW_ORT=web:
 * the built-in encoder on its WebAssembly kernel, as in the page, on every core; onnxruntime-web for
 * other encoders).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Throughput {
  runtime: string;
  threads: number;
  utterancesPerSecond: number;
}

const TEXTS = Array.from({ length: 2048 }, (_, i) => `please cancel order number ${i} and send the refund to my card ending ${(i * 7919) % 10000}`);

/** One child process per runtime (each loads its own ONNX Runtime). */
export function benchEncodeThroughput(modelDir: string): Throughput[] {
  return ['node', 'web'].map((rt) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), modelDir], { env: { ...process.env, FASTWORKFLOW_ORT: rt }, encoding: 'utf8' });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    try {
      return JSON.parse(line) as Throughput;
    } catch {
      return { runtime: rt === 'node' ? 'onnxruntime-node' : 'onnxruntime-web', threads: 0, utterancesPerSecond: Number.NaN };
    }
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { createNodeEncoder } = await import('../trainer-node/node-encoder.ts');
  const encoder = await createNodeEncoder(process.argv[2], 'q8');
  await encoder.embed(TEXTS.slice(0, 64)); // warm-up
  // The median of three passes: one pass moved by ±5% between runs on a quiet 2-core machine.
  const passes: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    const t0 = performance.now();
    await encoder.embed(TEXTS);
    passes.push((performance.now() - t0) / 1000);
  }
  const seconds = passes.sort((a, b) => a - b)[1];
  console.log(JSON.stringify({ runtime: encoder.runtime, threads: encoder.threads, utterancesPerSecond: Math.round(TEXTS.length / seconds) }));
}
