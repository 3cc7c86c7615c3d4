/**
 * `fastworkflow init <dir>`: a starter project — a workflow in TypeScript, a page with <fw-chat>, a
 * Vite config with the package's plugin, and the scripts train / dev / build / test.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from './paths.ts';
import { TRAINER_PACKAGES } from './peer-deps.ts';

export const INIT_HELP = `Usage: fastworkflow init <dir> [--name <workflow>] [--package <npm spec>]

Writes a starter project into <dir> (new or empty): workflow/workflow.ts, index.html + main.ts with
<fw-chat>, vite.config.ts with the fastworkflow-web/vite plugin, and the scripts
  npm run train   train the intent model into bundles/<workflow>
  npm run dev     serve the page (Vite)
  npm run build   static files in dist/ (page, Worker, wasm, bundle) for any static host
  npm test        one request through the terminal runner
--package sets how package.json names fastworkflow-web (default ^<this version>; e.g. a .tgz path).`;

export async function initCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, package: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help || positionals.length !== 1) {
    console.log(INIT_HELP);
    return values.help ? 0 : 2;
  }
  const dir = resolve(positionals[0]);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    console.error(`${dir} is not empty: fastworkflow init writes a new project. Pick a new folder.`);
    return 2;
  }
  const name = values.name ?? 'notes';
  if (!/^[a-z][a-z0-9_]*$/.test(name)) {
    console.error(`--name takes a workflow name in snake_case (letters, digits, _), not "${name}".`);
    return 2;
  }
  const own = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string; devDependencies: Record<string, string>; peerDependencies: Record<string, string> };
  const files = starterFiles({
    project: basename(dir).toLowerCase().replace(/[^a-z0-9-]+/g, '-') || 'fastworkflow-app',
    workflow: name,
    packageSpec: values.package ?? `^${own.version}`,
    versions: { ...own.peerDependencies, ...own.devDependencies },
  });
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), text);
  }
  console.log(`Wrote ${Object.keys(files).length} files into ${dir}. Next:\n\n  cd ${positionals[0]}\n  npm install && npm run train && npm run dev\n`);
  return 0;
}

interface StarterOptions {
  project: string;
  workflow: string;
  packageSpec: string;
  versions: Record<string, string>;
}

export function starterFiles(o: StarterOptions): Record<string, string> {
  const v = (pkg: string) => o.versions[pkg] ?? 'latest';
  const trainerDeps = Object.fromEntries(TRAINER_PACKAGES.map((p) => {
    const at = p.lastIndexOf('@');
    return at > 0 ? [p.slice(0, at), p.slice(at + 1)] : [p, v(p)];
  }));
  const pkg = {
    name: o.project,
    private: true,
    type: 'module',
    scripts: {
      train: `fastworkflow train workflow --out bundles/${o.workflow}`,
      dev: 'vite',
      build: 'vite build',
      preview: 'vite preview',
      test: `fastworkflow run workflow --startup-command "add a note buy oat milk" --keep-alive false`,
    },
    dependencies: { 'fastworkflow-web': o.packageSpec, zod: v('zod') },
    devDependencies: { ...trainerDeps, vite: v('vite') },
    // No install script is needed (esbuild's binary comes as a package); onnxruntime-node's would
    // download CUDA libraries if you add it. npm 11 asks about each otherwise.
    allowScripts: { esbuild: false, protobufjs: false, 'onnxruntime-node': false },
  };
  return {
    'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
    '.gitignore': 'node_modules/\ndist/\nbundles/\n',
    'README.md': readme(o.workflow),
    'workflow/workflow.ts': workflowSource(o.workflow),
    'index.html': indexHtml(o.workflow),
    'main.ts': mainSource(),
    'vite.config.ts': viteConfig(),
    'tsconfig.json': `${JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2023', 'DOM', 'DOM.Iterable'], strict: true, skipLibCheck: true, noEmit: true, allowImportingTsExtensions: true }, include: ['workflow', 'main.ts', 'vite.config.ts'] }, null, 2)}\n`,
  };
}

function readme(workflow: string): string {
  return `# ${workflow} — a fastworkflow-web app

\`\`\`sh
npm install && npm run train    # trains the intent model into bundles/${workflow}
npm run dev                     # the page with <fw-chat> at http://localhost:5173/
\`\`\`

- \`workflow/workflow.ts\`: the commands (zod signatures, seed utterances, handlers). Re-run \`npm run train\`
  after changing commands or utterances.
- \`npm run build\`: static files in \`dist/\` (page, intent Worker, onnxruntime-web wasm under \`ort/\`,
  the bundle under \`bundles/\`) for any static host.
- \`npm test\`: one request through the terminal runner (\`npx fastworkflow run workflow\` to talk to it).
`;
}

function workflowSource(name: string): string {
  return `import { z } from 'zod';
import { commandFor, defineWorkflow } from 'fastworkflow-web';

interface Notes {
  items: string[];
}
const command = commandFor<Notes, unknown>();

const addNote = command({
  name: 'add_note',
  description: 'Add a note.',
  input: z.object({ text: z.string().min(1).describe('what to write down').meta({ examples: ['buy milk', 'call the bank', 'book the dentist'] }) }),
  utterances: ['add a note {text}', 'note that {text}', 'write down {text}', 'remember {text}'],
  run: (ctx, { text }) => {
    ctx.app.items.push(text);
    const count = ctx.app.items.length;
    return { text: \`Noted: \${text} (\${count} \${count === 1 ? 'note' : 'notes'}).\`, data: { count } };
  },
});

const listNotes = command({
  name: 'list_notes',
  description: 'List the notes.',
  utterances: ['list my notes', 'show the notes', 'what did I write down', 'what are my notes'],
  run: (ctx) => ({ text: ctx.app.items.length ? ctx.app.items.map((n, i) => \`\${i + 1}. \${n}\`).join('\\n') : 'No notes yet.' }),
});

export default defineWorkflow<Notes>({
  name: '${name}',
  description: 'Keeps notes.',
  contexts: [{ name: '*', commands: [addNote, listNotes] }],
  createApp: () => ({ items: [] }),
});
`;
}

function indexHtml(workflow: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${workflow}</title>
    <style>
      body { font-family: system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; }
      fw-chat { height: 70vh; }
    </style>
  </head>
  <body>
    <h1>${workflow}</h1>
    <fw-chat bundle="/bundles/${workflow}/" session-id="local"></fw-chat>
    <script type="module" src="/main.ts"></script>
  </body>
</html>
`;
}

function mainSource(): string {
  return `import 'fastworkflow-web/fw-chat';
import workflow from './workflow/workflow.ts';

const chat = document.querySelector('fw-chat')!;
chat.workflow = workflow; // your application objects and handlers run in the page
chat.addEventListener('fw-command', (e) => console.log(e.detail.command, e.detail.data));
`;
}

function viteConfig(): string {
  return `import { defineConfig } from 'vite';
import { fastworkflow } from 'fastworkflow-web/vite';

// Serves onnxruntime-web's wasm at /ort/ and the trained bundles at /bundles/, and copies both into the build.
export default defineConfig({
  plugins: [fastworkflow({ bundlesDir: 'bundles' })],
});
`;
}
