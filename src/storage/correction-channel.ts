import type { CorrectionChange } from '../session/corrections.ts';

type Listener = (change: CorrectionChange) => void;

/**
 * Tells other tabs (and other listeners in this one) that a correction was recorded or removed, over a
 * BroadcastChannel. Without BroadcastChannel only this instance's listeners hear about changes; other
 * tabs then see them when their session opens.
 */
export class CorrectionChangeChannel {
  private channel?: BroadcastChannel;
  private readonly listeners = new Set<Listener>();

  constructor(readonly name: string) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (!this.channel && typeof BroadcastChannel !== 'undefined') {
      const channel = new BroadcastChannel(this.name);
      channel.onmessage = (e: MessageEvent) => {
        const change = e.data as CorrectionChange | undefined;
        if (!change || (change.type !== 'recorded' && change.type !== 'removed') || typeof change.correction?.id !== 'string') return;
        this.emit(change);
      };
      // Node: a listening channel must not keep the process alive.
      (channel as unknown as { unref?: () => void }).unref?.();
      this.channel = channel;
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.channel?.close();
        this.channel = undefined;
      }
    };
  }

  post(change: CorrectionChange): void {
    this.emit(change);
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = this.channel ?? new BroadcastChannel(this.name);
    channel.postMessage(change);
    if (channel !== this.channel) channel.close();
  }

  private emit(change: CorrectionChange): void {
    for (const l of [...this.listeners]) l(change);
  }
}
