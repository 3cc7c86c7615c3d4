import { ErrorCode, FastWorkflowError } from '../errors.ts';
import type { BundleSource } from './load-bundle.ts';

export const BUNDLE_CACHE = 'fastworkflow-bundles-v1';

/**
 * A bundle over HTTP (pages and workers). Every file fetched is kept in Cache Storage, and read from
 * there when the network is unavailable, so a trained workflow keeps working offline.
 */
export class FetchBundleSource implements BundleSource {
  readonly baseUrl: string;
  private cache?: Promise<Cache | undefined>;

  constructor(baseUrl: string, private readonly cacheName: string = BUNDLE_CACHE) {
    this.baseUrl = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  }

  describe(path: string): string {
    return new URL(path, this.baseUrl).href;
  }

  async read(path: string, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const url = this.describe(path);
    const cache = await this.openCache();
    let response: Response | undefined;
    try {
      response = await fetch(url, { signal: options.signal, cache: 'no-cache' });
    } catch (err) {
      if (options.signal?.aborted) throw err;
      response = undefined; // offline: fall back to the cache
    }
    if (response?.ok) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      await cache?.put(url, new Response(bytes.slice(), { headers: { 'content-type': response.headers.get('content-type') ?? 'application/octet-stream' } }));
      return bytes;
    }
    const cached = await cache?.match(url);
    if (cached) return new Uint8Array(await cached.arrayBuffer());
    const why = response ? `HTTP ${response.status} ${response.statusText}`.trim() : 'the network is unavailable and it is not cached';
    throw new FastWorkflowError(ErrorCode.BundleInvalid, `Cannot load ${url}: ${why}. Check the bundle URL (it must point to the folder written by \`fastworkflow train\`).`, { url });
  }

  /** The Cache Storage cache, when the platform has one (not in Node). */
  openCache(): Promise<Cache | undefined> {
    this.cache ??= typeof caches === 'undefined' ? Promise.resolve(undefined) : caches.open(this.cacheName).catch(() => undefined);
    return this.cache;
  }
}
