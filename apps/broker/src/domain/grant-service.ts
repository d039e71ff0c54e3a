import {
  ErrorCode,
  grantAdmits,
  GrantAskSchema,
  grantCapViolation,
  HostConnectSchema,
  windowOf,
  type ConsentGrant,
  type Grant,
  type HostClientMessage,
  type RemotePermission,
  type SessionRequestSummary,
} from '@beckon/protocol';
import { randomUUID } from 'node:crypto';
import type {
  GrantEventRecord,
  GrantRecord,
  GrantWebhook,
  HostSessionRecord,
} from '../storage/grant-types.ts';
import type { Storage } from '../storage/types.ts';
import { recorded } from './grant-records.ts';
import { queuedEvent } from './webhook-events.ts';
import { ApiError, forbidden, notFound, parseOrThrow } from './api-error.ts';
import { requireUser, type AuthContext } from './auth.ts';
import type { CreateRequest, HostService } from './host-service.ts';
import type { RequestService } from './request-service.ts';

/** How long the broker waits for the person's answer to a grant request (the host times out first). */
const ASK_TIMEOUT_MS = 5 * 60_000;

type Answer = Extract<HostClientMessage, { type: 'grant_answer' }>;

/**
 * Unattended access (UA1–UA7), the broker's half. An agent asks in a live,
 * consented session with a managed host; the ask goes to the host over its
 * own authenticated socket, the person answers there, and the host reports
 * the answer (never a password: at setup only the user name its OS verified).
 * Later Connects with nobody present are admitted here only inside the
 * grant's window (`grantAdmits`), and the host checks again: its word is
 * final. Every ask, answer, use, refusal and revocation is recorded in
 * `grant_events` and, in the same write, in the audit log.
 */
export class GrantService {
  private readonly waiting = new Map<string, (g: GrantRecord | null) => void>();
  /** Requests running under a grant, for their start and end webhooks. */
  private readonly unattended = new Set<string>();
  /**
   * The boundary a request's last change queued. Each takes several reads
   * before its write, so without this an end right after a start can read the
   * session as never started and be dropped, with its webhook.
   */
  private readonly boundaries = new Map<string, Promise<void>>();

  private readonly storage: Storage;
  private readonly hosts: HostService;
  private readonly now: () => Date;
  private readonly log: { error(obj: object, msg: string): void };

  constructor(
    storage: Storage,
    hosts: HostService,
    requests: RequestService,
    now: () => Date,
    log: { error(obj: object, msg: string): void } = { error() {} },
  ) {
    this.storage = storage;
    this.hosts = hosts;
    this.now = now;
    this.log = log;
    requests.onChange((_orgId, _change, _summary, ref) => {
      if (!this.unattended.has(ref.id)) return;
      // The time of the change, not of whenever the lookups below finish.
      this.queueBoundary(ref.id, ref.status === 'in_session', this.now().toISOString());
    });
  }

  /** Runs a request's boundaries one after another, in the order of its changes. */
  private queueBoundary(requestId: string, live: boolean, at: string): void {
    const next = (this.boundaries.get(requestId) ?? Promise.resolve())
      .then(() => this.boundary(requestId, live, at))
      // A failed write leaves the session as it was; the next boundary is still tried.
      .catch((err: unknown) =>
        this.log.error(
          { err: String(err), requestId, live },
          'recording an unattended session boundary failed',
        ),
      )
      .finally(() => {
        if (this.boundaries.get(requestId) === next) this.boundaries.delete(requestId);
      });
    this.boundaries.set(requestId, next);
  }

  /** UA1, UA2, UA5: an agent asks for a grant in the live session `requestId`; resolves with the answer. */
  async ask(ctx: AuthContext | null, requestId: string, input: unknown, address: string): Promise<Grant> {
    const auth = requireUser(ctx);
    const ask = parseOrThrow(GrantAskSchema, input);
    const tooLong = grantCapViolation(ask);
    if (tooLong) throw new ApiError(422, ErrorCode.GRANT_TOO_LONG, tooLong);
    const link = await this.storage.grants.hostSession(requestId);
    const request = await this.storage.requests.get(auth.user.orgId, requestId);
    if (!request) throw notFound('no such session request');
    if (!link || link.orgId !== auth.user.orgId)
      throw new ApiError(
        409,
        ErrorCode.ILLEGAL_TRANSITION,
        'unattended access needs a managed host, which stays installed',
      );
    if (request.status !== 'in_session')
      throw new ApiError(409, ErrorCode.ILLEGAL_TRANSITION, 'unattended access is asked in a live session');
    if (!request.permissions.includes('control'))
      throw new ApiError(409, ErrorCode.PERMISSION_DENIED, 'not offered in a view-only session');
    const events = await this.storage.requests.events(requestId);
    const lastConnect = events.filter((e) => e.kind === 'connect_requested').at(-1);
    if (lastConnect?.actor.id !== auth.user.id) throw forbidden('only the agent in the session may ask');
    const host = await this.hosts.own(auth, link.hostId);
    const rights = await this.hosts.rightsOf(auth, host);
    if (!rights.unattended) throw forbidden('no right to ask for unattended access on this host');
    if (ask.permissions.some((p) => !allowedBy(rights).includes(p)))
      throw forbidden('permissions beyond this agent’s rights on the host');
    const at = this.now().toISOString();
    const grant: GrantRecord = {
      id: randomUUID(),
      orgId: auth.user.orgId,
      hostId: host.id,
      agentId: auth.user.id,
      agentName: auth.user.name,
      requestId,
      mode: ask.mode,
      permissions: ask.permissions,
      duration: ask.duration,
      daily: ask.daily,
      timeZone: ask.timeZone,
      status: 'pending',
      createdAt: at,
      approvedAt: null,
      verifiedUser: null,
      verifiedAt: null,
      revokedAt: null,
      revokedBy: null,
    };
    await this.storage.grants.create(
      grant,
      recorded(this.event(grant, 'asked', userActor(auth), address, null)),
    );
    const org = await this.storage.orgs.get(auth.user.orgId);
    const answered = new Promise<GrantRecord | null>((resolve) => this.waiting.set(grant.id, resolve));
    const sent = this.hosts.presence.offer(host.id, {
      type: 'grant_request',
      grantId: grant.id,
      requestId,
      agentId: grant.agentId,
      agentName: grant.agentName,
      orgName: org?.name ?? '',
      mode: grant.mode,
      permissions: grant.permissions,
      duration: grant.duration,
      daily: grant.daily,
      timeZone: grant.timeZone,
    });
    if (!sent) {
      this.waiting.delete(grant.id);
      await this.settle(grant.id, host.id, { approved: false, why: 'no_session' });
      throw new ApiError(409, ErrorCode.PEER_ABSENT, 'the host is offline');
    }
    const timer = setTimeout(
      () => void this.settle(grant.id, host.id, { approved: false, why: 'timeout' }),
      ASK_TIMEOUT_MS,
    );
    const settled = await answered;
    clearTimeout(timer);
    return this.view(settled ?? (await this.storage.grants.byId(grant.id)) ?? grant);
  }

  /** The host's answer, from its authenticated socket: only for its own pending grants. */
  async answered(hostId: string, m: Answer): Promise<void> {
    await this.settle(m.grantId, hostId, m);
  }

  private async settle(
    grantId: string,
    hostId: string,
    m: Pick<Answer, 'approved' | 'why' | 'approvedAt' | 'verifiedUser' | 'verifiedAt'>,
  ): Promise<void> {
    const before = await this.storage.grants.byId(grantId);
    if (!before || before.hostId !== hostId || before.status !== 'pending') return;
    const at = this.now().toISOString();
    const approved = m.approved && (before.mode === 'at_connection' || !!m.verifiedUser);
    const approvedAt = approved ? at : null;
    const host = await this.storage.hosts.byId(hostId);
    const settled = await this.storage.grants.settle(
      grantId,
      {
        status: approved ? 'active' : 'denied',
        approvedAt,
        verifiedUser: approved ? (m.verifiedUser ?? null) : null,
        verifiedAt: approved ? (m.verifiedAt ?? null) : null,
      },
      recorded(
        this.event(
          before,
          approved ? 'granted' : 'denied',
          HOST_ACTOR(hostId),
          null,
          approved ? null : m.why,
        ),
      ),
      approved && approvedAt
        ? queuedEvent(before.orgId, null, {
            type: 'unattended.granted',
            occurredAt: at,
            host: { id: hostId, name: host?.name ?? '' },
            data: { grant: grantRef(before), approvedAt, verifiedUser: m.verifiedUser ?? null },
          })
        : null,
    );
    this.waiting.get(grantId)?.(settled);
    this.waiting.delete(grantId);
  }

  async list(ctx: AuthContext | null, hostId: string): Promise<{ items: Grant[] }> {
    const auth = requireUser(ctx);
    const host = await this.hosts.own(auth, hostId);
    if (!(await this.hosts.rightsOf(auth, host)).connect) throw forbidden('no right on this host');
    return { items: (await this.storage.grants.ofHost(auth.user.orgId, host.id)).map((g) => this.view(g)) };
  }

  /** An agent (the grant's own) or an admin revokes: at once, here and on the host. */
  async revoke(ctx: AuthContext | null, hostId: string, grantId: string, address: string): Promise<Grant> {
    const auth = requireUser(ctx);
    const host = await this.hosts.own(auth, hostId);
    const grant = await this.storage.grants.byId(grantId);
    if (!grant || grant.hostId !== host.id) throw notFound('no such grant');
    if (grant.agentId !== auth.user.id && auth.user.role !== 'admin')
      throw forbidden('only the grant’s agent or an admin may revoke it');
    const revoked = await this.doRevoke(grant, userActor(auth), address, auth.user.name);
    return this.view(revoked ?? grant);
  }

  /** The person revoked the grant on the computer (CLI or tray); the host already forgot it. */
  async revokedByHost(hostId: string, grantId: string): Promise<void> {
    const grant = await this.storage.grants.byId(grantId);
    if (!grant || grant.hostId !== hostId) return;
    await this.doRevoke(grant, HOST_ACTOR(hostId), null, 'the customer');
  }

  private async doRevoke(
    grant: GrantRecord,
    actor: GrantEventRecord['actor'],
    address: string | null,
    by: string,
  ): Promise<GrantRecord | null> {
    const at = this.now().toISOString();
    const host = await this.storage.hosts.byId(grant.hostId);
    const revoked = await this.storage.grants.revoke(
      grant.id,
      at,
      by,
      recorded(this.event(grant, 'revoked', actor, address, null)),
      (g) =>
        queuedEvent(g.orgId, null, {
          type: 'unattended.revoked',
          occurredAt: at,
          host: { id: g.hostId, name: host?.name ?? '' },
          data: { grant: grantRef(g), revokedAt: at, revokedBy: by },
        }),
    );
    // The host ends a session running under it at once (it also refuses the grant from now on).
    this.hosts.presence.offer(grant.hostId, { type: 'grant_revoked', grantId: grant.id });
    this.waiting.get(grant.id)?.(revoked);
    this.waiting.delete(grant.id);
    return revoked;
  }

  /**
   * UA7: `POST /api/v1/hosts/:id/connect`. Attended, as before; unattended,
   * only with a reason and a grant of this agent's that admits now. Every
   * request made to a host is linked to it, so a grant can be asked in it.
   */
  async connect(
    ctx: AuthContext | null,
    hostId: string,
    input: unknown,
    address: string,
    createRequest: CreateRequest,
  ): Promise<SessionRequestSummary> {
    const auth = requireUser(ctx);
    const body = parseOrThrow(HostConnectSchema, input ?? {});
    const host = await this.hosts.own(auth, hostId);
    let grant: GrantRecord | null = null;
    if (body.unattended) {
      const nowMs = this.now().getTime();
      const grants = await this.storage.grants.activeFor(host.id, auth.user.id);
      grant =
        grants.find((g) => {
          const w = windowOf(g);
          return w !== null && grantAdmits(w, nowMs);
        }) ?? null;
      if (!grant) {
        await this.storage.grants.record(
          recorded({
            orgId: auth.user.orgId,
            hostId: host.id,
            grantId: grants[0]?.id ?? null,
            requestId: null,
            kind: 'refused',
            actor: userActor(auth),
            address,
            detail: grants.length
              ? `outside the window; reason: ${body.unattended.reason}`
              : 'no active grant',
            at: this.now().toISOString(),
          }),
        );
        throw new ApiError(
          403,
          ErrorCode.GRANT_NOT_ACTIVE,
          grants.length
            ? 'no unattended-access grant admits a connect now: outside its window'
            : 'no active unattended-access grant for this host',
        );
      }
    }
    const unattended =
      grant && body.unattended ? { grantId: grant.id, reason: body.unattended.reason } : undefined;
    const request = await this.hosts.connect(auth, host.id, createRequest, unattended);
    const link: HostSessionRecord = {
      requestId: request.id,
      orgId: auth.user.orgId,
      hostId: host.id,
      agentId: auth.user.id,
      grantId: grant?.id ?? null,
      reason: unattended?.reason ?? null,
      createdAt: this.now().toISOString(),
      startedAt: null,
      endedAt: null,
    };
    await this.storage.grants.linkSession(link);
    if (grant && unattended) {
      this.unattended.add(request.id);
      await this.storage.grants.record(
        recorded(this.event(grant, 'used', userActor(auth), address, unattended.reason, request.id)),
      );
    }
    return request;
  }

  /** The managed host a request was made to by a connect (null for a session a person joined). */
  async hostOf(requestId: string): Promise<string | null> {
    return (await this.storage.grants.hostSession(requestId))?.hostId ?? null;
  }

  /** The grant an unattended request was admitted by, as the room's consent policy reads it. */
  async grantFor(requestId: string, agentId: string): Promise<ConsentGrant | null> {
    const link = await this.storage.grants.hostSession(requestId);
    if (!link?.grantId || link.agentId !== agentId) return null;
    const g = await this.storage.grants.byId(link.grantId);
    const window = g && g.status === 'active' ? windowOf(g) : null;
    if (!g || !window) return null;
    return { kind: 'unattended', agentId: g.agentId, permissions: g.permissions, window };
  }

  private async boundary(requestId: string, live: boolean, at: string): Promise<void> {
    const link = await this.storage.grants.hostSession(requestId);
    if (!link?.grantId) return;
    if (!live && !link.startedAt) return;
    const grant = await this.storage.grants.byId(link.grantId);
    const host = await this.storage.hosts.byId(link.hostId);
    if (!grant) return;
    const kind = live ? 'session_started' : 'session_ended';
    const hostRef = { id: link.hostId, name: host?.name ?? '' };
    const hook = this.sessionHook(grant, requestId, live, at, hostRef);
    const out = await this.storage.grants.sessionBoundary(
      requestId,
      live ? 'start' : 'end',
      at,
      recorded(this.event(grant, kind, SYSTEM_ACTOR, null, link.reason, requestId)),
      (s) => queuedEvent(s.orgId, requestId, hook(s)),
    );
    if (out && !live) this.unattended.delete(requestId);
  }

  private sessionHook(
    grant: GrantRecord,
    requestId: string,
    live: boolean,
    at: string,
    hostRef: { id: string; name: string },
  ): (s: HostSessionRecord) => GrantWebhook {
    return (s) => {
      const session = {
        grant: grantRef(grant),
        requestId,
        reason: s.reason ?? '',
        startedAt: s.startedAt ?? at,
      };
      return live
        ? { type: 'unattended.session_started', occurredAt: at, host: hostRef, data: session }
        : {
            type: 'unattended.session_ended',
            occurredAt: at,
            host: hostRef,
            data: {
              ...session,
              endedAt: at,
              durationMs: Math.max(0, Date.parse(at) - Date.parse(session.startedAt)),
            },
          };
    };
  }

  view(g: GrantRecord): Grant {
    const window = g.status === 'active' ? windowOf(g) : null;
    return {
      id: g.id,
      hostId: g.hostId,
      agent: { id: g.agentId, name: g.agentName },
      mode: g.mode,
      permissions: g.permissions,
      duration: g.duration,
      daily: g.daily,
      timeZone: g.timeZone,
      status: g.status,
      createdAt: g.createdAt,
      approvedAt: g.approvedAt,
      verifiedUser: g.verifiedUser,
      verifiedAt: g.verifiedAt,
      revokedAt: g.revokedAt,
      revokedBy: g.revokedBy,
      admitsNow: window !== null && grantAdmits(window, this.now().getTime()),
    };
  }

  private event(
    g: GrantRecord,
    kind: GrantEventRecord['kind'],
    actor: GrantEventRecord['actor'],
    address: string | null,
    detail: string | null,
    requestId: string | null = g.requestId,
  ): GrantEventRecord {
    return {
      orgId: g.orgId,
      hostId: g.hostId,
      grantId: g.id,
      requestId,
      kind,
      actor,
      address,
      detail,
      at: this.now().toISOString(),
    };
  }
}

const SYSTEM_ACTOR: GrantEventRecord['actor'] = { type: 'system', id: null, name: null };
const HOST_ACTOR = (hostId: string): GrantEventRecord['actor'] => ({ type: 'host', id: hostId, name: null });
const userActor = (auth: AuthContext): GrantEventRecord['actor'] => ({
  type: 'user',
  id: auth.user.id,
  name: auth.user.name,
});
const grantRef = (g: GrantRecord) => ({
  id: g.id,
  agent: { id: g.agentId, name: g.agentName },
  mode: g.mode,
});

function allowedBy(rights: { control: boolean; files: boolean; systemInfo: boolean }): RemotePermission[] {
  const out: RemotePermission[] = ['view'];
  if (rights.control) out.push('control');
  if (rights.files) out.push('file_transfer');
  if (rights.systemInfo) out.push('system_info');
  return out;
}
