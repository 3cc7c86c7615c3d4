/**
 * What a browser-only consumer pays: node_modules after `npm install fastworkflow-web zod` (the packed
 * tarball), and the page's JavaScript (gzip; without onnxruntime-web's wasm and the model), measured on
 * the standalone build (the whole runtime + <fw-chat> + zod, main thread and Worker).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface PackageSize {
  tarballMB: number;
  consumerNodeModulesMB: number;
  /** What every page loads (main thread + Worker), and onnxruntime-web's chunks, loaded only for an encoder other than the built-in one. */
  pageJsGzipKB: { mainThread: number; worker: number; total: number; onnxruntimeWebOnlyForOtherEncoders: number };
}

const REPO = new URL('..', import.meta.url).pathname;

export function benchPackageSize(): PackageSize {
  const work = mkdtempSync(join(tmpdir(), 'fw-bench-pkg-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
  try {
    const pack = spawnSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: REPO, env, encoding: 'utf8' });
    if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr.slice(-500)}`);
    const tarball = join(work, pack.stdout.trim().split('\n').pop()!);
    const consumer = join(work, 'consumer');
    execFileSync('mkdir', ['-p', consumer]);
    writeFileSync(join(consumer, 'package.json'), '{ "name": "consumer", "private": true }\n');
    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', tarball, 'zod@4'], { cwd: consumer, env, encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`npm install of the tarball failed: ${install.stderr.slice(-500)}`);
    const du = (p: string) => Number(execFileSync('du', ['-sk', p], { encoding: 'utf8' }).split('\t')[0]) / 1024;
    const standalone = join(REPO, 'dist/standalone');
    const js = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => join(dir, f));
    const gz = (files: string[]) => files.reduce((n, f) => n + gzipSync(readFileSync(f), { level: 9 }).length, 0) / 1024;
    // onnxruntime-web's JavaScript is a chunk of its own that the Worker imports only for an encoder
    // other than the built-in one: counted apart from what every page loads.
    const assets = js(join(standalone, 'assets'));
    const isOrt = (f: string) => /\/ort\.[^/]*\.js$/.test(f);
    const worker = gz(assets.filter((f) => !isOrt(f)));
    const ortChunks = gz(assets.filter(isOrt));
    const main = gz(js(standalone));
    return {
      tarballMB: round(du(tarball)),
      consumerNodeModulesMB: round(du(join(consumer, 'node_modules'))),
      pageJsGzipKB: { mainThread: round(main), worker: round(worker), total: round(main + worker), onnxruntimeWebOnlyForOtherEncoders: round(ortChunks) },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 10) / 10;

if (import.meta.url === `file://${process.argv[1]}`) console.log(benchPackageSize());
