import {
  AccountPermission,
  AdhocActivateSchema,
  AdhocCreateSchema,
  AdhocHostReportSchema,
  AdhocSeatsBodySchema,
  ErrorCode,
  formatAdhocCode,
  generateAdhocCode,
  generateToken,
  parseAdhocCode,
  adhocGrant,
  Role,
  type AdhocActivated,
  type ConsentGrant,
  type AdhocCreated,
  type AdhocEvent,
  type AdhocSeats,
  type AdhocSummary,
} from '@beckon/protocol';
import { randomInt, randomUUID } from 'node:crypto';
import { publicKeyFromRaw } from '../hosts/host-keys.ts';
import { renderAdhocInvite } from '../mail/adhoc-mail.ts';
import { renderTemplate } from '../mail/custom-templates.ts';
import type { AdhocActivation, AdhocRecord } from '../storage/adhoc-types.ts';
import type { Storage } from '../storage/types.ts';
import { ApiError, fieldError, forbidden, notFound, parseOrThrow } from './api-error.ts';
import { requireAdmin, requirePermission, requireUser, type AuthContext } from './auth.ts';
import { JoinThrottle } from './join-service-throttle.ts';
import { hashPassword } from './passwords.ts';
import { hashToken } from './secrets.ts';
import { adhocWebhook } from './adhoc-webhooks.ts';

export interface AdhocServiceDeps {
  storage: Storage;
  now: () => Date;
  publicUrl: () => string;
  /** AH7: active sessions per organisation (default 5). */
  orgLimit: number;
  /** AH4: 24 hours; shorter only for tests. */
  durationMs: number;
  ipv6Prefix?: number;
  /** Closes a temporary host's socket at once (its row is gone with the session). */
  revokeHost: (hostId: string) => void;
  onMailQueued: () => void;
}

/** Readable, unambiguous: no 0/O, 1/l/I. 20 of these are ~115 bits. */
const PASSWORD_ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function newPredefinedPassword(): string {
  let out = '';
  for (let i = 0; i < 20; i++) out += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return out.replace(/(.{5})(?!$)/g, '$1-');
}

export function adhocInstallLink(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/adhoc/${token}`;
}

/**
 * The rules of ad-hoc support (AH1–AH10): seats, the one-per-provider and
 * per-organisation limits, the single-use security code (throttled like
 * join codes), the predefined password (shown once, stored as scrypt), and
 * the session's end by time, by the provider or by the user.
 */
export class AdhocService {
  private readonly d: AdhocServiceDeps;
  private readonly throttle: JoinThrottle;

  constructor(deps: AdhocServiceDeps) {
    this.d = deps;
    this.throttle = new JoinThrottle({ ipv6Prefix: deps.ipv6Prefix });
  }

  async seats(ctx: AuthContext | null): Promise<AdhocSeats> {
    const auth = requireUser(ctx);
    const orgId = auth.user.orgId;
    return {
      seats: await this.d.storage.adhoc.seats(orgId),
      used: await this.d.storage.adhoc.activeCount(orgId),
      orgLimit: this.d.orgLimit,
    };
  }

  async setSeats(ctx: AuthContext | null, input: unknown): Promise<AdhocSeats> {
    const auth = requireAdmin(ctx);
    const body = parseOrThrow(AdhocSeatsBodySchema, input);
    await this.d.storage.adhoc.setSeats(auth.user.orgId, body.seats);
    return this.seats(ctx);
  }

  async create(ctx: AuthContext | null, input: unknown): Promise<AdhocCreated> {
    const auth = requirePermission(ctx, AccountPermission.REQUESTS_EDIT);
    const body = parseOrThrow(AdhocCreateSchema, input);
    const code = generateAdhocCode();
    const password = newPredefinedPassword();
    const installToken = generateToken();
    const now = this.d.now().toISOString();
    const record: AdhocRecord = {
      id: randomUUID(),
      orgId: auth.user.orgId,
      providerId: auth.user.id,
      userName: body.userName,
      email: body.email,
      language: body.language,
      comment: body.comment?.trim() || null,
      status: 'created',
      passwordHash: await hashPassword(password),
      hostId: null,
      createdAt: now,
      activatedAt: null,
      expiresAt: null,
      endedAt: null,
      endReason: null,
      removedAt: null,
    };
    const org = await this.d.storage.orgs.get(auth.user.orgId);
    const link = adhocInstallLink(this.d.publicUrl(), installToken);
    const values = {
      userName: body.userName,
      providerName: auth.user.name,
      companyName: org?.name ?? 'Beckon',
      securityCode: formatAdhocCode(code),
      installLink: link,
    };
    // The organisation's own template (SC10) when it saved one, else the built-in mail.
    const custom = await this.d.storage.mailTemplates.get(auth.user.orgId, 'adhoc_invite', body.language);
    const rendered = custom
      ? renderTemplate(body.language, custom, values)
      : renderAdhocInvite({
          language: body.language,
          userName: values.userName,
          providerName: values.providerName,
          companyName: values.companyName,
          link,
          displayCode: values.securityCode,
        });
    const outcome = await this.d.storage.adhoc.create(
      record,
      { codeHash: hashToken(code), installTokenHash: hashToken(installToken) },
      { seats: await this.d.storage.adhoc.seats(auth.user.orgId), orgLimit: this.d.orgLimit },
      {
        orgId: record.orgId,
        requestId: null,
        kind: 'adhoc_invite',
        to: body.email,
        language: body.language,
        createdAt: now,
        ...rendered,
      },
      adhocWebhook,
    );
    if (!outcome.ok) throw refusal(outcome.reason, this.d.orgLimit);
    this.d.onMailQueued();
    return {
      ...summary(record),
      predefinedPassword: password,
      securityCode: formatAdhocCode(code),
      installLink: link,
    };
  }

  async list(ctx: AuthContext | null): Promise<{ items: AdhocSummary[] }> {
    const auth = requireUser(ctx);
    return { items: (await this.d.storage.adhoc.list(auth.user.orgId)).map(summary) };
  }

  async get(ctx: AuthContext | null, id: string): Promise<AdhocSummary & { events: AdhocEvent[] }> {
    const auth = requireUser(ctx);
    const r = await this.d.storage.adhoc.get(auth.user.orgId, id);
    if (!r) throw notFound('no such ad-hoc session');
    return { ...summary(r), events: await this.d.storage.adhoc.events(r.id) };
  }

  /** The provider (or an admin) ends the session: the host's key is refused from now on. */
  async end(ctx: AuthContext | null, id: string): Promise<AdhocSummary> {
    const auth = requireUser(ctx);
    const r = await this.d.storage.adhoc.get(auth.user.orgId, id);
    if (!r) throw notFound('no such ad-hoc session');
    if (r.providerId !== auth.user.id && auth.user.role !== Role.ADMIN)
      throw forbidden('only its provider or an administrator may end it');
    const ended = await this.d.storage.adhoc.end(
      r.id,
      this.d.now().toISOString(),
      'provider',
      auth.user.id,
      adhocWebhook,
    );
    if (!ended) throw new ApiError(409, ErrorCode.CONFLICT, `the session is already ${r.status}`);
    if (ended.hostId) this.d.revokeHost(ended.hostId);
    return summary(ended);
  }

  /** The temporary host activates with the security code (AH3): binds it and starts the clock. */
  async activate(input: unknown, ip: string): Promise<AdhocActivated> {
    const body = parseOrThrow(AdhocActivateSchema, input);
    if (!publicKeyFromRaw(body.publicKey)) throw fieldError('publicKey', 'not an Ed25519 public key');
    const t = this.d.now().getTime();
    this.throttle.admit(ip, t);
    const code = parseAdhocCode(body.securityCode);
    const now = new Date(t).toISOString();
    const removalToken = generateToken();
    let outcome;
    try {
      outcome = await this.activateWith(code, body, t, now, removalToken);
      if (!outcome.ok && outcome.reason !== 'key_in_use') this.throttle.miss(ip, t);
    } finally {
      this.throttle.settle(ip);
    }
    if (!outcome.ok) {
      if (outcome.reason === 'key_in_use')
        throw new ApiError(409, ErrorCode.CONFLICT, 'this key is already enrolled');
      throw new ApiError(401, ErrorCode.INVALID_CODE, 'unknown or used security code');
    }
    return this.activated(outcome.session, removalToken, now);
  }

  private async activateWith(
    code: string | null,
    body: { name: string; publicKey: string; presence: AdhocActivation['host']['presence'] },
    t: number,
    now: string,
    removalToken: string,
  ) {
    return code
      ? await this.d.storage.adhoc.activate(
          {
            codeHash: hashToken(code),
            now,
            expiresAt: new Date(t + this.d.durationMs).toISOString(),
            removalTokenHash: hashToken(removalToken),
            host: { id: randomUUID(), name: body.name, publicKey: body.publicKey, presence: body.presence },
          },
          adhocWebhook,
        )
      : ({ ok: false, reason: 'invalid_code' } as const);
  }

  private activated(s: AdhocRecord, removalToken: string, now: string): AdhocActivated {
    return {
      sessionId: s.id,
      hostId: s.hostId ?? '',
      providerId: s.providerId,
      activatedAt: s.activatedAt ?? now,
      expiresAt: s.expiresAt ?? now,
      passwordVerifier: s.passwordHash,
      removalToken,
    };
  }

  /** The host says the user ended it, or that it removed itself (AH4), with its removal token. */
  async report(input: unknown): Promise<AdhocSummary> {
    const body = parseOrThrow(AdhocHostReportSchema, input);
    const at = this.d.now().toISOString();
    const r = await this.d.storage.adhoc.report(
      body.sessionId,
      hashToken(body.removalToken),
      body.event,
      at,
      adhocWebhook,
    );
    if (!r) throw new ApiError(401, ErrorCode.INVALID_TOKEN, 'unknown session or removal token');
    if (r.hostId) this.d.revokeHost(r.hostId);
    return summary(r);
  }

  /** Ends the sessions whose 24 hours are up (the host's own timer ends it there, broker or not). */
  async expireDue(): Promise<number> {
    const now = this.d.now().toISOString();
    let n = 0;
    for (const r of await this.d.storage.adhoc.due(now)) {
      const ended = await this.d.storage.adhoc.end(r.id, now, 'expired', null, adhocWebhook);
      if (ended?.hostId) this.d.revokeHost(ended.hostId);
      if (ended) n++;
    }
    return n;
  }

  /** The session a connection to this host belongs to: the connection is recorded on it. */
  async recordConnection(hostId: string, userId: string): Promise<void> {
    const r = await this.d.storage.adhoc.byHost(hostId);
    if (r?.status === 'activated')
      await this.d.storage.adhoc.addEvent(
        r.id,
        'connection',
        this.d.now().toISOString(),
        userId,
        null,
        adhocWebhook,
      );
  }

  /** The provider of the active ad-hoc session this host belongs to, if any. */
  async providerOf(hostId: string): Promise<string | null> {
    const r = await this.d.storage.adhoc.byHost(hostId);
    return r?.status === 'activated' ? r.providerId : null;
  }

  /**
   * The broker's copy of an activated ad-hoc session's grant (AH8), as the
   * room's consent policy reads it: the provider, every permission, until the
   * session's end. Only so the room accepts the host's own `grant` answer;
   * the host weighs its own activation record, and its word is final.
   */
  async grantFor(hostId: string, agentId: string): Promise<ConsentGrant | null> {
    const r = await this.d.storage.adhoc.byHost(hostId);
    if (r?.status !== 'activated' || r.providerId !== agentId || !r.activatedAt || !r.expiresAt) return null;
    return adhocGrant(agentId, r.activatedAt, r.expiresAt);
  }

  async byInstallToken(token: string): Promise<AdhocRecord | null> {
    return /^[A-Za-z0-9_-]{43}$/.test(token) ? this.d.storage.adhoc.byInstallToken(hashToken(token)) : null;
  }
}

function refusal(reason: 'provider_limit' | 'org_limit' | 'no_seat', orgLimit: number): ApiError {
  switch (reason) {
    case 'provider_limit':
      return new ApiError(
        409,
        ErrorCode.ADHOC_PROVIDER_LIMIT,
        'you already have an active ad-hoc session (at most one per provider): end it first',
      );
    case 'org_limit':
      return new ApiError(
        409,
        ErrorCode.ADHOC_ORG_LIMIT,
        `the organisation already has ${orgLimit} active ad-hoc sessions (its limit)`,
      );
    case 'no_seat':
      return new ApiError(
        409,
        ErrorCode.ADHOC_NO_SEAT,
        'no free ad-hoc seat: an administrator can add seats, or end an active session',
      );
  }
}

export function summary(r: AdhocRecord): AdhocSummary {
  return {
    id: r.id,
    providerId: r.providerId,
    userName: r.userName,
    email: r.email,
    language: r.language,
    comment: r.comment,
    status: r.status,
    createdAt: r.createdAt,
    activatedAt: r.activatedAt,
    expiresAt: r.expiresAt,
    endedAt: r.endedAt,
    endReason: r.endReason,
    removedAt: r.removedAt,
    hostId: r.hostId,
  };
}
