import { randomUUID } from 'node:crypto';
import { ClusterMessageSchema, parseWith, type ClusterMessage } from '@beckon/protocol';

/**
 * What the signaling hub needs from the brokers it shares requests with: who
 * holds each room (one owner, by a lease the owner keeps renewing), who is
 * still alive, and a bus to reach another broker or all of them. One broker
 * alone is a cluster of one (`MemoryCluster`); several share one on Redis
 * (`RedisSignalCluster` in src/cluster/, BECKON_REDIS_URL).
 */
export interface SignalCluster {
  readonly brokerId: string;
  /** Takes the room unless a live broker holds it; answers who holds it now. */
  claim(room: string): Promise<string>;
  /** The room's holder while its lease runs; null when nobody holds it. */
  ownerOf(room: string): Promise<string | null>;
  /** Keeps this broker's leases (its rooms) and its own liveness. */
  renew(rooms: string[]): Promise<void>;
  /** Lets the room go, if this broker holds it. */
  release(room: string): Promise<void>;
  /** Which of these brokers are alive. */
  alive(brokers: string[]): Promise<Set<string>>;
  send(to: string, message: ClusterMessage): void;
  /** To every other broker. */
  broadcast(message: ClusterMessage): void;
  onMessage(handler: (message: ClusterMessage) => void): () => void;
  close(): Promise<void>;
}

/**
 * Parses a bus message: written by a broker of this installation, checked like
 * any input. `unless` drops a message from that broker before the check (a
 * broker hears its own broadcasts on the shared channel).
 */
export function parseClusterMessage(text: string, unless?: string): ClusterMessage | null {
  try {
    const value: unknown = JSON.parse(text);
    if (unless !== undefined && (value as { from?: unknown } | null)?.from === unless) return null;
    const parsed = parseWith(ClusterMessageSchema, value);
    return parsed.ok ? parsed.value : null;
  } catch {
    return null;
  }
}

/**
 * Brokers in one process sharing rooms through memory: one broker's default,
 * and several in-process brokers in tests. Messages go through JSON and are
 * delivered on a later turn, as over Redis.
 */
export class MemoryCluster {
  private readonly owners = new Map<string, string>();
  private readonly members = new Map<string, Set<(m: ClusterMessage) => void>>();

  member(brokerId: string = randomUUID()): SignalCluster {
    const handlers = new Set<(m: ClusterMessage) => void>();
    this.members.set(brokerId, handlers);
    const deliver = (to: string, message: ClusterMessage) => {
      const text = JSON.stringify(message);
      setImmediate(() => {
        const parsed = parseClusterMessage(text);
        if (parsed) for (const h of this.members.get(to) ?? []) h(parsed);
      });
    };
    return {
      brokerId,
      claim: (room) => {
        const holder = this.owners.get(room);
        if (holder === undefined || !this.members.has(holder)) this.owners.set(room, brokerId);
        return Promise.resolve(this.owners.get(room) ?? brokerId);
      },
      ownerOf: (room) => {
        const holder = this.owners.get(room);
        return Promise.resolve(holder !== undefined && this.members.has(holder) ? holder : null);
      },
      renew: () => Promise.resolve(),
      release: (room) => {
        if (this.owners.get(room) === brokerId) this.owners.delete(room);
        return Promise.resolve();
      },
      alive: (brokers) => Promise.resolve(new Set(brokers.filter((b) => this.members.has(b)))),
      send: deliver,
      broadcast: (message) => {
        for (const id of this.members.keys()) if (id !== brokerId) deliver(id, message);
      },
      onMessage: (handler) => {
        handlers.add(handler);
        return () => handlers.delete(handler);
      },
      close: () => {
        // Like a process that is gone: its leases end with it.
        this.members.delete(brokerId);
        return Promise.resolve();
      },
    };
  }
}
