import { normalizeText } from '../text/normalize.ts';

/** "This utterance, in this context, meant this command" — recorded when the user corrects a routing. */
export interface Correction {
  id: string;
  workflow: string;
  sessionId: string;
  context: string;
  utterance: string;
  command: string;
  source: 'ambiguity' | 'misunderstood';
  at: number;
}

export interface CorrectionQuery {
  workflow: string;
  sessionId: string;
  context: string;
  utterance: string;
}

/** Persisted corrections, consulted before the classifier. Per session (upstream shares them: weak). */
export interface CorrectionStore {
  record(correction: Correction): Promise<void>;
  find(query: CorrectionQuery): Promise<Correction | undefined>;
  list(workflow: string, sessionId?: string): Promise<Correction[]>;
  /** Undo a correction. */
  remove(id: string): Promise<void>;
}

export function correctionKey(utterance: string): string {
  return normalizeText(utterance);
}

export class MemoryCorrectionStore implements CorrectionStore {
  private readonly items: Correction[] = [];

  async record(correction: Correction): Promise<void> {
    const key = correctionKey(correction.utterance);
    const i = this.items.findIndex((c) => c.workflow === correction.workflow && c.sessionId === correction.sessionId && c.context === correction.context && correctionKey(c.utterance) === key);
    if (i >= 0) this.items.splice(i, 1);
    this.items.push({ ...correction });
  }

  async find(q: CorrectionQuery): Promise<Correction | undefined> {
    const key = correctionKey(q.utterance);
    return this.items.findLast((c) => c.workflow === q.workflow && c.sessionId === q.sessionId && c.context === q.context && correctionKey(c.utterance) === key);
  }

  async list(workflow: string, sessionId?: string): Promise<Correction[]> {
    return this.items.filter((c) => c.workflow === workflow && (!sessionId || c.sessionId === sessionId)).map((c) => ({ ...c }));
  }

  async remove(id: string): Promise<void> {
    const i = this.items.findIndex((c) => c.id === id);
    if (i >= 0) this.items.splice(i, 1);
  }
}
