import { startDemo } from './app/app.ts';

// Offline second visits (built demo only: the dev server changes files under the page's feet).
if (!import.meta.hot && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`).catch((err: unknown) => console.warn('service worker not registered:', err));
}

startDemo(document).catch((err: unknown) => {
  console.error(err);
  const p = document.createElement('p');
  p.className = 'fatal';
  p.textContent = `The demo failed to start: ${err instanceof Error ? err.message : String(err)}`;
  document.body.prepend(p);
});
