/**
 * Loads a user's workflow module for the CLI: an example name (in the repository), a folder holding
 * workflow.ts, or a module file. TypeScript is compiled with esbuild into one ES module (packages stay
 * imports of the user's project), so it loads whatever the project's "type" is. Every failure is one
 * clear message naming the file and the fix.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCode, FastWorkflowError, type WorkflowDefinition } from '../src/index.ts';
import { requirePeer } from './peer-deps.ts';
import { examplesDir, projectRoot } from './paths.ts';

const WORKFLOW_FILES = ['workflow.ts', 'workflow.mts', 'workflow.js', 'workflow.mjs', 'index.ts', 'index.js'];
const TS = new Set(['.ts', '.mts', '.cts', '.tsx']);
/** Running from the TypeScript sources (the repository under tsx): .ts files import natively. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** Names of the example workflows (the repository's demo/workflows; none in an installed package). */
export async function exampleNames(): Promise<string[]> {
  const dir = examplesDir();
  if (!dir) return [];
  return readdirSync(dir).filter((name) => existsSync(join(dir, name, 'workflow.ts'))).sort();
}

export async function loadWorkflow(spec: string): Promise<{ workflow: WorkflowDefinition<any>; source: string }> {
  const path = await locate(spec);
  const mod = await importModule(path);
  const workflow = (mod.default ?? mod.workflow) as WorkflowDefinition<any> | undefined;
  if (!workflow || typeof workflow !== 'object' || !Array.isArray((workflow as { contexts?: unknown }).contexts)) {
    throw new FastWorkflowError(ErrorCode.InvalidWorkflow, `${path} does not export a workflow. Add: export default defineWorkflow({ … }) (from 'fastworkflow-web').`);
  }
  return { workflow, source: path };
}

async function locate(spec: string): Promise<string> {
  let path = resolve(spec);
  const examples = examplesDir();
  if (!existsSync(path) && examples && existsSync(join(examples, spec, 'workflow.ts'))) return join(examples, spec, 'workflow.ts');
  if (existsSync(path) && statSync(path).isDirectory()) {
    const candidate = WORKFLOW_FILES.map((f) => join(path, f)).find((f) => existsSync(f));
    if (!candidate) throw new FastWorkflowError(ErrorCode.InvalidWorkflow, `Folder ${path} has no workflow.ts (or ${WORKFLOW_FILES.slice(1).join(' / ')}). Put the defineWorkflow() default export there.`);
    path = candidate;
  }
  if (!existsSync(path)) {
    const names = await exampleNames();
    const hint = names.length ? ` or an example (${names.join(', ')})` : '';
    throw new FastWorkflowError(ErrorCode.InvalidWorkflow, `No workflow "${spec}": ${path} does not exist. Pass a workflow file (workflow.ts), a folder holding one${hint}.`);
  }
  return path;
}

async function importModule(path: string): Promise<Record<string, unknown>> {
  const url = TS.has(extname(path)) && !FROM_SOURCE ? await compileTs(path) : pathToFileURL(path).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    throw explainImportError(err, path);
  }
}

/** Compile a TypeScript workflow (and its relative imports) into one ES module in the project's cache. */
async function compileTs(path: string): Promise<string> {
  const esbuild = await requirePeer<typeof import('esbuild')>('esbuild', 'load a TypeScript workflow');
  let result: import('esbuild').BuildResult<{ write: false }>;
  try {
    result = await esbuild.build({
      entryPoints: [path],
      bundle: true,
      packages: 'external',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      write: false,
      sourcemap: 'inline',
      logLevel: 'silent',
      absWorkingDir: dirname(path),
    });
  } catch (err) {
    const errors = (err as { errors?: { text: string; location?: { file: string; line: number; column: number; lineText: string } | null }[] }).errors;
    if (!errors?.length) throw err;
    const lines = errors.slice(0, 3).map((e) => {
      const at = e.location ? `${resolve(dirname(path), e.location.file)}:${e.location.line}:${e.location.column + 1}` : path;
      return `${at}: ${e.text}${e.location?.lineText ? `\n    ${e.location.lineText.trim()}` : ''}`;
    });
    throw new FastWorkflowError(ErrorCode.InvalidWorkflow, `The workflow ${path} does not compile:\n${lines.join('\n')}\nFix the file and run the command again.`);
  }
  // Written inside the workflow's project so that its packages resolve from its node_modules.
  const text = result.outputFiles[0].text;
  const root = projectRoot(dirname(path));
  const dir = root ? join(root, 'node_modules', '.cache', 'fastworkflow', 'workflows') : join(dirname(path), '.fastworkflow');
  const out = join(dir, `${basename(path, extname(path))}-${createHash('sha256').update(path).update(text).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(out)) {
    await mkdir(dir, { recursive: true });
    await writeFile(out, text);
  }
  return pathToFileURL(out).href;
}

function explainImportError(err: unknown, path: string): Error {
  if (err instanceof FastWorkflowError) return err;
  const e = err as NodeJS.ErrnoException & { message: string };
  const missing = /Cannot find (?:package|module) '([^']+)'/.exec(e.message ?? '');
  if (e.code === 'ERR_MODULE_NOT_FOUND' && missing) {
    const name = missing[1].startsWith('/') || missing[1].startsWith('.') ? missing[1] : missing[1].split('/').slice(0, missing[1].startsWith('@') ? 2 : 1).join('/');
    return new FastWorkflowError(ErrorCode.InvalidWorkflow, `The workflow ${path} imports "${name}", which this project does not have. Install it (npm install ${name}) or fix the import.`);
  }
  if (e.code === 'ERR_REQUIRE_CYCLE_MODULE' || e.code === 'ERR_REQUIRE_ESM') {
    return new FastWorkflowError(ErrorCode.InvalidWorkflow, `The workflow ${path} is loaded as CommonJS but imports ES modules. Name it workflow.mts, or add "type": "module" to the nearest package.json.`);
  }
  if (err instanceof SyntaxError) {
    return new FastWorkflowError(ErrorCode.InvalidWorkflow, `The workflow ${path} has a syntax error: ${err.message}. Fix the file and run the command again.`);
  }
  return new FastWorkflowError(ErrorCode.InvalidWorkflow, `Loading the workflow ${path} failed: ${e.message ?? String(err)}`);
}
