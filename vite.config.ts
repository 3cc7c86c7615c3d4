import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { fastworkflow } from './trainer-node/vite-plugin.ts';

// The demo app. The plugin (published as `fastworkflow-web/vite`) serves onnxruntime-web's wasm at
// /ort/ and the trained bundles at /bundles/, and copies both into the build.
export default defineConfig({
  root: 'demo',
  build: { outDir: '../dist/demo', emptyOutDir: true, target: 'es2022' },
  plugins: [fastworkflow({ bundlesDir: fileURLToPath(new URL('./bundles', import.meta.url)), webgpu: true })],
});
