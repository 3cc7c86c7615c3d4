import { ErrorCode, FastWorkflowError } from '../errors.ts';
import type { BundleCopies, BundleSource, KeptCopy } from './load-bundle.ts';

export const BUNDLE_CACHE = 'fastworkflow-bundles-v1';

/** The response header that records which content (sha256 from the manifest) a kept copy was checked against. */
export const COPY_HASH_HEADER = 'x-fastworkflow-sha256';
/** The response header that records the kept copy's checksum (src/util/checksum.ts), checked on every load. */
export const COPY_CHECKSUM_HEADER = 'x-fastworkflow-checksum';

/**
 * A bundle over HTTP (pages and workers). Files that passed their hash check are kept in Cache
 * Storage with that hash, so a later visit reads unchanged files from there (no download), a
 * changed bundle downloads only what changed, and a trained workflow keeps working offline.
 */
export class FetchBundleSource implements BundleSource {
  readonly baseUrl: string;
  /** Checked copies in Cache Storage; undefined where the platform has none (Node). */
  readonly copies: BundleCopies | undefined;
  private cache?: Promise<Cache | undefined>;

  constructor(baseUrl: string, private readonly cacheName: string = BUNDLE_CACHE) {
    this.baseUrl = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
    this.copies = typeof caches === 'undefined' ? undefined : new CacheStorageCopies(() => this.openCache(), (path) => this.describe(path));
  }

  describe(path: string): string {
    return new URL(path, this.baseUrl).href;
  }

  /** From the network (revalidated); the kept copy when the network is unavailable. */
  async read(path: string, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const url = this.describe(path);
    let response: Response | undefined;
    try {
      response = await fetch(url, { signal: options.signal, cache: 'no-cache' });
    } catch (err) {
      if (options.signal?.aborted) throw err;
      response = undefined; // offline: fall back to the cache
    }
    if (response?.ok) return new Uint8Array(await response.arrayBuffer());
    const cached = await (await this.openCache())?.match(url);
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

/** Copies in a Cache Storage cache, one per file URL, tagged with the hash they were checked against. */
class CacheStorageCopies implements BundleCopies {
  constructor(
    private readonly open: () => Promise<Cache | undefined>,
    private readonly url: (path: string) => string,
  ) {}

  async get(path: string, sha256: string): Promise<KeptCopy | undefined> {
    const hit = await (await this.open())?.match(this.url(path));
    if (!hit || hit.headers.get(COPY_HASH_HEADER) !== sha256) return undefined;
    const kept = hit.headers.get(COPY_CHECKSUM_HEADER);
    return { bytes: new Uint8Array(await hit.arrayBuffer()), ...(kept ? { checksum: kept } : {}) };
  }

  async put(path: string, sha256: string, bytes: Uint8Array, checksum: string): Promise<void> {
    const headers = { 'content-type': 'application/octet-stream', [COPY_HASH_HEADER]: sha256, [COPY_CHECKSUM_HEADER]: checksum };
    await (await this.open())?.put(this.url(path), new Response(bytes as Uint8Array<ArrayBuffer>, { headers }));
  }

  async delete(path: string): Promise<void> {
    await (await this.open())?.delete(this.url(path));
  }
}
