import type { JoinGate, JoinGateOptions } from '../domain/join-service-throttle.ts';
import type { TicketStore } from '../domain/join-service.ts';
import type { SignalCluster } from '../signal/signal-cluster.ts';
import { RedisJoinThrottle } from './join-throttle-redis.ts';
import { connectRedis } from './redis.ts';
import { RedisSignalCluster } from './signal-cluster-redis.ts';
import { RedisTicketStore } from './tickets-redis.ts';

/**
 * What several brokers behind one load balancer must agree on, when
 * BECKON_REDIS_URL names a Redis: the join throttle and its tickets, and the
 * signaling rooms' owners and bus. Without it every part is the broker's own,
 * in memory (and stored state is shared through the database anyway: sign-in
 * failure counters, request statuses).
 */
export interface SharedState {
  cluster?: SignalCluster;
  joinThrottle?: (opts: JoinGateOptions) => JoinGate;
  tickets?: TicketStore;
  close(): Promise<void>;
}

export function openSharedState(redisUrl: string | undefined, prefix?: string): SharedState {
  if (!redisUrl) return { close: () => Promise.resolve() };
  const redis = connectRedis(redisUrl, prefix);
  const cluster = new RedisSignalCluster(redis);
  const throttles: RedisJoinThrottle[] = [];
  return {
    cluster,
    joinThrottle: (opts) => {
      const throttle = new RedisJoinThrottle(redis, opts);
      throttles.push(throttle);
      return throttle;
    },
    tickets: new RedisTicketStore(redis),
    async close() {
      for (const t of throttles) t.close();
      await cluster.close();
      await redis.close();
    },
  };
}
