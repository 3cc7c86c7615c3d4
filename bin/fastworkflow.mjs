#!/usr/bin/env node
// fastworkflow CLI: the compiled JavaScript (npm run build:lib writes dist/; the published package has it).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/trainer-node/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('fastworkflow: dist/ is missing. In the repository, run `npm run build:lib` (or use `npm run fw -- …`, which runs the sources).');
  process.exit(2);
}
await import(entry.href);
