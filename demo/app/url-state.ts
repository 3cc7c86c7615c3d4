/** The demo's settings live in the URL so a reload (and a shared link) keeps them. */
export interface DemoSettings {
  workflow?: string;
  /** Test/demo hook: `failing` makes the classifier factory reject, to show the error path. */
  classifier?: string;
  session?: string;
}

export function readSettings(location: Location): DemoSettings {
  const p = new URLSearchParams(location.search);
  return { workflow: p.get('workflow') ?? undefined, classifier: p.get('classifier') ?? undefined, session: p.get('session') ?? undefined };
}

export function writeWorkflow(location: Location, history: History, workflow: string): void {
  const url = new URL(location.href);
  url.searchParams.set('workflow', workflow);
  history.replaceState(null, '', url);
}
