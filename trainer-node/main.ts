/**
 * The `fastworkflow` command's entry: runs the CLI and sets the exit code. The package's bin runs the
 * compiled JavaScript with plain node; in the repository `npm run fw` runs this file through tsx.
 */
import { main } from './cli.ts';

// `fastworkflow … | head`: a closed pipe ends the command quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

process.exitCode = await main(process.argv.slice(2));
