import { ChangeChannel } from './change-channel.ts';

/** A change to a stored session, announced to every store instance of the same database (all tabs). */
export interface SessionChange {
  type: 'saved' | 'deleted';
  sessionId: string;
  /** The revision now stored (for `saved`). */
  revision?: number;
  /** Which store instance made the change. */
  source: string;
}

export type SessionChangeListener = (change: SessionChange) => void;

/** Tells other tabs (and other stores in this one) that a session changed (see ChangeChannel). */
export class SessionChangeChannel extends ChangeChannel<SessionChange> {
  constructor(name: string) {
    super(name, (data): data is SessionChange => typeof (data as SessionChange | undefined)?.sessionId === 'string');
  }
}
