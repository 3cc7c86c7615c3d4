/** The CLI from the sources (`node --import tsx trainer-node/main.ts …`), as a user runs it, collecting its output and exit code. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const CLI_MAIN = new URL('../../../trainer-node/main.ts', import.meta.url).pathname;
/** tsx's loader by path, so the CLI also runs with another working directory (a temporary project). */
const TSX = new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<CliResult> {
  const child = run('node', ['--import', TSX, CLI_MAIN, ...args], { timeout: options.timeout ?? 60_000, ...(options.cwd ? { cwd: options.cwd } : {}), ...(options.env ? { env: options.env } : {}) });
  child.child.stdin!.end(options.input ?? '');
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
