import {
  ApiScope,
  ErrorCode,
  formatSessionCode,
  isFinal,
  MAX_CASE_EXPIRY_HOURS,
  ServiceCaseCreateSchema,
  summarizeSessions,
  TicketQuerySchema,
  type Actor,
  type AssigneeInput,
  type CaseTicket,
  type ServiceCase,
  type SessionRecord,
  type TicketCloseCheck,
} from '@beckon/protocol';
import type { NewEvent, RequestRecord, Storage } from '../storage/types.ts';
import { ApiError, fieldError, notFound, parseOrThrow } from './api-error.ts';
import { authorize, type ApiTokenContext, type Principal } from './api-tokens.ts';
import type { AuthContext } from './auth.ts';
import { isLive, toSummary, type ReadModelContext } from './read-model.ts';
import type { RequestService } from './request-service.ts';
import { newRequestIdentity } from './secrets.ts';
import { caseCreated } from './webhook-events.ts';

const HOUR_MS = 60 * 60 * 1000;

export interface CaseServiceDeps {
  rm: ReadModelContext;
  requests: RequestService;
  now?: () => Date;
  /** Called once a case's first webhook deliveries are committed. */
  onEvent?: () => void;
}

type Caller = { auth: AuthContext | null; token: ApiTokenContext | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Service cases (SC2–SC4, SC7): a session request tied to a helpdesk ticket.
 * At most one open case per ticket; links live at most 24 hours and die when
 * the case is closed; every session inside it is recorded.
 */
export class ServiceCaseService {
  private readonly rm: ReadModelContext;
  private readonly storage: Storage;
  private readonly requests: RequestService;
  private readonly now: () => Date;
  private readonly onEvent: () => void;
  constructor(deps: CaseServiceDeps) {
    this.rm = deps.rm;
    this.storage = deps.rm.storage;
    this.requests = deps.requests;
    this.now = deps.now ?? (() => new Date());
    this.onEvent = deps.onEvent ?? (() => {});
  }

  async create(caller: Caller, input: unknown): Promise<ServiceCase> {
    const p = authorize(caller.auth, caller.token, ApiScope.CASES_WRITE);
    const body = parseOrThrow(ServiceCaseCreateSchema, input);
    const now = this.now();
    const times = checkCaseTimes(now, body.scheduledAt, body.expiresAt);
    const assignee = await this.resolveAssignee(p, body.assignee);
    const sendInvite = body.sendInvite ?? Boolean(body.recipientEmail);
    const base = {
      orgId: p.orgId,
      status: 'open' as const,
      recipientName: body.recipientName,
      recipientEmail: body.recipientEmail ?? null,
      language: body.language,
      comment: body.comment?.trim() || null,
      ...times,
      timeZone: body.timeZone,
      assigneeType: assignee.type,
      assigneeId: assignee.id,
      permissions: body.permissions,
      ticket: body.ticket,
      createdBy: p.actor,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      closedAt: null,
      version: 0,
    };
    const info = {
      system: body.ticket.system,
      ticketId: body.ticket.ticketId,
      apiTokenId: p.kind === 'token' ? p.token.id : null,
    };
    let expiredStale = false;
    for (let attempt = 0; attempt < 10; attempt++) {
      const record: RequestRecord = { ...base, ...newRequestIdentity(now.getTime()) };
      const mails = sendInvite ? [await this.invite(record, assignee.name)] : [];
      const event = (kind: NewEvent['kind'], reason: string | null): NewEvent => ({
        at: base.createdAt,
        kind,
        fromStatus: null,
        toStatus: kind === 'created' ? 'open' : null,
        actor: p.actor,
        reason,
      });
      const events = [
        event('created', `service case for ${info.system} ticket ${info.ticketId}`),
        ...(mails.length ? [event('invite_queued', `invite to ${record.recipientEmail}`)] : []),
      ];
      const outcome = await this.storage.cases.create(record, info, events, mails, [caseCreated(record)]);
      if (outcome.ok) {
        if (mails.length) this.requests.mailQueued();
        this.onEvent();
        const summary = toSummary(this.rm, record);
        this.requests.publish('created', record, summary);
        return { ...(await summary), ...caseExtras(record, [], now) };
      }
      if (outcome.reason === 'code_taken') continue;
      const active = outcome.active;
      // An open case past its expiry frees the ticket: expire it now (the sweeper would, a moment later).
      if (!expiredStale && Date.parse(active.expiresAt) <= now.getTime()) {
        expiredStale = true;
        await this.requests
          .applyEvent(
            active.orgId,
            active.id,
            'expired',
            { type: 'system', id: null, name: 'expiry' },
            'expiry passed',
          )
          .catch(ignoreApiError);
        continue;
      }
      throw new ApiError(
        409,
        ErrorCode.CONFLICT,
        `ticket ${info.system}/${info.ticketId} already has an open case (${formatSessionCode(active.code)}, ${active.status}); close it first`,
        { activeCase: activeRef(active) },
      );
    }
    throw new ApiError(503, ErrorCode.INTERNAL, 'could not allocate a session code; try again');
  }

  async get(caller: Caller, id: unknown): Promise<ServiceCase> {
    const p = authorize(caller.auth, caller.token, ApiScope.CASES_READ);
    return this.toCase(await this.load(p, id));
  }

  /** Every case of a ticket, newest first (an open one, if any, is first). */
  async byTicket(caller: Caller, query: unknown): Promise<{ items: ServiceCase[] }> {
    const p = authorize(caller.auth, caller.token, ApiScope.CASES_READ);
    const q = parseOrThrow(TicketQuerySchema, query);
    const records = await this.storage.cases.byTicket(p.orgId, q.system, q.ticketId, 100);
    const sessions = await this.storage.sessions.ofRequests(records.map((r) => r.id));
    const now = this.now();
    return {
      items: await Promise.all(
        records.map(async (r) => ({
          ...(await toSummary(this.rm, r)),
          ...caseExtras(r, sessions.get(r.id) ?? [], now),
        })),
      ),
    };
  }

  /** SC7: a ticket may be closed only while none of its cases is open. */
  async closeCheck(caller: Caller, query: unknown): Promise<TicketCloseCheck> {
    const p = authorize(caller.auth, caller.token, ApiScope.CASES_READ);
    const q = parseOrThrow(TicketQuerySchema, query);
    const now = this.now();
    const open = (await this.storage.cases.byTicket(p.orgId, q.system, q.ticketId, 100)).find((r) =>
      isLive(r, now.getTime()),
    );
    return {
      ticket: q,
      canClose: !open,
      reason: open
        ? `case ${formatSessionCode(open.code)} is still open (${open.status}); close the case before the ticket`
        : null,
      activeCase: open ? activeRef(open) : null,
    };
  }

  /** Ends the case at once (links and code die) and answers with its sessions. Closing twice is not an error. */
  async close(caller: Caller, id: unknown): Promise<ServiceCase> {
    const p = authorize(caller.auth, caller.token, ApiScope.CASES_WRITE);
    const record = await this.load(p, id);
    if (isFinal(record.status)) return this.toCase(record);
    try {
      await this.requests.applyEvent(record.orgId, record.id, 'closed', p.actor, 'case closed');
    } catch (err) {
      // Closed or expired by someone else meanwhile: the answer is the same.
      ignoreApiError(err);
    }
    this.onEvent();
    return this.toCase((await this.storage.requests.get(record.orgId, record.id)) ?? record);
  }

  /** Closes the given cases (a revoked token's, SC12). */
  async closeMany(orgId: string, ids: string[], actor: Actor): Promise<void> {
    for (const id of ids) {
      await this.requests.applyEvent(orgId, id, 'closed', actor, 'API token revoked').catch(ignoreApiError);
    }
    this.onEvent();
  }

  /** Sessions of any request (case or not) for its detail page. */
  async sessionsOf(caller: Caller, id: unknown): Promise<{ items: SessionRecord[] }> {
    const p = authorize(caller.auth, caller.token, ApiScope.CASES_READ);
    if (typeof id !== 'string' || !UUID.test(id)) throw notFound('no such session request');
    const record = await this.storage.requests.get(p.orgId, id);
    // A token sees the sessions of cases only, never of an agent's own requests.
    if (!record || (p.kind === 'token' && !(await this.storage.cases.get(p.orgId, id))))
      throw notFound('no such session request');
    return { items: await this.storage.sessions.ofRequest(id) };
  }

  private async load(p: Principal, id: unknown): Promise<RequestRecord> {
    if (typeof id !== 'string' || !UUID.test(id)) throw notFound('no such service case');
    const found = await this.storage.cases.get(p.orgId, id);
    if (!found) throw notFound('no such service case');
    return found.record;
  }

  private async toCase(r: RequestRecord): Promise<ServiceCase> {
    const sessions = await this.storage.sessions.ofRequest(r.id);
    return { ...(await toSummary(this.rm, r)), ...caseExtras(r, sessions, this.now()) };
  }

  private async invite(record: RequestRecord, agentName: string) {
    const org = await this.storage.orgs.get(record.orgId);
    const ctx = {
      agentName: agentName || org?.name || 'Beckon',
      companyName: org?.name ?? 'Beckon',
      at: this.now(),
    };
    return this.requests.renderInvite(record, ctx);
  }

  /** Like a session request's assignee, except that a token has no "me" and defaults to unassigned. */
  private async resolveAssignee(p: Principal, a: AssigneeInput | undefined) {
    const input = a ?? (p.kind === 'user' ? { type: 'me' as const } : { type: 'unassigned' as const });
    const s = this.storage;
    switch (input.type) {
      case 'unassigned':
        return { type: 'unassigned' as const, id: null, name: '' };
      case 'me':
        if (p.kind !== 'user')
          throw fieldError('assignee', 'an API token has no "me"; name an agent, device or queue');
        return { type: 'agent' as const, id: p.auth.user.id, name: p.auth.user.name };
      case 'agent': {
        const user = await s.users.byId(input.id);
        if (!user || user.orgId !== p.orgId || user.disabled)
          throw fieldError('assignee.id', 'no such agent');
        return { type: 'agent' as const, id: input.id, name: user.name };
      }
      case 'device': {
        const device = await s.devices.get(p.orgId, input.id);
        if (!device) throw fieldError('assignee.id', 'no such device');
        return {
          type: 'device' as const,
          id: input.id,
          name: (await s.users.byId(device.userId))?.name ?? '',
        };
      }
      case 'queue': {
        const queue = await s.queues.get(p.orgId, input.id);
        if (!queue) throw fieldError('assignee.id', 'no such queue');
        return { type: 'queue' as const, id: input.id, name: queue.name };
      }
    }
  }
}

/** SC4: a case's links live at most 24 hours from now; the default is exactly that. */
function checkCaseTimes(now: Date, scheduledAt: string | undefined, expiresAt: string | undefined) {
  const max = now.getTime() + MAX_CASE_EXPIRY_HOURS * HOUR_MS;
  const expires = expiresAt ? Date.parse(expiresAt) : max;
  if (expires <= now.getTime()) throw fieldError('expiresAt', 'must be in the future');
  if (expires > max) throw fieldError('expiresAt', `must be at most ${MAX_CASE_EXPIRY_HOURS} hours from now`);
  const scheduled = scheduledAt ? Date.parse(scheduledAt) : null;
  if (scheduled !== null && scheduled >= expires)
    throw fieldError('scheduledAt', 'must be before the expiry');
  return {
    scheduledAt: scheduled === null ? null : new Date(scheduled).toISOString(),
    expiresAt: new Date(expires).toISOString(),
  };
}

function caseExtras(r: RequestRecord, sessions: SessionRecord[], now: Date) {
  return {
    ticket: r.ticket as CaseTicket,
    active: isLive(r, now.getTime()),
    sessions,
    summary: summarizeSessions(sessions),
  };
}

const activeRef = (r: RequestRecord) => ({
  id: r.id,
  displayCode: formatSessionCode(r.code),
  status: r.status,
  expiresAt: r.expiresAt,
});

function ignoreApiError(err: unknown): void {
  if (!(err instanceof ApiError)) throw err;
}
