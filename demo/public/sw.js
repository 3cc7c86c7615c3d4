// The demo's service worker: keeps a copy of everything the page fetched from its own origin (app
// shell, Worker script, onnxruntime-web wasm, bundles), so a later visit works with the network off.
// Network first (updates are picked up when online), the cache when offline.
const CACHE = 'fastworkflow-demo-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const response = await fetch(request);
        // An unchanged response (same ETag) is not stored again: the wasm and the model are megabytes.
        const etag = response.headers.get('etag');
        const kept = etag && response.ok ? await cache.match(request) : undefined;
        if (response.ok && !(kept && kept.headers.get('etag') === etag)) await cache.put(request, response.clone());
        return response;
      } catch (err) {
        const cached = await cache.match(request, { ignoreSearch: request.mode === 'navigate' });
        if (cached) return cached;
        throw err;
      }
    })(),
  );
});
