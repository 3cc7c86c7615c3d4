import { normalizeText } from '../text/normalize.ts';

/** "This utterance, in this context, meant this command" — recorded when the user corrects a routing. */
export interface Correction {
  id: string;
  workflow: string;
  /** The session that made it (device scope shares it with every session of the workflow). */
  sessionId: string;
  context: string;
  utterance: string;
  command: string;
  /** How it was made: picked after an ambiguity, after "you misunderstood", or imported from a file. */
  source: 'ambiguity' | 'misunderstood' | 'imported';
  at: number;
}

/**
 * Who learns from a correction: `session` — only the conversation that made it (the default);
 * `device` — every session of the same workflow using the same store (one browser profile, one
 * corrections file in the terminal).
 */
export type CorrectionScope = 'session' | 'device';

export const CORRECTION_SCOPES: readonly CorrectionScope[] = ['session', 'device'];

export interface CorrectionQuery {
  workflow: string;
  /** The asking session; omitted: a correction made by any session of the workflow (device scope). */
  sessionId?: string;
  context: string;
  utterance: string;
}

/** A correction was recorded or removed (by this store instance, or another tab of the same database). */
export type CorrectionChange = { type: 'recorded'; correction: Correction } | { type: 'removed'; correction: Correction };

/** Persisted corrections, consulted before the classifier. */
export interface CorrectionStore {
  /**
   * Record a correction. It replaces the earlier correction of the same phrase in the same context
   * of the same session — or, with `scope: 'device'`, of any session of the workflow.
   */
  record(correction: Correction, options?: { scope?: CorrectionScope }): Promise<void>;
  /** The latest correction of this phrase (normalised) in this context. */
  find(query: CorrectionQuery): Promise<Correction | undefined>;
  /** A workflow's corrections (of one session, if given), oldest first. */
  list(workflow: string, sessionId?: string): Promise<Correction[]>;
  /** Undo a correction; resolves with it (undefined when there was none with this id). */
  remove(id: string): Promise<Correction | undefined>;
  /** Hear about corrections recorded or removed (other tabs included, where the store can tell). */
  subscribe?(listener: (change: CorrectionChange) => void): () => void;
}

/** The key a phrase is looked up by (lower case, collapsed spaces, no surrounding punctuation). */
export function correctionKey(utterance: string): string {
  return normalizeText(utterance);
}

/** The corrections a session in this scope learns from. */
export function inScope(c: Pick<Correction, 'workflow' | 'sessionId'>, workflow: string, sessionId: string, scope: CorrectionScope): boolean {
  return c.workflow === workflow && (scope === 'device' || c.sessionId === sessionId);
}

/** Two corrections of the same phrase, context and (in session scope) session: the later replaces the earlier. */
export function samePhrase(a: Correction, b: Correction, scope: CorrectionScope): boolean {
  return a.workflow === b.workflow && a.context === b.context && (scope === 'device' || a.sessionId === b.sessionId) && correctionKey(a.utterance) === correctionKey(b.utterance);
}

/** The latest of `items` that answers `q` (same workflow, context and phrase; its session when given). */
export function findCorrection(items: readonly Correction[], q: CorrectionQuery): Correction | undefined {
  const key = correctionKey(q.utterance);
  const found = items.filter((c) => c.workflow === q.workflow && (q.sessionId === undefined || c.sessionId === q.sessionId) && c.context === q.context && correctionKey(c.utterance) === key);
  return found.sort((a, b) => a.at - b.at).at(-1);
}

/** A workflow's corrections among `items` (of one session, if given), oldest first. */
export function listCorrections(items: readonly Correction[], workflow: string, sessionId?: string): Correction[] {
  return items.filter((c) => c.workflow === workflow && (!sessionId || c.sessionId === sessionId)).sort((a, b) => a.at - b.at);
}

export class MemoryCorrectionStore implements CorrectionStore {
  private readonly items: Correction[] = [];
  private readonly listeners = new Set<(change: CorrectionChange) => void>();

  async record(correction: Correction, options: { scope?: CorrectionScope } = {}): Promise<void> {
    const scope = options.scope ?? 'session';
    for (let i = this.items.length - 1; i >= 0; i--) if (samePhrase(this.items[i], correction, scope)) this.items.splice(i, 1);
    this.items.push({ ...correction });
    this.emit({ type: 'recorded', correction: { ...correction } });
  }

  async find(q: CorrectionQuery): Promise<Correction | undefined> {
    const latest = findCorrection(this.items, q);
    return latest && { ...latest };
  }

  async list(workflow: string, sessionId?: string): Promise<Correction[]> {
    return listCorrections(this.items, workflow, sessionId).map((c) => ({ ...c }));
  }

  async remove(id: string): Promise<Correction | undefined> {
    const i = this.items.findIndex((c) => c.id === id);
    if (i < 0) return undefined;
    const [removed] = this.items.splice(i, 1);
    this.emit({ type: 'removed', correction: { ...removed } });
    return { ...removed };
  }

  subscribe(listener: (change: CorrectionChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: CorrectionChange): void {
    for (const l of [...this.listeners]) l(change);
  }
}
