import { ErrorCode } from '@beckon/protocol';
import { addressKey } from '../domain/address-key.ts';
import { ApiError } from '../domain/api-error.ts';
import {
  GLOBAL_BUDGET,
  type JoinGate,
  type JoinGateOptions,
  type SpentBudget,
} from '../domain/join-service-throttle.ts';
import { JOIN_THROTTLE_LUA } from './join-throttle-lua.ts';
import type { SharedRedis } from './redis.ts';

type Reply = [verdict: 'ok' | 'refuse', waitMs: string, spentSince: string, justSpent: number];

/** How often a broker that saw no lookup asks whether the budget is still spent (for `spentAt`). */
const SPENT_POLL_MS = 2000;

/**
 * The join throttle shared by every broker on one Redis: the same rules as
 * `JoinThrottle`, run by one Lua script per lookup and per miss
 * (join-throttle-lua.ts), so a guesser who spreads wrong codes over several
 * brokers is counted once. The broker whose miss spent the budget is the one
 * that raises the alarm, so it is raised once per attack, not once per broker.
 */
export class RedisJoinThrottle implements JoinGate {
  readonly budget: number;
  private readonly redis: SharedRedis;
  private readonly key: string;
  private readonly ipv6Prefix: number;
  private readonly onSpent: (info: SpentBudget) => void;
  private spentSince: number | null = null;
  private readonly poll: NodeJS.Timeout;

  constructor(redis: SharedRedis, opts: JoinGateOptions & { name?: string } = {}) {
    this.redis = redis;
    this.key = `${redis.prefix}throttle:${opts.name ?? 'join'}:`;
    this.ipv6Prefix = opts.ipv6Prefix ?? 64;
    this.budget = opts.budget ?? GLOBAL_BUDGET;
    this.onSpent = opts.onSpent ?? (() => {});
    redis.cmd.defineCommand('beckonJoinThrottle', { numberOfKeys: 1, lua: JOIN_THROTTLE_LUA });
    this.poll = setInterval(() => void this.run('peek', '', 0).catch(() => {}), SPENT_POLL_MS);
    this.poll.unref();
  }

  async admit(ip: string, t: number): Promise<void> {
    const [verdict, waitMs] = await this.run('admit', addressKey(ip, this.ipv6Prefix), t);
    if (verdict === 'refuse') refuse(Number(waitMs));
  }

  async miss(ip: string, t: number): Promise<void> {
    await this.run('miss', addressKey(ip, this.ipv6Prefix), t);
  }

  /** As last seen by this broker (refreshed every 2 s): the alarm shown to an administrator signing in. */
  spentAt(): number | null {
    return this.spentSince;
  }

  /** Whether the budget is spent at `t`, asked of Redis now. */
  async spentAtNow(t: number): Promise<number | null> {
    await this.run('spent', '', t);
    return this.spentSince;
  }

  close(): void {
    clearInterval(this.poll);
  }

  private async run(op: 'admit' | 'miss' | 'spent' | 'peek', key: string, t: number): Promise<Reply> {
    const cmd = this.redis.cmd as unknown as {
      beckonJoinThrottle(k: string, ...args: (string | number)[]): Promise<Reply>;
    };
    const reply = await cmd.beckonJoinThrottle(this.key, op, key, t, this.budget);
    this.spentSince = reply[2] === '' ? null : Number(reply[2]);
    if (reply[3] >= 0) this.onSpent({ at: t, addresses: reply[3] });
    return reply;
  }
}

function refuse(ms: number): never {
  const retry = Math.max(1, Math.ceil(ms / 1000));
  throw new ApiError(
    429,
    ErrorCode.RATE_LIMITED,
    'too many wrong codes; wait and try again',
    { retryAfter: retry },
    { 'retry-after': String(retry) },
  );
}
