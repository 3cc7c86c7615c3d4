/**
 * `fastworkflow build <entry.ts> --root <ClassName> --out <dir> [--dry-run]`: a workflow generated
 * from an existing TypeScript application (read-app.ts → generate.ts → write-files.ts).
 */
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { contextName, generateWorkflow } from './generate.ts';
import { readApp } from './read-app.ts';
import { applyWrites, describeChanges, planWrites } from './write-files.ts';

export const BUILD_HELP = `Usage: fastworkflow build <entry.ts> --root <ClassName> [--out <dir>] [options]

Reads your TypeScript application (with the TypeScript compiler: npm install -D typescript) and
writes a workflow you own and edit: <dir>/workflow.ts, <dir>/reply.ts and <dir>/contexts/<class>.ts.
- every exported class reachable from the root class is a context (the root's is the global "*"),
  \`extends\` becomes its base; public methods become commands (addBook → add_book);
- parameters become the zod input (string, number, boolean, literal unions, arrays of these, optional
  and default values); a method with another parameter type is skipped and reported;
- JSDoc gives descriptions; \`@param x … e.g. "Dune"\` and \`@example addBook("Dune", 12)\` give examples;
- a method returning an object of another context enters that context; an error the method throws
  is the reply;
- seed utterances come from the method's name, description and parameters.
Run it again after changing the application: generated regions (between
// <fastworkflow:generated NAME> and // </fastworkflow:generated NAME>) are rewritten, everything
else is kept; delete a region's two marker lines to take it over (.fastworkflow-build.json records
which regions were written: keep it). Then: fastworkflow train <dir>.

Options:
  --root <ClassName>   the application's root class (exported from <entry.ts>)
  --out <dir>          where the workflow goes (default: ./workflow)
  --name <name>        the workflow's name (default: the root class in snake_case)
  --package <spec>     how the files import the run-time (default: fastworkflow-web)
  --dry-run            print what would be written, write nothing
  -h, --help           this text`;

export async function buildCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      root: { type: 'string' },
      out: { type: 'string', default: 'workflow' },
      name: { type: 'string' },
      package: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.length !== 1 || !values.root) {
    console.log(values.help || positionals.length === 1 ? BUILD_HELP : `${BUILD_HELP}\n\n${positionals.length !== 1 ? 'Pass one <entry.ts>.' : 'Pass --root <ClassName>.'}`);
    return values.help ? 0 : 2;
  }
  if (values.name !== undefined && !/^[a-z][a-z0-9_]*$/.test(values.name)) {
    console.error(`--name takes a workflow name in snake_case (letters, digits, _), not "${values.name}".`);
    return 2;
  }
  const outDir = resolve(values.out!);
  const app = await readApp(positionals[0], values.root);
  const files = generateWorkflow(app, { outDir, ...(values.name ? { name: values.name } : {}), ...(values.package ? { packageName: values.package } : {}) });
  const changes = planWrites(outDir, files);

  for (const cls of app.classes) {
    console.log(`context ${contextName(cls)} (class ${cls.name}${cls.base ? ` extends ${cls.base}` : ''}): ${cls.methods.map((m) => m.command).join(', ') || 'no commands'}`);
  }
  for (const s of app.skipped) console.log(`skipped ${s.className}.${s.method}: ${s.reason}`);
  const dry = values['dry-run'];
  const shownOut = relative(process.cwd(), outDir) || '.';
  console.log(`${dry ? 'Would write' : 'Writing'} ${shownOut}/:`);
  for (const line of describeChanges(changes)) console.log(line);
  const foreign = changes.filter((c) => c.kind === 'foreign').map((c) => c.file);
  if (foreign.length) {
    console.error(`${shownOut}/ holds ${foreign.join(', ')}, which fastworkflow build did not write: nothing was written. Pick another --out (or move those files away).`);
    return 1;
  }
  if (dry) {
    console.log('(dry run: nothing written)');
    return 0;
  }
  await applyWrites(outDir, files, changes);
  console.log(`Next: fastworkflow train ${shownOut}, then fastworkflow run ${shownOut}`);
  return 0;
}
