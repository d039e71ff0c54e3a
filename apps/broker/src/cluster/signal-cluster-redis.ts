import type { ClusterMessage } from '@beckon/protocol';
import { parseClusterMessage, type SignalCluster } from '../signal/signal-cluster.ts';
import type { SharedRedis } from './redis.ts';

/**
 * A room's lease and a broker's liveness last this long unless renewed (every
 * second, RELAY_TICK_MS): a broker killed with SIGKILL loses its rooms to the
 * others within three seconds.
 */
export const LEASE_MS = 3000;

/** Renews the leases this broker holds (or that lapsed), never one another broker holds. */
const RENEW_LUA = `
for i, key in ipairs(KEYS) do
  local v = redis.call('GET', key)
  if (not v) or v == ARGV[1] then redis.call('SET', key, ARGV[1], 'PX', ARGV[2]) end
end
return 0`;
const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

interface Scripts {
  beckonRenew(n: number, ...args: string[]): Promise<number>;
  beckonRelease(key: string, me: string): Promise<number>;
}

/**
 * The brokers of one installation on one Redis: leases are keys with a
 * time to live (`room:<request id>` → the holder's broker id, `alive:<broker
 * id>`), and the bus is pub/sub, one channel per broker plus one for all.
 */
export class RedisSignalCluster implements SignalCluster {
  readonly brokerId: string;
  private readonly redis: SharedRedis;
  private readonly handlers = new Set<(m: ClusterMessage) => void>();
  private readonly own: string;
  private readonly all: string;
  private readonly scripts: Scripts;

  constructor(redis: SharedRedis) {
    this.redis = redis;
    this.brokerId = redis.brokerId;
    this.own = `${redis.prefix}bus:${this.brokerId}`;
    this.all = `${redis.prefix}bus:all`;
    redis.cmd.defineCommand('beckonRenew', { lua: RENEW_LUA });
    redis.cmd.defineCommand('beckonRelease', { numberOfKeys: 1, lua: RELEASE_LUA });
    this.scripts = redis.cmd as unknown as Scripts;
    redis.sub.on('message', (channel: string, text: string) => {
      const message = parseClusterMessage(text, channel === this.all ? this.brokerId : undefined);
      if (!message) return;
      for (const h of this.handlers) h(message);
    });
    void redis.sub.subscribe(this.own, this.all).catch(() => {});
  }

  async claim(room: string): Promise<string> {
    const key = this.roomKey(room);
    for (let i = 0; i < 3; i++) {
      if ((await this.redis.cmd.set(key, this.brokerId, 'PX', LEASE_MS, 'NX')) === 'OK') return this.brokerId;
      const holder = await this.redis.cmd.get(key);
      if (holder) return holder;
      // The lease ran out between the two commands: try again.
    }
    throw new Error('room lease contended');
  }

  ownerOf(room: string): Promise<string | null> {
    return this.redis.cmd.get(this.roomKey(room));
  }

  async renew(rooms: string[]): Promise<void> {
    const keys = [`${this.redis.prefix}alive:${this.brokerId}`, ...rooms.map((r) => this.roomKey(r))];
    await this.scripts.beckonRenew(keys.length, ...keys, this.brokerId, String(LEASE_MS));
  }

  async release(room: string): Promise<void> {
    await this.scripts.beckonRelease(this.roomKey(room), this.brokerId);
  }

  async alive(brokers: string[]): Promise<Set<string>> {
    if (brokers.length === 0) return new Set();
    const values = await this.redis.cmd.mget(brokers.map((b) => `${this.redis.prefix}alive:${b}`));
    return new Set(brokers.filter((_, i) => values[i] !== null));
  }

  send(to: string, message: ClusterMessage): void {
    void this.redis.cmd.publish(`${this.redis.prefix}bus:${to}`, JSON.stringify(message)).catch(() => {});
  }

  broadcast(message: ClusterMessage): void {
    void this.redis.cmd.publish(this.all, JSON.stringify(message)).catch(() => {});
  }

  onMessage(handler: (m: ClusterMessage) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await this.redis.cmd.del(`${this.redis.prefix}alive:${this.brokerId}`).catch(() => {});
  }

  private roomKey(room: string): string {
    return `${this.redis.prefix}room:${room}`;
  }
}
