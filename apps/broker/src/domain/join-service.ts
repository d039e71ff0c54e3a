import { ErrorCode, formatSessionCode, JoinBodySchema, type JoinResponse } from '@beckon/protocol';
import { randomBytes, type KeyObject } from 'node:crypto';
import type { RequestRecord, Storage } from '../storage/types.ts';
import { ApiError, parseOrThrow } from './api-error.ts';
import { RollingCount, WindowCounter } from './rate-limit.ts';
import { findByLinkToken } from './link-tokens.ts';
import { isLive } from './read-model.ts';
import { hashToken } from './secrets.ts';

const TICKET_TTL_MS = 60_000;
/** Misses per address per minute before it is refused; the lock-out then grows with each further miss. */
const IP_MISSES_PER_MINUTE = 5;
/** Misses per minute across all addresses before everyone who has missed is slowed. */
const GLOBAL_MISSES_PER_MINUTE = 200;
/** A lock-out starts at two seconds and doubles with every attempt made during it, up to about 1 h 8 min. */
const LOCK_BASE_MS = 1000;
const MAX_STRIKES = 12;
const MAX_LOCKS = 100_000;

export interface Ticket {
  orgId: string;
  requestId: string;
  expiresAt: number;
}

/**
 * The end user's way in: a code or a link token yields the request's public
 * summary and a single-use ticket for the assist WebSocket. A wrong, expired
 * or closed code all get the same answer.
 */
export class JoinService {
  private readonly tickets = new Map<string, Ticket>();
  private readonly ipMisses = new WindowCounter(60_000);
  private readonly globalMisses = new RollingCount(60_000);
  private readonly locks = new Map<string, { strikes: number; until: number }>();
  private readonly storage: Storage;
  private readonly secret: KeyObject;
  private readonly now: () => Date;
  constructor(storage: Storage, secret: KeyObject, now: () => Date = () => new Date()) {
    this.storage = storage;
    this.secret = secret;
    this.now = now;
  }

  /** The request a link token opens, whatever its status (its page still shows an ended request). */
  byLink(token: string): Promise<RequestRecord | null> {
    return findByLinkToken({ secret: this.secret, requests: this.storage.requests }, token);
  }

  async join(input: unknown, ip: string): Promise<JoinResponse> {
    const record = await this.find(input, ip);
    return { summary: await this.summary(record), ...this.issueTicket(record, this.now().getTime()) };
  }

  /**
   * The request a code or link names, through the same throttle and with the
   * same answers as `join`, but without a ticket: for pages that only show it.
   */
  async find(input: unknown, ip: string): Promise<RequestRecord> {
    const now = this.now();
    const t = now.getTime();
    const body = parseOrThrow(JoinBodySchema, input);
    const byCode = 'code' in body;
    if (byCode) this.throttle(ip, t);
    const found = byCode
      ? await this.storage.requests.findLiveByCode(body.code, now.toISOString())
      : await this.byLink(body.token);
    // Codes are found live already; a link finds its request whatever its status.
    const record = found && isLive(found, t) ? found : null;
    if (!record) {
      if (byCode) {
        this.ipMisses.add(ip, t);
        this.globalMisses.add(t);
      }
      throw new ApiError(
        404,
        byCode ? ErrorCode.INVALID_CODE : ErrorCode.INVALID_TOKEN,
        byCode ? 'no open session request has this code' : 'this link is not valid any more',
      );
    }
    return record;
  }

  private throttle(ip: string, t: number): void {
    const lock = this.locks.get(ip);
    if (lock && lock.until > t) {
      // Knocking while locked out makes the lock-out longer, doubling each time.
      lock.strikes = Math.min(lock.strikes + 1, MAX_STRIKES);
      lock.until = Math.max(lock.until, t + LOCK_BASE_MS * 2 ** lock.strikes);
      return this.refuse(lock.until - t);
    }
    const misses = this.ipMisses.count(ip, t);
    const globalBusy = this.globalMisses.count(t) >= GLOBAL_MISSES_PER_MINUTE;
    // An address that has not missed still gets in while the global budget is spent.
    if (misses >= IP_MISSES_PER_MINUTE || (globalBusy && misses > 0)) {
      const strikes = Math.min((lock?.strikes ?? 0) + 1, MAX_STRIKES);
      const until = t + Math.max(this.ipMisses.retryAfterMs(ip, t), LOCK_BASE_MS * 2 ** strikes);
      if (!lock && this.locks.size >= MAX_LOCKS) this.locks.delete(this.locks.keys().next().value ?? '');
      this.locks.set(ip, { strikes, until });
      return this.refuse(until - t);
    }
  }

  private refuse(ms: number): never {
    const retry = Math.max(1, Math.ceil(ms / 1000));
    throw new ApiError(
      429,
      ErrorCode.RATE_LIMITED,
      'too many wrong codes; wait and try again',
      { retryAfter: retry },
      { 'retry-after': String(retry) },
    );
  }

  private async summary(r: RequestRecord) {
    const org = await this.storage.orgs.get(r.orgId);
    return {
      organisation: org?.name ?? '',
      agentName: r.createdBy.name ?? '',
      recipientName: r.recipientName,
      comment: r.comment,
      permissions: r.permissions,
      status: r.status,
      displayCode: formatSessionCode(r.code),
      language: r.language,
      expiresAt: r.expiresAt,
    };
  }

  private issueTicket(r: RequestRecord, t: number) {
    for (const [key, ticket] of this.tickets) if (ticket.expiresAt <= t) this.tickets.delete(key);
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = t + TICKET_TTL_MS;
    this.tickets.set(hashToken(ticket), { orgId: r.orgId, requestId: r.id, expiresAt });
    return { ticket, ticketExpiresAt: new Date(expiresAt).toISOString() };
  }

  /** Spends a ticket: valid once, within its lifetime. */
  redeem(ticket: string): Ticket | null {
    const key = hashToken(ticket);
    const found = this.tickets.get(key);
    this.tickets.delete(key);
    return found && found.expiresAt > this.now().getTime() ? found : null;
  }
}
