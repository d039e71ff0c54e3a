import { CHANGES_PER_MESSAGE, type ClusterMessage, type LiveServerMessage } from '@beckon/protocol';
import type { RequestService } from '../domain/request-service.ts';
import type { SignalCluster } from '../signal/signal-cluster.ts';

type Change = Extract<ClusterMessage, { t: 'changes' }>['changes'][number];

/**
 * Request changes and live-channel messages of one broker, told to the
 * others: an agent's console on broker A hears of a status change made on
 * broker B, a room held on A hears of a close made through B, and a managed
 * host's presence reaches agents on every broker. A change crosses as its id
 * and status; each broker tells its own listeners (live channel, rooms,
 * landing pages) as if it had made it, and reads the request from the shared
 * storage only when a listener needs all of it (a live channel with agents):
 * a read per change on every broker cost two brokers half their creates.
 */
export class ChangeFeed {
  private readonly cluster: SignalCluster;
  private relaying = false;
  private pending: Change[] = [];
  private readonly unsubscribe: (() => void)[];

  constructor(
    cluster: SignalCluster,
    requests: RequestService,
    pushLive: (orgId: string, message: LiveServerMessage) => void,
  ) {
    this.cluster = cluster;
    this.unsubscribe = [
      requests.onChange((org, change, _request, ref) => {
        // What another broker told us is not told back.
        if (!this.relaying) this.queue({ org, id: ref.id, change, status: ref.status });
      }),
      cluster.onMessage((m) => {
        if (m.t === 'live') return pushLive(m.org, m.message);
        if (m.t !== 'changes') return;
        this.relaying = true;
        try {
          for (const c of m.changes) requests.publishFrom(c.org, c.change, { id: c.id, status: c.status });
        } finally {
          this.relaying = false;
        }
      }),
    ];
  }

  /** Sends the changes of this turn of the event loop together, after it: one publish for a burst. */
  private queue(change: Change): void {
    this.pending.push(change);
    if (this.pending.length >= CHANGES_PER_MESSAGE) return this.flush();
    if (this.pending.length === 1) setImmediate(() => this.flush());
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const changes = this.pending;
    this.pending = [];
    this.cluster.broadcast({ t: 'changes', from: this.cluster.brokerId, changes });
  }

  /** A live-channel message made here (a managed host's presence), for the other brokers' agents. */
  live(orgId: string, message: LiveServerMessage): void {
    this.cluster.broadcast({ t: 'live', from: this.cluster.brokerId, org: orgId, message });
  }

  close(): void {
    this.flush();
    for (const u of this.unsubscribe) u();
  }
}
