import {
  AccountPermission,
  ErrorCode,
  MAX_CASE_EXPIRY_HOURS,
  MAX_EXPIRY_DAYS,
  SessionRequestCreateSchema,
  SessionRequestPatchSchema,
  type Actor,
  type AssigneeInput,
  type SessionEvent,
  type SessionRequestSummary,
  type SessionStatus,
} from '@beckon/protocol';
import type { NewMail, RequestRecord, Storage } from '../storage/types.ts';
import type { TransitionAuditInfo } from '../storage/audit-types.ts';
import { ApiError, fieldError, notFound, parseOrThrow } from './api-error.ts';
import { requirePermission, type AuthContext } from './auth.ts';
import { inviteMail, statusMail } from './mails.ts';
import { NameCache, toDetail, toSummary, type ReadModelContext } from './read-model.ts';
import { RequestList } from './request-list.ts';
import { newRequestIdentity } from './secrets.ts';
import { transitionRules } from './transition-rules.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_EXPIRY_MS = DAY_MS;

export type ChangeKind = 'created' | 'updated' | 'status';
/**
 * Told of every change. The read model is built only if a listener asks for
 * it (a live hub with nobody connected does not), and then once for all.
 */
export type ChangeListener = (
  orgId: string,
  change: ChangeKind,
  request: () => Promise<SessionRequestSummary>,
  ref: { id: string; status: SessionStatus },
) => void;

export interface InviteContext {
  agentName: string;
  companyName: string;
  at: Date;
}

const actorOf = (ctx: AuthContext): Actor => ({ type: 'user', id: ctx.user.id, name: ctx.user.name });

/** What the request service is given by the broker's wiring (each optional: a bare service mails with the built-in templates). */
export interface RequestHooks {
  /** Called after a mail was committed to the outbox, so it goes out at once. */
  onMailQueued?: () => void;
  /** Renders an invite from the organisation's own template, if it has one (SC10). */
  renderInvite?: (r: RequestRecord, p: InviteContext) => Promise<NewMail | null>;
  /**
   * Mails for the supporters when the customer arrives (SC5, SC11): looked up
   * before the transaction, committed with the change that makes it `waiting`.
   */
  joinNotices?: (orgId: string, id: string) => Promise<((r: RequestRecord) => NewMail[]) | null>;
}

/** Session requests: every rule of SR1–SR5 that is not a wire format lives here. */
export class RequestService {
  private readonly storage: Storage;
  private readonly rm: ReadModelContext;
  private readonly now: () => Date;
  private readonly listeners = new Set<ChangeListener>();
  private readonly list: RequestList;
  private readonly hooks: RequestHooks;
  constructor(rm: ReadModelContext, now: () => Date = () => new Date(), hooks: RequestHooks = {}) {
    this.rm = rm;
    this.hooks = hooks;
    this.storage = rm.storage;
    this.now = now;
    this.list = new RequestList(rm, now);
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells listeners of a change (also used by service cases, which create requests of their own). */
  publish(change: ChangeKind, record: RequestRecord, built?: Promise<SessionRequestSummary>): void {
    let summary = built;
    const lazy = () => (summary ??= toSummary(this.rm, record));
    const ref = { id: record.id, status: record.status };
    for (const listener of this.listeners) listener(record.orgId, change, lazy, ref);
  }

  /**
   * Tells listeners of a change another broker made. Most listeners need only
   * the id and status, which came with it; the request is read from storage
   * only when one asks for the summary (a live channel with an agent on it),
   * so a create costs the other brokers no read.
   */
  publishFrom(orgId: string, change: ChangeKind, ref: { id: string; status: SessionStatus }): void {
    let summary: Promise<SessionRequestSummary> | undefined;
    const lazy = () =>
      (summary ??= this.storage.requests.get(orgId, ref.id).then((record) => {
        if (!record) throw new Error(`request ${ref.id} is gone`);
        return toSummary(this.rm, record);
      }));
    for (const listener of this.listeners) listener(orgId, change, lazy, ref);
  }

  /** Tells the outbox worker a mail was committed, so it goes out at once (also used by service cases). */
  mailQueued(): void {
    this.hooks.onMailQueued?.();
  }

  /** The invite mail: the organisation's own template if it has one (SC10), else the built-in one. */
  async renderInvite(record: RequestRecord, p: InviteContext): Promise<NewMail> {
    return (await this.hooks.renderInvite?.(record, p)) ?? inviteMail(this.rm, record, p);
  }

  async create(ctx: AuthContext | null, input: unknown): Promise<SessionRequestSummary> {
    const auth = requirePermission(ctx, AccountPermission.REQUESTS_EDIT);
    const body = parseOrThrow(SessionRequestCreateSchema, input);
    const now = this.now();
    const { scheduledAt, expiresAt } = this.checkTimes(now, body.scheduledAt ?? null, body.expiresAt);
    const assignee = await this.resolveAssignee(auth, body.assignee);
    const base = {
      orgId: auth.user.orgId,
      status: 'open' as const,
      recipientName: body.recipientName,
      recipientEmail: body.recipientEmail ?? null,
      language: body.language,
      comment: body.comment?.trim() || null,
      scheduledAt,
      expiresAt,
      timeZone: body.timeZone,
      assigneeType: assignee.type,
      assigneeId: assignee.id,
      permissions: body.permissions,
      ticket: body.ticket ?? null,
      createdBy: actorOf(auth),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      closedAt: null,
      version: 0,
    };
    // A code collides with a live request about once in 10^8 / live count: draw again.
    for (let attempt = 0; attempt < 10; attempt++) {
      const record: RequestRecord = { ...base, ...newRequestIdentity(now.getTime()) };
      const mails = body.sendInvite ? [await this.buildInvite(record, auth.user.name)] : [];
      const events = [
        {
          at: base.createdAt,
          kind: 'created' as const,
          fromStatus: null,
          toStatus: 'open' as const,
          actor: actorOf(auth),
          reason: null,
        },
        ...(mails.length ? [this.inviteEvent(auth, record.recipientEmail)] : []),
      ];
      if (!(await this.storage.requests.create(record, events, mails))) continue;
      if (mails.length) this.mailQueued();
      // One read model serves the caller and the live channel. Requests are
      // mostly assigned to their creator ('me'), whose name is at hand.
      const names = new NameCache(this.rm).know('agent', auth.user.id, auth.user.name);
      const summary = toSummary(this.rm, record, names);
      this.publish('created', record, summary);
      return summary;
    }
    throw new ApiError(503, ErrorCode.INTERNAL, 'could not allocate a session code; try again');
  }

  private inviteEvent(auth: AuthContext, to: string | null) {
    return {
      at: this.now().toISOString(),
      kind: 'invite_queued' as const,
      fromStatus: null,
      toStatus: null,
      actor: actorOf(auth),
      reason: to ? `invite to ${to}` : null,
    };
  }

  private async buildInvite(record: RequestRecord, agentName: string): Promise<NewMail> {
    const org = await this.storage.orgs.get(record.orgId);
    const p = { agentName, companyName: org?.name ?? 'Beckon', at: this.now() };
    return this.renderInvite(record, p);
  }

  /** Default expiry 24 h after creation or the scheduled time; at most 30 days out, never in the past. */
  private checkTimes(now: Date, scheduledAt: string | null, expiresAt: string | undefined) {
    const scheduled = scheduledAt ? new Date(scheduledAt) : null;
    const expires = expiresAt
      ? new Date(expiresAt)
      : new Date((scheduled && scheduled > now ? scheduled : now).getTime() + DEFAULT_EXPIRY_MS);
    if (expires.getTime() <= now.getTime()) throw fieldError('expiresAt', 'must be in the future');
    if (expires.getTime() > now.getTime() + MAX_EXPIRY_DAYS * DAY_MS) {
      throw fieldError('expiresAt', `must be at most ${MAX_EXPIRY_DAYS} days from now`);
    }
    if (scheduled && scheduled.getTime() >= expires.getTime())
      throw fieldError('scheduledAt', 'must be before the expiry');
    return { scheduledAt: scheduled?.toISOString() ?? null, expiresAt: expires.toISOString() };
  }

  private async resolveAssignee(auth: AuthContext, a: AssigneeInput) {
    const orgId = auth.user.orgId;
    switch (a.type) {
      case 'unassigned':
        return { type: 'unassigned' as const, id: null };
      case 'me':
        return { type: 'agent' as const, id: auth.user.id };
      case 'agent': {
        const user = await this.storage.users.byId(a.id);
        if (!user || user.orgId !== orgId) throw fieldError('assignee.id', 'no such agent');
        return { type: 'agent' as const, id: a.id };
      }
      case 'device':
        if (!(await this.storage.devices.get(orgId, a.id))) throw fieldError('assignee.id', 'no such device');
        return { type: 'device' as const, id: a.id };
      case 'queue':
        if (!(await this.storage.queues.get(orgId, a.id))) throw fieldError('assignee.id', 'no such queue');
        return { type: 'queue' as const, id: a.id };
    }
  }

  /** A page of requests as JSON text (see RequestList). */
  async listJson(ctx: AuthContext | null, query: unknown): Promise<string> {
    return this.list.page(requirePermission(ctx, AccountPermission.REQUESTS_VIEW), query);
  }

  private async load(auth: AuthContext, id: unknown): Promise<RequestRecord> {
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) throw notFound('no such session request');
    const record = await this.storage.requests.get(auth.user.orgId, id);
    if (!record) throw notFound('no such session request');
    return record;
  }

  async get(ctx: AuthContext | null, id: unknown) {
    const auth = requirePermission(ctx, AccountPermission.REQUESTS_VIEW);
    return toDetail(this.rm, await this.load(auth, id));
  }

  async patch(ctx: AuthContext | null, id: unknown, input: unknown) {
    const auth = requirePermission(ctx, AccountPermission.REQUESTS_EDIT);
    const body = parseOrThrow(SessionRequestPatchSchema, input);
    const record = await this.load(auth, id);
    assertLive(record.status);
    const now = this.now();
    const scheduledAt = body.scheduledAt === undefined ? record.scheduledAt : body.scheduledAt;
    const times =
      body.expiresAt !== undefined || body.scheduledAt !== undefined
        ? this.checkTimes(now, scheduledAt, body.expiresAt ?? record.expiresAt)
        : { scheduledAt: record.scheduledAt, expiresAt: record.expiresAt };
    const assignee = body.assignee ? await this.resolveAssignee(auth, body.assignee) : null;
    // SC4: a service case's links never live longer than 24 hours from now.
    const caseLimit = now.getTime() + MAX_CASE_EXPIRY_HOURS * 3_600_000;
    if (Date.parse(times.expiresAt) > caseLimit && (await this.storage.cases.get(auth.user.orgId, record.id)))
      throw fieldError('expiresAt', `a service case expires at most ${MAX_CASE_EXPIRY_HOURS} hours from now`);
    const changed = Object.keys(body).sort().join(', ');
    const updated = await this.storage.requests.update(
      auth.user.orgId,
      record.id,
      {
        ...(body.comment !== undefined ? { comment: body.comment.trim() || null } : {}),
        ...(assignee ? { assigneeType: assignee.type, assigneeId: assignee.id } : {}),
        scheduledAt: times.scheduledAt,
        expiresAt: times.expiresAt,
      },
      {
        at: now.toISOString(),
        kind: 'updated',
        fromStatus: null,
        toStatus: null,
        actor: actorOf(auth),
        reason: `changed ${changed}`,
      },
    );
    if (!updated) throw notFound('no such session request');
    this.publish('updated', updated);
    return toDetail(this.rm, updated);
  }

  async close(ctx: AuthContext | null, id: unknown) {
    const auth = requirePermission(ctx, AccountPermission.REQUESTS_EDIT);
    const record = await this.load(auth, id);
    const result = await this.applyEvent(record.orgId, record.id, 'closed', actorOf(auth), 'closed by agent');
    return toDetail(this.rm, result);
  }

  async invite(ctx: AuthContext | null, id: unknown, to: string | undefined) {
    const auth = requirePermission(ctx, AccountPermission.REQUESTS_EDIT);
    const record = await this.load(auth, id);
    assertLive(record.status);
    const recipient = to ?? record.recipientEmail;
    if (!recipient) throw fieldError('recipientEmail', 'the request has no email address; give one');
    const mail = await this.buildInvite({ ...record, recipientEmail: recipient }, auth.user.name);
    await this.storage.requests.addEventAndMails(record.id, this.inviteEvent(auth, recipient), [mail]);
    this.mailQueued();
    return toDetail(this.rm, record);
  }

  /**
   * The one path for status changes (agents, signaling, the sweeper): the
   * protocol's transition inside a storage transaction, an event row, and
   * status mails to the recipient once the request ends.
   */
  async applyEvent(
    orgId: string,
    id: string,
    event: SessionEvent,
    actor: Actor,
    reason: string | null,
    audit?: TransitionAuditInfo,
  ) {
    const at = this.now();
    // Only an ending mails the recipient, and only if they were invited: the
    // history is read for endings, not for every step of a session.
    const ends = event === 'closed' || event === 'expired';
    const invited = ends && (await this.storage.requests.events(id)).some((e) => e.kind === 'invite_queued');
    const org = invited ? await this.storage.orgs.get(orgId) : null;
    const notices = event === 'client_joined' ? await this.hooks.joinNotices?.(orgId, id) : null;
    let mailed = false;
    const outcome = await this.storage.requests.applyEvent(
      orgId,
      id,
      event,
      { at: at.toISOString(), actor, reason, audit },
      transitionRules((r, from) => {
        const ended = Boolean(
          invited && r.recipientEmail && (r.status === 'closed' || r.status === 'expired'),
        );
        const out = ended
          ? [statusMail(r, { companyName: org?.name ?? 'Beckon', agentName: r.createdBy.name ?? '', at })]
          : [];
        // Only an arrival (open → waiting) rings, not a client reconnecting.
        if (notices && from === 'open' && r.status === 'waiting') out.push(...notices(r));
        mailed = out.length > 0;
        return out;
      }),
    );
    if (mailed) this.mailQueued();
    if (!outcome.ok) {
      if (outcome.reason === 'not_found') throw notFound('no such session request');
      if (outcome.status) assertLive(outcome.status);
      throw new ApiError(
        409,
        ErrorCode.ILLEGAL_TRANSITION,
        `cannot apply '${event}' while the request is ${outcome.status}`,
      );
    }
    if (outcome.changed) this.publish('status', outcome.record);
    return outcome.record;
  }

  /** Expires every request whose expiry has passed; returns how many. */
  async expireDue(): Promise<number> {
    let count = 0;
    for (;;) {
      const due = await this.storage.requests.dueForExpiry(this.now().toISOString(), 100);
      if (due.length === 0) return count;
      for (const { orgId, id } of due) {
        try {
          await this.applyEvent(
            orgId,
            id,
            'expired',
            { type: 'system', id: null, name: 'expiry' },
            'expiry passed',
          );
          count++;
        } catch (error) {
          // Closed meanwhile by someone else: nothing to expire.
          if (!(error instanceof ApiError)) throw error;
        }
      }
    }
  }
}

/** A closed or expired request takes no more changes: 409 with the reason as its code. */
function assertLive(status: RequestRecord['status']): void {
  if (status === 'closed') throw new ApiError(409, ErrorCode.REQUEST_CLOSED, 'request is closed');
  if (status === 'expired') throw new ApiError(409, ErrorCode.REQUEST_EXPIRED, 'request is expired');
}
