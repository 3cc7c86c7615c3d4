/**
 * Where the CLI keeps things on a user's machine. Never inside the installed package:
 * - caches (converted encoders, downloaded models): $FASTWORKFLOW_CACHE, else $XDG_CACHE_HOME/fastworkflow,
 *   else <project>/node_modules/.cache/fastworkflow (the project = nearest folder with a package.json),
 *   else ~/.cache/fastworkflow;
 * - trained bundles: ./bundles/<workflow> under the current folder unless --out says otherwise.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function projectRoot(from: string = process.cwd()): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export function cacheRoot(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  if (env.FASTWORKFLOW_CACHE) return resolve(env.FASTWORKFLOW_CACHE);
  if (env.XDG_CACHE_HOME) return join(resolve(env.XDG_CACHE_HOME), 'fastworkflow');
  const project = projectRoot(cwd);
  if (project) return join(project, 'node_modules', '.cache', 'fastworkflow');
  return join(homedir(), '.cache', 'fastworkflow');
}

/** Converted and downloaded encoders. */
export function modelsDir(): string {
  return join(cacheRoot(), 'models');
}

/** Where the built-in offline encoder is prepared. */
export function defaultEncoderDir(): string {
  return join(modelsDir(), 'use-lite-en');
}

/** The default output folder of `train` for a workflow. */
export function defaultBundleDir(workflow: string, cwd: string = process.cwd()): string {
  return join(resolve(cwd), 'bundles', workflow);
}

/** The fastworkflow-web package's own folder (the repository, or node_modules/fastworkflow-web). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'fastworkflow-web') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`fastworkflow-web: cannot find the package folder above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** The example workflows: only in the repository (demo/workflows), not in the published package. */
export function examplesDir(): string | undefined {
  const dir = join(packageRoot(), 'demo', 'workflows');
  return existsSync(dir) ? dir : undefined;
}
