import {
  AuditAction,
  ErrorCode,
  formatSessionCode,
  JoinBodySchema,
  WebhookEventType,
  type JoinResponse,
} from '@beckon/protocol';
import { randomBytes, type KeyObject } from 'node:crypto';
import { renderGuessingAlarm } from '../mail/security-mails.ts';
import type { RequestRecord, Storage } from '../storage/types.ts';
import { ApiError, parseOrThrow } from './api-error.ts';
import type { ThrottleLog } from './auth-throttle.ts';
import {
  JoinThrottle,
  RESERVE_PER_MINUTE,
  SPENT_HOLD_MS,
  type JoinGate,
  type JoinGateOptions,
  type SpentBudget,
} from './join-service-throttle.ts';
import { findByLinkToken } from './link-tokens.ts';
import { isLive } from './read-model.ts';
import { brokerEvent } from './webhook-events.ts';
import { hashToken } from './secrets.ts';
import type { SecurityAlarms } from './security-alarms.ts';

const TICKET_TTL_MS = 60_000;

export interface JoinOptions {
  /** IPv6 addresses count by this prefix (BECKON_THROTTLE_IPV6_PREFIX). */
  ipv6Prefix?: number;
  /** Wrong codes from all addresses together before the budget is spent (BECKON_JOIN_MISS_BUDGET). */
  missBudget?: number;
  log?: ThrottleLog;
  /** Where the console hears of the alarm (the live channel, to administrators). */
  alarms?: SecurityAlarms;
  /** The throttle, when several brokers share one (BECKON_REDIS_URL); the in-memory one otherwise. */
  throttle?: (opts: JoinGateOptions) => JoinGate;
  /** Where tickets live, when another broker may redeem them; in memory otherwise. */
  tickets?: TicketStore;
}

/** Single-use tickets for the assist WebSocket, by the hash of the ticket. */
export interface TicketStore {
  put(hash: string, ticket: Ticket, ttlMs: number): Promise<void>;
  /** Returns and forgets the ticket in one step: two brokers cannot both spend it. */
  take(hash: string): Promise<Ticket | null>;
}

/** One broker's tickets. */
export class MemoryTicketStore implements TicketStore {
  private readonly tickets = new Map<string, Ticket>();
  put(hash: string, ticket: Ticket, ttlMs: number): Promise<void> {
    // Issued now: whatever expired before now goes.
    const now = ticket.expiresAt - ttlMs;
    for (const [key, t] of this.tickets) if (t.expiresAt <= now) this.tickets.delete(key);
    this.tickets.set(hash, ticket);
    return Promise.resolve();
  }
  take(hash: string): Promise<Ticket | null> {
    const found = this.tickets.get(hash);
    this.tickets.delete(hash);
    return Promise.resolve(found ?? null);
  }
}

export interface Ticket {
  orgId: string;
  requestId: string;
  expiresAt: number;
}

/**
 * The customer's way in: a code or a link token yields the request's public
 * summary and a single-use ticket for the assist WebSocket. A wrong, expired
 * or closed code all get the same answer.
 */
export class JoinService {
  private readonly tickets: TicketStore;
  private readonly throttle: JoinGate;
  private readonly storage: Storage;
  private readonly secret: KeyObject;
  private readonly now: () => Date;
  private readonly log: ThrottleLog;
  private readonly alarms: SecurityAlarms | undefined;
  constructor(
    storage: Storage,
    secret: KeyObject,
    now: () => Date = () => new Date(),
    opts: JoinOptions = {},
  ) {
    this.storage = storage;
    this.secret = secret;
    this.now = now;
    this.log = opts.log ?? { warn() {} };
    const gate = {
      ipv6Prefix: opts.ipv6Prefix,
      budget: opts.missBudget,
      onSpent: (info: SpentBudget) => void this.alarm(info),
    };
    this.throttle = opts.throttle ? opts.throttle(gate) : new JoinThrottle(gate);
    this.tickets = opts.tickets ?? new MemoryTicketStore();
    this.alarms = opts.alarms;
    this.alarms?.addSource(() => {
      const since = this.throttle.spentAt(this.now().getTime());
      return since === null ? null : { kind: 'join_guessing', at: new Date(since).toISOString() };
    });
  }

  /** The request a link token opens, whatever its status (its page still shows an ended request). */
  byLink(token: string): Promise<RequestRecord | null> {
    return findByLinkToken({ secret: this.secret, requests: this.storage.requests }, token);
  }

  async join(input: unknown, ip: string): Promise<JoinResponse> {
    const record = await this.find(input, ip);
    return { summary: await this.summary(record), ...(await this.issueTicket(record, this.now().getTime())) };
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
    if (!byCode) return this.live(await this.byLink(body.token), false, t);
    await this.throttle.admit(ip, t);
    try {
      const found = await this.storage.requests.findLiveByCode(body.code, now.toISOString());
      if (!found || !isLive(found, t)) await this.throttle.miss(ip, t);
      return this.live(found, true, t);
    } finally {
      this.throttle.settle?.(ip);
    }
  }

  /** The record if it is live; else the same 404 for a code and for a link. */
  private live(found: RequestRecord | null, byCode: boolean, t: number): RequestRecord {
    // Codes are found live already; a link finds its request whatever its status.
    const record = found && isLive(found, t) ? found : null;
    if (!record) {
      throw new ApiError(
        404,
        byCode ? ErrorCode.INVALID_CODE : ErrorCode.INVALID_TOKEN,
        byCode ? 'no open session request has this code' : 'this link is not valid any more',
      );
    }
    return record;
  }

  /**
   * The global budget of wrong codes is spent: someone is guessing from many
   * addresses. Administrators hear of it once per attack: in the log, on the
   * console (the live channel), by a `security.alarm` webhook (committed with
   * its audit entry) and by mail. Each way is tried whatever became of the others.
   */
  private async alarm(info: SpentBudget): Promise<void> {
    const at = new Date(info.at).toISOString();
    const facts = {
      addresses: info.addresses,
      budget: this.throttle.budget,
      reservePerMinute: RESERVE_PER_MINUTE,
    };
    this.log.warn(
      facts,
      'join: the budget of wrong session codes is spent; code lookups are rationed until the guessing stops',
    );
    this.alarms?.raise({ kind: 'join_guessing', at });
    await this.storage.webhooks
      .broadcast(
        brokerEvent({
          type: WebhookEventType.SECURITY_ALARM,
          occurredAt: at,
          data: {
            kind: 'join_guessing',
            message:
              'the budget of wrong session codes is spent; code lookups are rationed until the guessing stops',
            until: new Date(info.at + SPENT_HOLD_MS).toISOString(),
          },
        }),
        [
          {
            orgId: null,
            actor: { type: 'system', id: null, name: null },
            action: AuditAction.JOIN_GUESSING_ALARM,
            target: null,
            details: facts,
            ip: null,
            at,
          },
        ],
      )
      .catch((err: unknown) => this.log.warn({ err }, 'join alarm webhook and audit entry not queued'));
    await this.mailAdmins(info, at).catch((err: unknown) =>
      this.log.warn({ err }, 'join alarm mail not queued'),
    );
  }

  private async mailAdmins(info: SpentBudget, at: string): Promise<void> {
    for (const admin of await this.storage.users.listAdmins()) {
      const settings = await this.storage.notificationSettings.get(admin.id);
      const language = settings?.language ?? 'en';
      const company = (await this.storage.orgs.get(admin.orgId))?.name ?? 'Beckon';
      const rendered = renderGuessingAlarm({
        language,
        company,
        name: admin.name,
        at,
        budget: this.throttle.budget,
        reserve: RESERVE_PER_MINUTE,
        addresses: info.addresses,
      });
      await this.storage.outbox.enqueue({
        orgId: admin.orgId,
        requestId: null,
        kind: 'join_guessing_alarm',
        to: admin.email,
        language,
        createdAt: at,
        ...rendered,
      });
    }
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

  private async issueTicket(r: RequestRecord, t: number) {
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = t + TICKET_TTL_MS;
    await this.tickets.put(hashToken(ticket), { orgId: r.orgId, requestId: r.id, expiresAt }, TICKET_TTL_MS);
    return { ticket, ticketExpiresAt: new Date(expiresAt).toISOString() };
  }

  /** Spends a ticket: valid once, within its lifetime. */
  async redeem(ticket: string): Promise<Ticket | null> {
    const found = await this.tickets.take(hashToken(ticket));
    return found && found.expiresAt > this.now().getTime() ? found : null;
  }
}
