/**
 * The encoder in Node. The built-in USE-Lite model runs as the page runs it: its weights in float32
 * (the q8 file's dequantised), on onnxruntime-node when the project has it (native, multi-threaded:
 * fast training; the graph is rebuilt in memory from those weights), else on the page's own
 * WebAssembly kernel. Any other ONNX encoder runs on onnxruntime-node, else onnxruntime-web's wasm
 * build, which is always installed with fastworkflow-web and computes exactly what the page computes.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createOnnxEncoder, type EncoderFiles, type OrtModule } from '../src/bundle/onnx-encoder.ts';
import { readEncoderFiles } from '../src/bundle/encoder-files.ts';
import type { EncoderDtype } from '../src/bundle/format/dtype.ts';
import type { SentenceEncoder } from '../src/bundle/encoder.ts';
import { createUseLiteEncoder, isUseLiteModel } from '../src/bundle/use-lite/use-lite-encoder.ts';
import { computedWeights, readUseLiteWeights } from '../src/bundle/use-lite/use-lite-weights.ts';
import { buildUseLiteModel, fp32Variant } from './models/use-lite/build-graph.ts';
import { createThreadedUseLiteEncoder } from './use-lite-threads.ts';

/** What runs the encoder: an ONNX runtime, or the built-in encoder's WebAssembly kernel ('use-lite-wasm'). */
export type NodeRuntime = 'onnxruntime-node' | 'onnxruntime-web' | 'use-lite-wasm';

export interface NodeEncoder extends SentenceEncoder {
  readonly runtime: NodeRuntime;
  /** Threads a large call computes on. */
  readonly threads: number;
}

/** Texts to encode from which the trainer suggests onnxruntime-node (about 10 s on the WebAssembly kernel on 2 cores). */
export const NATIVE_TIP_TEXTS = 2500;

/**
 * A one-line tip when a large encoding runs without onnxruntime-node (3–4× slower on 2 cores), else
 * undefined. Vectors are cached, so the tip matters for the first run and for big edits.
 */
export function nativeRuntimeTip(encoder: SentenceEncoder, texts: number): string | undefined {
  const runtime = (encoder as Partial<NodeEncoder>).runtime;
  if (runtime === undefined || runtime === 'onnxruntime-node' || texts < NATIVE_TIP_TEXTS) return undefined;
  return `tip: ${texts.toLocaleString('en-US')} utterances to encode on ${runtime}; \`npm install -D onnxruntime-node@1.30.0\` encodes 3–4× faster (deny its install script, see the README). Vectors are cached, so later runs encode only new utterances.`;
}

let runtime: Promise<{ ort: OrtModule; name: 'onnxruntime-node' | 'onnxruntime-web' }> | undefined;

/** onnxruntime-node, when installed and FASTWORKFLOW_ORT is not 'web'. */
async function nativeOrt(): Promise<OrtModule | undefined> {
  if (process.env.FASTWORKFLOW_ORT === 'web') return undefined;
  try {
    const mod = (await import('onnxruntime-node' as string)) as { default?: OrtModule } & OrtModule;
    return mod.default ?? mod;
  } catch {
    return undefined; // not installed
  }
}

/** The ONNX runtime for Node: FASTWORKFLOW_ORT=web forces the wasm build. */
export function nodeOrt(): Promise<{ ort: OrtModule; name: 'onnxruntime-node' | 'onnxruntime-web' }> {
  runtime ??= (async () => {
    const native = await nativeOrt();
    if (native) return { ort: native, name: 'onnxruntime-node' as const };
    const mod = (await import('onnxruntime-web')) as unknown as { default?: OrtModule } & OrtModule & { env: { wasm: { numThreads?: number } } };
    return { ort: (mod.default ?? mod) as OrtModule, name: 'onnxruntime-web' as const };
  })();
  return runtime;
}

/**
 * An encoder over a model folder on disk (Hugging Face layout). FASTWORKFLOW_ORT=web runs what the
 * page runs (the built-in encoder's kernel, or onnxruntime-web) instead of onnxruntime-node.
 */
export async function createNodeEncoder(dir: string, dtype: EncoderDtype): Promise<NodeEncoder> {
  const files = await readEncoderFiles((path) => readFile(join(dir, path)).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)), '', dtype);
  if (isUseLiteModel(files.model)) return createUseLiteNodeEncoder(files, dir);
  const { ort, name } = await nodeOrt();
  const encoder = await createOnnxEncoder({ ort, files, name: dir, batchSize: 64 });
  return Object.assign(encoder, { runtime: name, threads: name === 'onnxruntime-node' ? availableParallelism() : 1 });
}

/**
 * USE-Lite in float32: onnxruntime-node over a graph of the weights the page computes with (the
 * kernel's int16 weights, exactly as float32), else the kernel itself on every core.
 */
async function createUseLiteNodeEncoder(files: EncoderFiles, dir: string): Promise<NodeEncoder> {
  const ort = await nativeOrt();
  if (!ort) {
    const threads = availableParallelism();
    if (threads < 2) return Object.assign(createUseLiteEncoder({ files, name: dir, weights: 'float32' }), { runtime: 'use-lite-wasm' as const });
    return Object.assign(createThreadedUseLiteEncoder(files, dir, threads), { runtime: 'use-lite-wasm' as const });
  }
  const model = buildUseLiteModel(computedWeights(readUseLiteWeights(files.model)), fp32Variant, 'dequantised', { poolBeforeLastFeedForward: true });
  // Every core and every graph fusion: ~1,400 texts/s here instead of ~950 with the defaults.
  const sessionOptions = { graphOptimizationLevel: 'all', intraOpNumThreads: availableParallelism() };
  const encoder = await createOnnxEncoder({ ort, files: { ...files, model }, name: dir, batchSize: 64, sessionOptions });
  return Object.assign(encoder, { runtime: 'onnxruntime-node' as const, threads: availableParallelism() });
}
