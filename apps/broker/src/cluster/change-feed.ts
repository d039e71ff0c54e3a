import type { LiveServerMessage } from '@beckon/protocol';
import type { RequestService } from '../domain/request-service.ts';
import type { SignalCluster } from '../signal/signal-cluster.ts';
import type { Storage } from '../storage/types.ts';

/**
 * Request changes and live-channel messages of one broker, told to the
 * others: an agent's console on broker A hears of a status change made on
 * broker B, a room held on A hears of a close made through B, and a managed
 * host's presence reaches agents on every broker. A change crosses as its id;
 * each broker reads the request from the shared storage and tells its own
 * listeners (live channel, rooms, landing pages) as if it had made it.
 */
export class ChangeFeed {
  private readonly cluster: SignalCluster;
  private relaying = false;
  private readonly unsubscribe: (() => void)[];

  constructor(
    cluster: SignalCluster,
    requests: RequestService,
    storage: Storage,
    pushLive: (orgId: string, message: LiveServerMessage) => void,
  ) {
    this.cluster = cluster;
    const from = cluster.brokerId;
    this.unsubscribe = [
      requests.onChange((org, change, _request, ref) => {
        // What another broker told us is not told back.
        if (!this.relaying) cluster.broadcast({ t: 'change', from, org, id: ref.id, change });
      }),
      cluster.onMessage((m) => {
        if (m.t === 'live') return pushLive(m.org, m.message);
        if (m.t !== 'change') return;
        void storage.requests.get(m.org, m.id).then(
          (record) => {
            if (!record) return;
            this.relaying = true;
            try {
              requests.publish(m.change, record);
            } finally {
              this.relaying = false;
            }
          },
          () => {},
        );
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
