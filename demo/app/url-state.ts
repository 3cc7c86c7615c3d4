/** The demo's settings live in the URL so a reload (and a shared link) keeps them. */
export interface DemoSettings {
  workflow?: string;
  /**
   * Intent detection: default the trained bundle (`/bundles/<workflow>/`, made by `npm run demo`);
   * `lexical` forces the training-free classifier; `failing` simulates a model that cannot load.
   */
  classifier?: string;
  /** Another bundle URL (e.g. to try a damaged one). */
  bundle?: string;
  session?: string;
  /** Where onnxruntime-web's wasm files are (default /ort/), e.g. to try a page served without them. */
  ort?: string;
}

export function readSettings(location: Location): DemoSettings {
  const p = new URLSearchParams(location.search);
  return { workflow: p.get('workflow') ?? undefined, classifier: p.get('classifier') ?? undefined, bundle: p.get('bundle') ?? undefined, session: p.get('session') ?? undefined, ort: p.get('ort') ?? undefined };
}

export function writeWorkflow(location: Location, history: History, workflow: string): void {
  const url = new URL(location.href);
  url.searchParams.set('workflow', workflow);
  history.replaceState(null, '', url);
}
