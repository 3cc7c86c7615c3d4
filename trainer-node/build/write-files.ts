/**
 * Writes the generated files: a new file as generated; an existing one with only its generated
 * regions brought up to date (regions.ts), so the user's edits stay. The plan is computed first, so
 * `--dry-run` prints exactly what a real run would do.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { GeneratedFiles } from './generate.ts';
import { mergeRegions, type MergeResult } from './regions.ts';

export type FileChange =
  | { kind: 'create'; file: string; text: string }
  | { kind: 'update'; file: string; text: string; merge: MergeResult }
  | { kind: 'unchanged'; file: string; merge: MergeResult };

export function planWrites(outDir: string, files: GeneratedFiles): FileChange[] {
  return Object.entries(files).map(([file, text]): FileChange => {
    const path = join(outDir, file);
    if (!existsSync(path)) return { kind: 'create', file, text };
    const existing = readFileSync(path, 'utf8');
    const merge = mergeRegions(existing, text);
    return merge.text === existing ? { kind: 'unchanged', file, merge } : { kind: 'update', file, text: merge.text, merge };
  });
}

export async function applyWrites(outDir: string, changes: FileChange[]): Promise<void> {
  for (const change of changes) {
    if (change.kind === 'unchanged') continue;
    const path = join(outDir, change.file);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, change.text);
  }
}

/** One line per file: what is (or would be) written. */
export function describeChanges(changes: FileChange[]): string[] {
  return changes.map((c) => {
    if (c.kind === 'create') return `  create    ${c.file}`;
    const m = c.merge;
    const detail = [
      m.changed.length ? `updated ${m.changed.join(', ')}` : '',
      m.added.length ? `added ${m.added.join(', ')}` : '',
      m.removed.length ? `removed ${m.removed.join(', ')}` : '',
      m.owned.length ? `left yours: ${m.owned.join(', ')}` : '',
    ].filter(Boolean).join('; ');
    return `  ${c.kind === 'update' ? 'update   ' : 'unchanged'} ${c.file}${detail ? ` (${detail})` : ''}`;
  });
}
