/**
 * Failure counters: the one model behind every throttle (sign-in, join). A
 * counter is a number that every failure raises by one and that halves every
 * `halfLifeMs` on its own, so old failures fade instead of living until a
 * success (a leaky bucket: after a burst of `limit`, one more attempt is let
 * through each time enough has leaked away). Sign-in counters are stored, so a
 * restart forgets nothing; the join throttle keeps the same model in memory.
 */

/** Which counter: `subject` is an account (email) or an address key; `address` narrows an account to one address ('' for none). */
export interface CounterKey {
  kind: string;
  subject: string;
  address: string;
}

export interface CounterRule extends CounterKey {
  halfLifeMs: number;
  /** Attempts a clean counter allows in a burst; Infinity for a counter that only counts. */
  limit: number;
}

/** The value of a counter `at`, from what it was when last written. */
export function decayed(value: number, writtenAt: number, at: number, halfLifeMs: number): number {
  return at <= writtenAt ? value : value * 2 ** (-(at - writtenAt) / halfLifeMs);
}

/**
 * An attempt is allowed while the counter is below `limit - 0.5`: from zero
 * exactly `limit` in a row, then one each time half an attempt has leaked away
 * (with a limit of 1, one per half-life).
 */
export function allows(value: number, limit: number): boolean {
  return value < limit - 0.5;
}

/** How long until a counter at `value` allows an attempt again. */
export function retryAfterMs(value: number, limit: number, halfLifeMs: number): number {
  return allows(value, limit) ? 0 : Math.ceil(halfLifeMs * Math.log2(value / (limit - 0.5)));
}

export type ChargeOutcome =
  { ok: true; values: number[] } | { ok: false; refusedBy: number; retryAfterMs: number };

export interface FailureCounterStore {
  /** Decayed values at `now` (0 for counters never written). */
  peek(keys: (CounterKey & { halfLifeMs: number })[], now: number): Promise<number[]>;
  /**
   * One attempt, in one transaction: if any counter does not allow it, nothing
   * is written and the first such rule is named; otherwise each is raised by
   * one (before the attempt is judged, so parallel attempts cannot all slip in).
   */
  charge(rules: CounterRule[], now: number): Promise<ChargeOutcome>;
  /**
   * Marks a counter alerted unless it was within `intervalMs`: true for exactly
   * one caller, who then sends the notice.
   */
  claimAlert(key: CounterKey, now: number, intervalMs: number): Promise<boolean>;
  /** After a success: takes the attempt back from `refund`, forgets `clear` entirely. */
  settle(refund: CounterRule[], clear: CounterKey[], now: number): Promise<void>;
  /** Forgets every counter of a subject (an admin's unlock). */
  clearSubject(kind: string, subject: string): Promise<number>;
  /** Drops counters last written before `before` (by then they have decayed to nothing). */
  purge(before: number): Promise<number>;
}
