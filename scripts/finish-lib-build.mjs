#!/usr/bin/env node
// After `tsc -p tsconfig.build.json`: what the compiler leaves with .ts names.
// - .d.ts files keep relative './x.ts' specifiers: point them at './x.js' (the emitted files);
// - `new URL('./intent-worker.ts', import.meta.url)` (the Worker, a URL and not an import) → .js.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RELATIVE_TS = /((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+?)\.ts(['"])/g;
const WORKER_URL = /new URL\((['"])(\.{1,2}\/[^'"]+?)\.ts\1, import\.meta\.url\)/g;

let changed = 0;
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.d.ts') || name.endsWith('.js')) {
      const text = readFileSync(path, 'utf8');
      const next = text.replace(RELATIVE_TS, '$1$2.js$3').replace(WORKER_URL, 'new URL($1$2.js$1, import.meta.url)');
      if (next !== text) {
        writeFileSync(path, next);
        changed++;
      }
    }
  }
}
walk(process.argv[2] ?? 'dist');
console.log(`finish-lib-build: rewrote .ts specifiers in ${changed} files`);
