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
 * A lookup it admits is in flight in Redis under a token of this broker's
 * until its miss or `settle` (see the script): a burst of concurrent guesses
 * over several brokers is held back exactly as on one.
 */
export class RedisJoinThrottle implements JoinGate {
  readonly budget: number;
  private readonly redis: SharedRedis;
  private readonly key: string;
  private readonly ipv6Prefix: number;
  private readonly onSpent: (info: SpentBudget) => void;
  private spentSince: number | null = null;
  private readonly poll: NodeJS.Timeout;
  /** Tokens of this broker's lookups in flight, per address key (any of one key's tokens will do). */
  private readonly flying = new Map<string, string[]>();
  /** Lookups whose miss already took them off the flight (their `settle` has nothing left to do). */
  private readonly landed = new Map<string, number>();
  private seq = 0;

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
    const key = addressKey(ip, this.ipv6Prefix);
    const token = `${this.redis.brokerId}:${++this.seq}`;
    const [verdict, waitMs] = await this.run('admit', key, t, token);
    if (verdict === 'refuse') refuse(Number(waitMs));
    const tokens = this.flying.get(key);
    if (tokens) tokens.push(token);
    else this.flying.set(key, [token]);
  }

  async miss(ip: string, t: number): Promise<void> {
    const key = addressKey(ip, this.ipv6Prefix);
    // The miss ends its lookup's flight in the same script: the next admit, on any broker, sees both at once.
    const token = this.take(key);
    if (token) this.landed.set(key, (this.landed.get(key) ?? 0) + 1);
    await this.run('miss', key, t, token ?? '');
  }

  /** The lookup is over; its miss, if it had one, already said so. */
  settle(ip: string): void {
    const key = addressKey(ip, this.ipv6Prefix);
    const landed = this.landed.get(key) ?? 0;
    if (landed > 0) {
      if (landed > 1) this.landed.set(key, landed - 1);
      else this.landed.delete(key);
      return;
    }
    const token = this.take(key);
    // Not awaited (the answer does not wait for it): a lookup that found its request was no miss.
    if (token) void this.run('settle', key, 0, token).catch(() => {});
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

  private take(key: string): string | undefined {
    const tokens = this.flying.get(key);
    const token = tokens?.shift();
    if (tokens?.length === 0) this.flying.delete(key);
    return token;
  }

  private async run(
    op: 'admit' | 'miss' | 'settle' | 'spent' | 'peek',
    key: string,
    t: number,
    token = '',
  ): Promise<Reply> {
    const cmd = this.redis.cmd as unknown as {
      beckonJoinThrottle(k: string, ...args: (string | number)[]): Promise<Reply>;
    };
    const reply = await cmd.beckonJoinThrottle(this.key, op, key, t, this.budget, token);
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
