import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * The connections one broker keeps to the Redis that several brokers share
 * (BECKON_REDIS_URL): one for commands and scripts, one for subscriptions
 * (a subscribed connection can do nothing else). `brokerId` names this broker
 * process on the bus; it is new on every start, so a restarted broker is a
 * new member, never mistaken for the one that died.
 */
export interface SharedRedis {
  cmd: Redis;
  sub: Redis;
  brokerId: string;
  /** Keys of this Beckon installation start with it, so one Redis can serve tests side by side. */
  prefix: string;
  close(): Promise<void>;
}

export function connectRedis(url: string, prefix = 'beckon:'): SharedRedis {
  const options = {
    // A command waits at most a few retries for a lost connection, then fails
    // (the request gets a 500) rather than hanging the broker.
    maxRetriesPerRequest: 3,
    enableAutoPipelining: true,
    connectionName: 'beckon-broker',
  };
  const cmd = new Redis(url, options);
  const sub = new Redis(url, options);
  // ioredis reconnects by itself; an unhandled 'error' event would kill the process.
  cmd.on('error', () => {});
  sub.on('error', () => {});
  return {
    cmd,
    sub,
    brokerId: randomUUID(),
    prefix,
    async close() {
      await Promise.allSettled([cmd.quit(), sub.quit()]);
    },
  };
}
