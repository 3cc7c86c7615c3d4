/** The Vite plugin's cross-origin isolation option, on a real Vite dev server. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServer, type ViteDevServer } from 'vite';
import { fastworkflow } from '../../trainer-node/vite-plugin.ts';

const root = mkdtempSync(join(tmpdir(), 'fw-vite-plugin-'));
writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
const servers: ViteDevServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(root, { recursive: true, force: true });
});

async function headersOf(crossOriginIsolated: boolean | undefined): Promise<Headers> {
  const server = await createServer({ configFile: false, root, logLevel: 'silent', plugins: [fastworkflow({ crossOriginIsolated })], server: { host: '127.0.0.1', port: 0 } });
  servers.push(server);
  await server.listen();
  const url = server.resolvedUrls!.local[0];
  return (await fetch(url)).headers;
}

describe('fastworkflow({ crossOriginIsolated })', () => {
  it('serves the app with COOP and COEP when asked (the built-in encoder then takes two threads)', async () => {
    const headers = await headersOf(true);
    expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(headers.get('cross-origin-embedder-policy')).toBe('require-corp');
  });

  it('adds neither header by default', async () => {
    const headers = await headersOf(undefined);
    expect(headers.get('cross-origin-opener-policy')).toBeNull();
    expect(headers.get('cross-origin-embedder-policy')).toBeNull();
  });
});
