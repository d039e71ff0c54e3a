import { ErrorCode } from '@beckon/protocol';
import type { CounterRule } from '../storage/failure-counters.ts';
import type { Storage, UserRecord } from '../storage/types.ts';
import { renderSignInAlert } from '../mail/security-mails.ts';
import { addressKey } from './address-key.ts';
import { ApiError } from './api-error.ts';

/**
 * The sign-in throttle. Failures are counted per account and address, per
 * address, and per account, in stored counters that decay (one model, see
 * storage/failure-counters.ts); an unknown email is counted exactly like an
 * account, so the answers reveal nothing. Nothing ever locks an account: an
 * address that has failed too often is slowed down (429 with Retry-After,
 * whatever the password), so an attacker cannot keep the owner out, and the
 * right password from an address that has not failed is always checked. When
 * the failures pile up, the owner is told by mail.
 */
const KIND = 'login';
const ADDRESS_KIND = 'login_address';
/** One address against one account: 5 tries, then one about every 2.3 minutes (never an hour). */
const PAIR = { limit: 5, halfLifeMs: 15 * 60_000 };
/** One address against every account (password spraying): 20 tries, then one about a minute. */
const ADDRESS = { limit: 20, halfLifeMs: 30 * 60_000 };
/** Every address against one account: it only counts, for the owner's notice. */
const ACCOUNT = { limit: Infinity, halfLifeMs: 60 * 60_000 };
const ALERT_AT = 10;
const ALERT_INTERVAL_MS = 6 * 60 * 60_000;
/** Counters untouched this long have decayed to nothing and are dropped. */
const PURGE_AFTER_MS = 2 * 24 * 60 * 60_000;
const PURGE_EVERY_MS = 10 * 60_000;

export interface ThrottleLog {
  warn(obj: object, msg: string): void;
}

/** One sign-in attempt, charged before the password is checked. */
export interface LoginAttempt {
  failed(user: UserRecord | null): Promise<void>;
  succeeded(): Promise<void>;
}

export class LoginThrottle {
  private lastPurge = 0;
  private readonly storage: Storage;
  private readonly ipv6Prefix: number;
  private readonly log: ThrottleLog;
  constructor(storage: Storage, opts: { ipv6Prefix?: number; log?: ThrottleLog } = {}) {
    this.storage = storage;
    this.ipv6Prefix = opts.ipv6Prefix ?? 64;
    this.log = opts.log ?? { warn() {} };
  }

  /** Charges the attempt, or refuses it with 429 when this address must wait. */
  async begin(email: string, ip: string, now: number): Promise<LoginAttempt> {
    await this.purge(now);
    const where = addressKey(ip, this.ipv6Prefix);
    const address: CounterRule = { kind: ADDRESS_KIND, subject: where, address: '', ...ADDRESS };
    const pair: CounterRule = { kind: KIND, subject: email, address: where, ...PAIR };
    const account: CounterRule = { kind: KIND, subject: email, address: '', ...ACCOUNT };
    const store = this.storage.failureCounters;
    const charged = await store.charge([address, pair, account], now);
    if (!charged.ok) {
      const retry = Math.max(1, Math.ceil(charged.retryAfterMs / 1000));
      throw new ApiError(
        429,
        ErrorCode.RATE_LIMITED,
        charged.refusedBy === 0
          ? 'too many failed sign-ins from this address; wait and try again'
          : 'too many failed sign-ins to this account from this address; wait and try again',
        { retryAfter: retry },
        { 'retry-after': String(retry) },
      );
    }
    const failures = Math.round(charged.values[2] ?? 0);
    return {
      failed: async (user) => {
        if (failures < ALERT_AT) return;
        // Not awaited: the failure answer must not wait for (or differ by) the notice.
        void this.alert(account, user, failures, ip, now).catch((err: unknown) =>
          this.log.warn({ err }, 'failed sign-in notice not queued'),
        );
      },
      // A success takes its own charge back and clears this address's record with the account.
      succeeded: () => store.settle([address, account], [pair], now),
    };
  }

  /** An administrator's unlock: every counter of the account, from every address, is forgotten. */
  unlock(email: string): Promise<number> {
    return this.storage.failureCounters.clearSubject(KIND, email);
  }

  private async alert(account: CounterRule, user: UserRecord | null, count: number, ip: string, now: number) {
    if (!(await this.storage.failureCounters.claimAlert(account, now, ALERT_INTERVAL_MS))) return;
    this.log.warn(
      { userId: user?.id ?? null, failures: count, address: ip },
      'repeated failed sign-ins to one account',
    );
    if (user && !user.disabled) await this.tellOwner(user, count, ip, now);
  }

  private async tellOwner(user: UserRecord, count: number, ip: string, now: number): Promise<void> {
    const at = new Date(now).toISOString();
    const settings = await this.storage.notificationSettings.get(user.id);
    const language = settings?.language ?? 'en';
    const company = (await this.storage.orgs.get(user.orgId))?.name ?? 'Beckon';
    const rendered = renderSignInAlert({
      language,
      company,
      name: user.name,
      email: user.email,
      count,
      address: ip,
      at,
    });
    await this.storage.outbox.enqueue({
      orgId: user.orgId,
      requestId: null,
      kind: 'sign_in_alert',
      to: user.email,
      language,
      createdAt: at,
      ...rendered,
    });
  }

  private async purge(now: number): Promise<void> {
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    await this.storage.failureCounters.purge(now - PURGE_AFTER_MS);
  }
}
