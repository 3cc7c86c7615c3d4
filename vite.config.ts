import { fileURLToPath } from 'node:url';
import { defineConfig, defaultClientConditions } from 'vite';
import { fastworkflowAssets } from './scripts/vite-fastworkflow-assets.ts';

// The demo app and the browser runtime. See ../shared/STACK-NOTES.md for the onnxruntime-web notes.
export default defineConfig({
  root: 'demo',
  build: { outDir: '../dist/demo', emptyOutDir: true, target: 'es2022' },
  // Use the wasm files served from /ort/ instead of a second inlined copy of onnxruntime-web's wasm.
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
  optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'] },
  worker: { format: 'es' },
  plugins: [fastworkflowAssets({ bundlesDir: fileURLToPath(new URL('./bundles', import.meta.url)) })],
});
