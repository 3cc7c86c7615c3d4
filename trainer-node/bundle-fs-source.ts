import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ErrorCode, FastWorkflowError } from '../src/index.ts';
import type { BundleSource } from '../src/bundle/index.ts';

/** A bundle folder on disk. */
export class FsBundleSource implements BundleSource {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = resolve(dir);
  }
  async read(path: string): Promise<Uint8Array> {
    const file = join(this.dir, path);
    if (path === 'manifest.json' && !existsSync(file)) {
      const what = existsSync(this.dir) ? `${this.dir} has no manifest.json` : `${this.dir} does not exist`;
      throw new FastWorkflowError(ErrorCode.BundleInvalid, `No trained bundle there: ${what}. Pass the folder \`fastworkflow train\` wrote (default ./bundles/<workflow>), or train one.`, { path: this.dir });
    }
    return new Uint8Array(await readFile(file));
  }
  describe(path: string): string {
    return join(this.dir, path);
  }
}
