/**
 * Corrections in a JSON file, for the terminal runner: every `fastworkflow run` of a workflow on this
 * machine learns from each correction (device scope). One process at a time writes it (read, change,
 * write to a temporary file, rename); the file is created on the first correction.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ErrorCode, FastWorkflowError, type Correction, type CorrectionQuery, type CorrectionScope, type CorrectionStore } from '../src/index.ts';
import { findCorrection, listCorrections, samePhrase } from '../src/session/corrections.ts';
import { cacheRoot } from './paths.ts';

/** Where `run` keeps a workflow's corrections unless `--corrections-store` says otherwise. */
export function defaultCorrectionsFile(workflow: string): string {
  return join(cacheRoot(), 'corrections', `${workflow}.json`);
}

interface StoreFile {
  format: 'fastworkflow-corrections-store';
  version: 1;
  corrections: Correction[];
}

export class FileCorrectionStore implements CorrectionStore {
  constructor(readonly path: string) {}

  async record(correction: Correction, options: { scope?: CorrectionScope } = {}): Promise<void> {
    await this.recordAll([correction], options);
  }

  /** Record several corrections with one read and one write of the file (each as `record` would). */
  async recordAll(corrections: readonly Correction[], options: { scope?: CorrectionScope } = {}): Promise<void> {
    let all = await this.read();
    for (const correction of corrections) all = [...all.filter((c) => !samePhrase(c, correction, options.scope ?? 'session')), { ...correction }];
    await this.write(all);
  }

  async find(q: CorrectionQuery): Promise<Correction | undefined> {
    return findCorrection(await this.read(), q);
  }

  async list(workflow: string, sessionId?: string): Promise<Correction[]> {
    return listCorrections(await this.read(), workflow, sessionId);
  }

  async remove(id: string): Promise<Correction | undefined> {
    const all = await this.read();
    const found = all.find((c) => c.id === id);
    if (found) await this.write(all.filter((c) => c.id !== id));
    return found;
  }

  private async read(): Promise<Correction[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new FastWorkflowError(ErrorCode.StorageUnavailable, `Could not read the corrections store ${this.path}: ${(err as Error).message}.`);
    }
    try {
      const data = JSON.parse(text) as Partial<StoreFile>;
      if (data.format !== 'fastworkflow-corrections-store' || !Array.isArray(data.corrections)) throw new Error('not a corrections store');
      return data.corrections;
    } catch (err) {
      throw new FastWorkflowError(ErrorCode.StorageUnavailable, `${this.path} is not a corrections store (${(err as Error).message}). Move it away, or pass another file with --corrections-store.`);
    }
  }

  private async write(corrections: Correction[]): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const data: StoreFile = { format: 'fastworkflow-corrections-store', version: 1, corrections };
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(data, null, 1)}\n`);
    await rename(tmp, this.path);
  }
}
