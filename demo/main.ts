import { startDemo } from './app/app.ts';

startDemo(document).catch((err: unknown) => {
  console.error(err);
  const p = document.createElement('p');
  p.className = 'fatal';
  p.textContent = `The demo failed to start: ${err instanceof Error ? err.message : String(err)}`;
  document.body.prepend(p);
});
