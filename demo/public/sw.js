// The demo's service worker: keeps a copy of everything the page fetched from its own origin (app
// shell, Worker script, onnxruntime-web wasm), so a later visit works with the network off.
// Network first (updates are picked up when online), the cache when offline. Trained bundles are
// left to the intent Worker, which keeps its own checked copies (Cache Storage, by sha256).
const CACHE = 'fastworkflow-demo-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/bundles/')) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const response = await fetch(request);
        if (!response.ok) return response;
        // Unchanged (same ETag): answered from the kept copy, nothing stored again (the wasm is megabytes).
        const etag = response.headers.get('etag');
        const kept = etag ? await cache.match(request) : undefined;
        if (kept && kept.headers.get('etag') === etag) {
          void response.body?.cancel();
          return kept;
        }
        await cache.put(request, response.clone());
        // A wasm file is answered from the stored copy: Chromium keeps the compiled code of a wasm
        // module served from Cache Storage (not of one passed through from the network), so the next
        // visit skips most of the compiling.
        if (response.headers.get('content-type') === 'application/wasm') return (await cache.match(request)) ?? response;
        return response;
      } catch (err) {
        const cached = await cache.match(request, { ignoreSearch: request.mode === 'navigate' });
        if (cached) return cached;
        throw err;
      }
    })(),
  );
});
