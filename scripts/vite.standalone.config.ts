import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, defaultClientConditions, type Plugin } from 'vite';
import { ORT_WASM_FILES, ortDistDir } from '../trainer-node/vite-plugin.ts';

// The no-bundler build: dist/standalone/fastworkflow-web.js (+ its Worker and ort/ wasm files).
const outDir = fileURLToPath(new URL('../dist/standalone', import.meta.url));

const copyOrt: Plugin = {
  name: 'copy-ort-wasm',
  async closeBundle() {
    await mkdir(join(outDir, 'ort'), { recursive: true });
    for (const f of ORT_WASM_FILES) await cp(join(ortDistDir(), f), join(outDir, 'ort', f));
  },
};

export default defineConfig({
  // Relative URLs: the files work from any folder of any static host.
  base: './',
  mode: 'production',
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
  worker: { format: 'es' },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    lib: { entry: fileURLToPath(new URL('../components/standalone.ts', import.meta.url)), formats: ['es'], fileName: () => 'fastworkflow-web.js' },
  },
  plugins: [copyOrt],
});
