#!/usr/bin/env node
// fastworkflow CLI: loads the TypeScript sources through tsx (no build step needed).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../trainer-node/cli.ts');
process.exitCode = await main(process.argv.slice(2));
