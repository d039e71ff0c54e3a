import { ErrorCode } from '@beckon/protocol';
import { allows, decayed, retryAfterMs } from '../storage/failure-counters.ts';
import { addressKey } from './address-key.ts';
import { ApiError } from './api-error.ts';

/** Misses per address before it is refused; the lock-out then grows with each further attempt. */
const ADDRESS = { limit: 5, halfLifeMs: 60_000 };
/** Misses across all addresses (about 200 a minute) before the budget is spent, unless configured. */
export const GLOBAL_BUDGET = 200;
const GLOBAL_HALF_LIFE_MS = 60_000;
/** While the budget is spent, addresses that have not missed share this many lookups a minute. */
export const RESERVE_PER_MINUTE = 4;
/**
 * The budget stays spent for at least an hour, and until the refused and
 * missed attempts (halving every 5 minutes) have fallen below 10: an attacker
 * who pauses does not get a fresh budget a minute later.
 */
export const SPENT_HOLD_MS = 60 * 60_000;
const PRESSURE = { release: 10, halfLifeMs: 5 * 60_000 };
/** A lock-out starts at two seconds and doubles with every attempt made during it, up to about 1 h 8 min. */
const LOCK_BASE_MS = 1000;
const MAX_STRIKES = 12;
const MAX_KEYS = 100_000;

export interface SpentBudget {
  at: number;
  /** Addresses (keys) with recent misses when the budget was spent. */
  addresses: number;
}

/**
 * What JoinService asks of a join throttle: the in-memory `JoinThrottle` on
 * one broker, or `RedisJoinThrottle` (src/cluster/) when several brokers must
 * count one address's misses and the global budget together.
 */
export interface JoinGate {
  readonly budget: number;
  /** Lets one lookup by code through, or throws 429. */
  admit(ip: string, t: number): void | Promise<void>;
  /** Counts a lookup that found nothing live. */
  miss(ip: string, t: number): void | Promise<void>;
  /**
   * The lookup `admit` let through is over. Both throttles count lookups in
   * flight as misses until then (the Redis one per broker token, in Redis), so
   * a burst of parallel guesses gets no more lookups than one at a time would.
   */
  settle?(ip: string): void;
  /** When the budget was spent, while it still is; null otherwise (may lag a shared store by a moment). */
  spentAt(t: number): number | null;
}

export interface JoinGateOptions {
  ipv6Prefix?: number;
  budget?: number;
  onSpent?: (info: SpentBudget) => void;
}

interface Counter {
  value: number;
  at: number;
}

/**
 * The join throttle for codes: the same decaying counters as sign-in (see
 * storage/failure-counters.ts), kept in memory because every wrong code would
 * otherwise be a disk write. Addresses are counted by addressKey (IPv6 by its
 * prefix). Bounded in three ways: per address (5 misses, then a growing
 * lock-out), a global budget of misses, and, once that is spent, a shared
 * reserve, so fresh addresses do not each get a guess: an attacker's guesses
 * no longer grow with the addresses they hold.
 */
export class JoinThrottle implements JoinGate {
  private readonly misses = new Map<string, Counter>();
  private readonly locks = new Map<string, { strikes: number; until: number }>();
  private global: Counter = { value: 0, at: 0 };
  private pressure: Counter = { value: 0, at: 0 };
  private spentSince: number | null = null;
  /**
   * Lookups admitted and not yet settled, per address and in all: counted as
   * misses until they are settled, so concurrent guesses (a lookup waits for
   * the database) cannot all pass a check that only the misses already counted
   * would hold back.
   */
  private readonly inFlight = new Map<string, number>();
  private inFlightAll = 0;
  private reserve = { tokens: RESERVE_PER_MINUTE, at: 0 };
  private readonly ipv6Prefix: number;
  readonly budget: number;
  private readonly onSpent: (info: SpentBudget) => void;
  constructor(opts: JoinGateOptions = {}) {
    this.ipv6Prefix = opts.ipv6Prefix ?? 64;
    this.budget = opts.budget ?? GLOBAL_BUDGET;
    this.onSpent = opts.onSpent ?? (() => {});
  }

  /** Lets one lookup by code through, or throws 429. */
  admit(ip: string, t: number): void {
    const key = addressKey(ip, this.ipv6Prefix);
    const lock = this.locks.get(key);
    if (lock && lock.until > t) {
      // Knocking while locked out makes the lock-out longer, doubling each time.
      lock.strikes = Math.min(lock.strikes + 1, MAX_STRIKES);
      lock.until = Math.max(lock.until, t + LOCK_BASE_MS * 2 ** lock.strikes);
      return this.refuse(lock.until - t, t);
    }
    const missed = this.value(this.misses.get(key), t, ADDRESS.halfLifeMs) + (this.inFlight.get(key) ?? 0);
    const spent = this.isSpent(t);
    // Not spent yet, but would be if the lookups in flight all miss: wait for them (a second) rather
    // than start on the reserve, which is filled afresh when the budget is spent.
    if (!spent && this.value(this.global, t, GLOBAL_HALF_LIFE_MS) + this.inFlightAll >= this.budget)
      return this.refuse(1000, t);
    if (!allows(missed, ADDRESS.limit) || (spent && missed >= 0.5)) {
      const strikes = Math.min((lock?.strikes ?? 0) + 1, MAX_STRIKES);
      const wait = retryAfterMs(missed, ADDRESS.limit, ADDRESS.halfLifeMs);
      const until = t + Math.max(wait, LOCK_BASE_MS * 2 ** strikes);
      if (!lock && this.locks.size >= MAX_KEYS) this.locks.delete(this.locks.keys().next().value ?? '');
      this.locks.set(key, { strikes, until });
      return this.refuse(until - t, t);
    }
    if (spent && !this.takeReserve(t)) return this.refuse(this.reserveWaitMs(), t);
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    this.inFlightAll += 1;
  }

  /** The lookup `admit` let through is over (after `miss` if it found nothing): it stops counting as one. */
  settle(ip: string): void {
    const key = addressKey(ip, this.ipv6Prefix);
    const n = (this.inFlight.get(key) ?? 0) - 1;
    if (n > 0) this.inFlight.set(key, n);
    else this.inFlight.delete(key);
    this.inFlightAll = Math.max(0, this.inFlightAll - 1);
  }

  /** Counts a lookup that found nothing live. */
  miss(ip: string, t: number): void {
    const key = addressKey(ip, this.ipv6Prefix);
    const before = this.misses.get(key);
    if (!before && this.misses.size >= MAX_KEYS) this.misses.delete(this.misses.keys().next().value ?? '');
    this.misses.set(key, { value: this.value(before, t, ADDRESS.halfLifeMs) + 1, at: t });
    this.global = { value: this.value(this.global, t, GLOBAL_HALF_LIFE_MS) + 1, at: t };
    this.press(t);
    this.isSpent(t);
  }

  /** Whether the global budget is spent; entering that state raises the alarm, once per attack. */
  isSpent(t: number): boolean {
    const global = this.value(this.global, t, GLOBAL_HALF_LIFE_MS);
    if (this.spentSince === null) {
      if (global < this.budget) return false;
      this.spentSince = t;
      this.reserve = { tokens: RESERVE_PER_MINUTE, at: t };
      const addresses = [...this.misses.values()].filter((c) => this.value(c, t, ADDRESS.halfLifeMs) >= 0.5);
      this.onSpent({ at: t, addresses: addresses.length });
      return true;
    }
    const calm =
      t - this.spentSince >= SPENT_HOLD_MS &&
      this.value(this.pressure, t, PRESSURE.halfLifeMs) < PRESSURE.release &&
      global < this.budget;
    if (calm) this.spentSince = null;
    return !calm;
  }

  /** When the budget was spent, while it still is; null otherwise. */
  spentAt(t: number): number | null {
    return this.isSpent(t) ? this.spentSince : null;
  }

  private takeReserve(t: number): boolean {
    const perMs = RESERVE_PER_MINUTE / 60_000;
    const tokens = Math.min(RESERVE_PER_MINUTE, this.reserve.tokens + (t - this.reserve.at) * perMs);
    this.reserve = { tokens: tokens >= 1 ? tokens - 1 : tokens, at: t };
    return tokens >= 1;
  }

  private reserveWaitMs(): number {
    return Math.ceil((1 - this.reserve.tokens) / (RESERVE_PER_MINUTE / 60_000));
  }

  private press(t: number): void {
    this.pressure = { value: this.value(this.pressure, t, PRESSURE.halfLifeMs) + 1, at: t };
  }

  private value(c: Counter | undefined, t: number, halfLifeMs: number): number {
    return c ? decayed(c.value, c.at, t, halfLifeMs) : 0;
  }

  private refuse(ms: number, t: number): never {
    if (this.spentSince !== null) this.press(t);
    const retry = Math.max(1, Math.ceil(ms / 1000));
    throw new ApiError(
      429,
      ErrorCode.RATE_LIMITED,
      'too many wrong codes; wait and try again',
      { retryAfter: retry },
      { 'retry-after': String(retry) },
    );
  }
}
