/**
 * The encoder in Node: onnxruntime-node when the project has it (native, multi-threaded: fast
 * training), otherwise onnxruntime-web's wasm build, which is always installed with fastworkflow-web
 * and computes exactly what the page computes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createOnnxEncoder, type OrtModule } from '../src/bundle/onnx-encoder.ts';
import { readEncoderFiles } from '../src/bundle/encoder-files.ts';
import type { EncoderDtype } from '../src/bundle/format/dtype.ts';
import type { SentenceEncoder } from '../src/bundle/encoder.ts';

export type NodeRuntime = 'onnxruntime-node' | 'onnxruntime-web';

export interface NodeEncoder extends SentenceEncoder {
  readonly runtime: NodeRuntime;
}

let runtime: Promise<{ ort: OrtModule; name: NodeRuntime }> | undefined;

/** The ONNX runtime for Node: FASTWORKFLOW_ORT=web forces the wasm build. */
export function nodeOrt(): Promise<{ ort: OrtModule; name: NodeRuntime }> {
  runtime ??= (async () => {
    if (process.env.FASTWORKFLOW_ORT !== 'web') {
      try {
        const mod = (await import('onnxruntime-node' as string)) as { default?: OrtModule } & OrtModule;
        return { ort: mod.default ?? mod, name: 'onnxruntime-node' as const };
      } catch {
        // not installed: the wasm build below
      }
    }
    const mod = (await import('onnxruntime-web')) as unknown as { default?: OrtModule } & OrtModule & { env: { wasm: { numThreads?: number } } };
    return { ort: (mod.default ?? mod) as OrtModule, name: 'onnxruntime-web' as const };
  })();
  return runtime;
}

/** An encoder over a model folder on disk (Hugging Face layout). */
export async function createNodeEncoder(dir: string, dtype: EncoderDtype): Promise<NodeEncoder> {
  const { ort, name } = await nodeOrt();
  const files = await readEncoderFiles((path) => readFile(join(dir, path)).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)), '', dtype);
  const encoder = await createOnnxEncoder({ ort, files, name: dir, batchSize: 64 });
  return Object.assign(encoder, { runtime: name });
}
