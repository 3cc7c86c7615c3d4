/**
 * The no-bundler build (dist/standalone/fastworkflow-web.js): one ES module with the whole runtime,
 * `<fw-chat>` defined, and zod's `z` for workflow files loaded straight by the browser. Its Worker and
 * onnxruntime-web's wasm sit next to it (ort/), found relative to the module.
 */
import { FwChat } from './fw-chat.ts';

export * from '../src/index.ts';
export { FwChat, type ClassifierFactory, type FwChatStatus } from './fw-chat.ts';
export { FwEvent } from './events.ts';
export { z } from 'zod';

FwChat.defaultOrtPath = new URL(/* @vite-ignore */ './ort/', import.meta.url).href;
