import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BundleSource } from '../src/bundle/index.ts';

/** A bundle folder on disk. */
export class FsBundleSource implements BundleSource {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = resolve(dir);
  }
  async read(path: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(join(this.dir, path)));
  }
  describe(path: string): string {
    return join(this.dir, path);
  }
}
