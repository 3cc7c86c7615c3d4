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

/**
 * Tells other tabs (and other stores in this one) that a session changed, over a BroadcastChannel.
 * Without BroadcastChannel (very old browsers) only listeners of this instance hear about changes.
 */
export class SessionChangeChannel {
  private channel?: BroadcastChannel;
  private readonly listeners = new Set<SessionChangeListener>();

  constructor(readonly name: string) {}

  /** Listen to changes from this instance and from other tabs; returns the unsubscribe function. */
  subscribe(listener: SessionChangeListener): () => void {
    this.listeners.add(listener);
    this.connect();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.disconnect();
    };
  }

  post(change: SessionChange): void {
    for (const l of [...this.listeners]) l(change);
    if (typeof BroadcastChannel === 'undefined') return;
    // Posting needs no listener: use the open channel or a short-lived one.
    const channel = this.channel ?? new BroadcastChannel(this.name);
    channel.postMessage(change);
    if (channel !== this.channel) channel.close();
  }

  close(): void {
    this.listeners.clear();
    this.disconnect();
  }

  private connect(): void {
    if (this.channel || typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(this.name);
    channel.onmessage = (e: MessageEvent) => {
      const change = e.data as SessionChange | undefined;
      if (!change || typeof change.sessionId !== 'string') return;
      for (const l of [...this.listeners]) l(change);
    };
    // Node: a listening channel must not keep the process alive.
    (channel as unknown as { unref?: () => void }).unref?.();
    this.channel = channel;
  }

  private disconnect(): void {
    this.channel?.close();
    this.channel = undefined;
  }
}
