#!/usr/bin/env node
// npm run build:lib (also run by prepack): the library into dist/ —
//   tsc → ESM + .d.ts + maps for src/, workers/, components/, trainer-node/;
//   the standalone no-bundler build → dist/standalone/.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
for (const d of ['src', 'workers', 'components', 'trainer-node', 'standalone']) rmSync(`dist/${d}`, { recursive: true, force: true });
run('npx', ['tsc', '-p', 'tsconfig.build.json']);
run('node', ['scripts/finish-lib-build.mjs', 'dist']);
run('npx', ['vite', 'build', '--config', 'scripts/vite.standalone.config.ts', '--logLevel', 'warn']);
console.log('build:lib: dist/ ready');
