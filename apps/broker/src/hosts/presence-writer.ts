import type { HostPresenceInfo } from '@beckon/protocol';
import type { HostStore } from '../storage/host-types.ts';

/**
 * Last-seen times and presence are written in batches: after a broker
 * restart thousands of hosts come back within seconds, and one commit per
 * host would keep the disk busy for as long. What is pending is also what
 * the read model shows, so nobody sees an older value in between.
 */
export class PresenceWriter {
  private pending = new Map<string, { id: string; lastSeenAt: string; presence?: HostPresenceInfo }>();
  private readonly timer: NodeJS.Timeout;
  private readonly store: HostStore;
  private readonly onError: (error: unknown) => void;

  constructor(store: HostStore, flushMs: number, onError: (error: unknown) => void) {
    this.store = store;
    this.onError = onError;
    this.timer = setInterval(() => void this.flush(), flushMs);
    this.timer.unref();
  }

  touch(id: string, lastSeenAt: string, presence?: HostPresenceInfo): void {
    const before = this.pending.get(id);
    this.pending.set(id, { id, lastSeenAt, presence: presence ?? before?.presence });
  }

  /** The newest last-seen time not yet written. */
  pendingLastSeen(id: string): string | null {
    return this.pending.get(id)?.lastSeenAt ?? null;
  }

  /** Forgets a deleted host, so a late flush writes nothing for it. */
  forget(id: string): void {
    this.pending.delete(id);
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.store.touchMany(batch);
    } catch (error) {
      this.onError(error);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
