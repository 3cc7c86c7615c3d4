#!/usr/bin/env node
// fastworkflow CLI: loads the TypeScript sources through tsx (no build step needed).
import { register } from 'tsx/esm/api';

// `fastworkflow … | head`: a closed pipe ends the command quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

register();
const { main } = await import('../trainer-node/cli.ts');
process.exitCode = await main(process.argv.slice(2));
