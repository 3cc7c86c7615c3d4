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
        if (response.ok) await cache.put(request, response.clone());
        return response;
      } catch (err) {
        const cached = await cache.match(request, { ignoreSearch: request.mode === 'navigate' });
        if (cached) return cached;
        throw err;
      }
    })(),
  );
});
