/**
 * Tells other tabs (and other listeners in this one) about a change, over a BroadcastChannel.
 * Without BroadcastChannel only this instance's listeners hear about changes. Messages from other
 * tabs that fail `accepts` are ignored.
 */
export class ChangeChannel<Change> {
  private channel?: BroadcastChannel;
  private readonly listeners = new Set<(change: Change) => void>();

  constructor(
    readonly name: string,
    private readonly accepts: (data: unknown) => data is Change,
  ) {}

  /** Listen to changes from this instance and from other tabs; returns the unsubscribe function. */
  subscribe(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    this.connect();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.disconnect();
    };
  }

  post(change: Change): void {
    this.emit(change);
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

  private emit(change: Change): void {
    for (const l of [...this.listeners]) l(change);
  }

  private connect(): void {
    if (this.channel || typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(this.name);
    channel.onmessage = (e: MessageEvent) => {
      if (this.accepts(e.data)) this.emit(e.data);
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
