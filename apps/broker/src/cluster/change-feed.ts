import type { LiveServerMessage } from '@beckon/protocol';
import type { RequestService } from '../domain/request-service.ts';
import type { SignalCluster } from '../signal/signal-cluster.ts';

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
  private readonly unsubscribe: (() => void)[];

  constructor(
    cluster: SignalCluster,
    requests: RequestService,
    pushLive: (orgId: string, message: LiveServerMessage) => void,
  ) {
    this.cluster = cluster;
    const from = cluster.brokerId;
    this.unsubscribe = [
      requests.onChange((org, change, _request, ref) => {
        // What another broker told us is not told back.
        if (!this.relaying)
          cluster.broadcast({ t: 'change', from, org, id: ref.id, change, status: ref.status });
      }),
      cluster.onMessage((m) => {
        if (m.t === 'live') return pushLive(m.org, m.message);
        if (m.t !== 'change') return;
        this.relaying = true;
        try {
          requests.publishFrom(m.org, m.change, { id: m.id, status: m.status });
        } finally {
          this.relaying = false;
        }
      }),
    ];
  }

  /** A live-channel message made here (a managed host's presence), for the other brokers' agents. */
  live(orgId: string, message: LiveServerMessage): void {
    this.cluster.broadcast({ t: 'live', from: this.cluster.brokerId, org: orgId, message });
  }

  close(): void {
    for (const u of this.unsubscribe) u();
  }
}
