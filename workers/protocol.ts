/**
 * The wire protocol between the page and the intent Worker (comlink). Only plain data crosses; a
 * failure is thrown in the Worker and thrown again on the page as a FastWorkflowError with its code
 * and fields (error-transfer.ts).
 */
import type { IntentPrediction, IntentScore } from '../src/intent/classifier.ts';
import type { SlotTaggerFile } from '../src/params/slots/model.ts';
import type { BundleReads } from '../src/bundle/load-bundle.ts';
import type { LoadTimings } from './load-timings.ts';

export interface LoadRequest {
  /** Absolute URL of the bundle folder (the one holding manifest.json). */
  bundleUrl: string;
  /** Absolute URL of the folder holding onnxruntime-web's wasm files (served by the app, no CDN). */
  wasmPaths: string;
  /** Try WebGPU when an adapter is really available (default: wasm). */
  preferWebGpu?: boolean;
  /**
   * Threads for the encoder, only where the page is cross-origin isolated (COOP + COEP headers):
   * onnxruntime-web's (default: half the cores, at most 4); the built-in encoder takes a second
   * thread unless this is 1.
   */
  numThreads?: number;
}

export const LoadStage = {
  Manifest: 'manifest',
  Verify: 'verify',
  Encoder: 'encoder',
  Ready: 'ready',
} as const;
export type LoadStage = (typeof LoadStage)[keyof typeof LoadStage];

export interface LoadProgress {
  stage: LoadStage;
  /** 0..1 within the stage when known. */
  fraction?: number;
  detail?: string;
}

export interface LoadInfo {
  workflow: string;
  contexts: string[];
  encoder: { source: string; dtype: string; dim: number };
  /**
   * What runs the encoder: the built-in encoder's own WebAssembly kernel (no onnxruntime-web is
   * fetched), or onnxruntime-web for any other ONNX encoder.
   */
  runtime: 'use-lite-wasm' | 'onnxruntime-web';
  device: 'wasm' | 'webgpu';
  /** Threads the encoder computes on (more than 1 only where the page is cross-origin isolated). */
  threads: number;
  /** Load to ready, in the Worker. */
  millis: number;
  /**
   * Where the time went: marks in ms since the load started (bundle fetched and checked; with
   * onnxruntime-web, the runtime started in parallel; encoder files read; the encoder created =
   * ready), the wasm fetch, and `encoder`, the duration from the bundle (and runtime) ready to
   * ready. A few warm-up runs follow in the background.
   */
  timings: LoadTimings & { encoder: number };
  /** Where the bundle's files came from: kept copies (repeat visit) or the network. */
  files: BundleReads;
  /** The bundle's slot tagger (plain data): parameter extraction runs on the page's thread. */
  slotTagger?: SlotTaggerFile;
}

export interface IntentWorkerApi {
  load(request: LoadRequest, onProgress?: (p: LoadProgress) => void): Promise<LoadInfo>;
  classify(text: string, context: string): Promise<IntentPrediction>;
  classifyBatch(texts: string[], context: string): Promise<IntentScore[][]>;
  learn(text: string, context: string, label: string): Promise<void>;
  /** Undo `learn` (a correction was undone). */
  forget(text: string, context: string, label: string): Promise<void>;
  /** Normalised embeddings (tests compare them with Node's). */
  embed(texts: string[]): Promise<number[][]>;
}
