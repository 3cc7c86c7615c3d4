import { FastWorkflowError } from '../src/index.ts';

// Each command's module is loaded when it runs: `init` or `run` must not need the trainer's packages.

const HELP = `fastworkflow — train and run fastWorkflow workflows

Commands:
  init <dir>                   write a starter project (workflow, page with <fw-chat>, Vite config)
  run <workflow> [options]     talk to a workflow in the terminal (\`run --help\` for options)
  train <workflow> [options]   train the intent models and write a static bundle (\`train --help\`)
  build <app.ts> --root <Class> [--out dir]
                               generate a workflow from your TypeScript application (\`build --help\`)
  corrections export <workflow> [--out file]
  corrections import <workflow> <file>
                               what \`run\` learned from corrections, as the same JSON file the page's
                               "Download corrections" gives (\`corrections --help\`)
  models prepare [--force]     convert the built-in offline encoder into the cache folder
  demo [--port n]              (repository only) train the examples and serve the demo app
  examples list                (repository only) list the example workflows

<workflow> is a workflow file (workflow.ts), a folder holding one, or an example's name in the
repository. Run \`fastworkflow <command> --help\` for a command's options.`;

/** Entry point of the CLI; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run': {
        const [{ runCommand }, { loadNodeBundleClassifier }] = await Promise.all([import('./run-command.ts'), import('./bundle-node.ts')]);
        return await runCommand(rest, { input: process.stdin, output: process.stdout, isTTY: !!process.stdin.isTTY }, loadNodeBundleClassifier);
      }
      case 'init':
        return await (await import('./init-command.ts')).initCommand(rest);
      case 'build':
        return await (await import('./build/build-command.ts')).buildCommand(rest);
      case 'train':
        return await (await import('./train-command.ts')).trainCommand(rest);
      case 'demo':
        return await (await import('./demo-command.ts')).demoCommand(rest);
      case 'corrections':
        return await (await import('./corrections-command.ts')).correctionsCommand(rest);
      case 'models':
        if (rest[0] !== 'prepare') {
          console.error('Usage: fastworkflow models prepare [--out dir] [--force]');
          return 2;
        }
        return await (await import('./models/prepare-cli.ts')).modelsPrepareCommand(rest.slice(1));
      case 'examples':
        if (rest[0] !== 'list') {
          console.error('Usage: fastworkflow examples list');
          return 2;
        }
        for (const name of await (await import('./load-workflow.ts')).exampleNames()) console.log(name);
        return 0;
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        console.log(HELP);
        return 0;
      default:
        console.error(`Unknown command "${command}".\n\n${HELP}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof FastWorkflowError) {
      console.error(`error (${err.code}): ${err.message}`);
      return 1;
    }
    throw err;
  }
}
