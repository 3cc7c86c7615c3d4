import { defineConfig } from 'vite';

// The demo app and the browser runtime. See ../shared/STACK-NOTES.md for the onnxruntime-web notes.
export default defineConfig({
  root: 'demo',
  build: { outDir: '../dist/demo', emptyOutDir: true },
});
