/// <reference lib="webworker" />
/**
 * onnxruntime-web in the intent Worker: imported and its WebAssembly fetched, compiled and started
 * before the bundle has arrived, so that work overlaps the bundle download.
 */
import type { OrtModule } from '../src/bundle/index.ts';

export type OrtDevice = 'wasm' | 'webgpu';

/** The wasm build each device loads (the files a page must serve at `wasmPaths`). */
export const ORT_SCRIPT: Record<OrtDevice, string> = {
  wasm: 'ort-wasm-simd-threaded.mjs',
  webgpu: 'ort-wasm-simd-threaded.asyncify.mjs',
};

/**
 * A one-node ONNX model (Identity on a float[1]): creating a session for it makes onnxruntime-web
 * fetch, compile and initialise its WebAssembly without needing the bundle's encoder yet.
 */
const STARTER_MODEL = 'CAg6OgoQCgF4EgF5IghJZGVudGl0eRIEd2FybVoPCgF4EgoKCAgBEgQKAggBYg8KAXkSCgoICAESBAoCCAFCBAoAEA0=';

/**
 * onnxruntime-web: the plain wasm build (ort-wasm-simd-threaded.{mjs,wasm}, the smallest that runs
 * the encoder) by default, the WebGPU build (asyncify) only when asked for and an adapter exists.
 * Resolves once the runtime can create sessions.
 */
export async function startOrt(device: OrtDevice, wasmPaths: string, threads: number, onImported?: () => void): Promise<OrtModule> {
  // The glue script onnxruntime-web imports once it runs, fetched alongside onnxruntime-web's own
  // code instead of after it (same URL: the module map keeps one copy). A failure shows up below.
  import(/* @vite-ignore */ new URL(ORT_SCRIPT[device], wasmPaths).href).catch(() => undefined);
  const ort = device === 'webgpu' ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm');
  onImported?.();
  ort.env.wasm.wasmPaths = wasmPaths;
  ort.env.wasm.numThreads = threads;
  const model = Uint8Array.from(atob(STARTER_MODEL), (c) => c.charCodeAt(0));
  const session = await ort.InferenceSession.create(model, { executionProviders: [device] });
  await session.release();
  return ort as unknown as OrtModule;
}
