import {
  assistDeepLink,
  consoleLink,
  customerLink,
  formatSessionCode,
  isFinal,
  supporterLink,
  type Assignee,
  type SessionRequest,
  type SessionRequestSummary,
} from '@beckon/protocol';
import type { KeyObject } from 'node:crypto';
import type { RequestRecord, Storage } from '../storage/types.ts';
import { deriveLinkToken } from './link-tokens.ts';

/**
 * The request can still be joined: not ended and not past its expiry, which
 * counts at once, before the sweeper has marked it `expired`.
 */
export function isLive(r: Pick<RequestRecord, 'status' | 'expiresAt'>, nowMs: number): boolean {
  return !isFinal(r.status) && Date.parse(r.expiresAt) > nowMs;
}

export interface ReadModelContext {
  publicUrl: string;
  secret: KeyObject;
  storage: Storage;
}

type AssigneeOf = Pick<RequestRecord, 'assigneeType' | 'assigneeId'>;
type Named = Exclude<RequestRecord['assigneeType'], 'unassigned'>;
const unassigned = (): Assignee => ({ type: 'unassigned', id: null, name: null });

/** Resolves assignee names once per list, not once per row. */
export class NameCache {
  private readonly names: Record<Named, Map<string, string | null>> = {
    agent: new Map(),
    device: new Map(),
    queue: new Map(),
  };
  private readonly ctx: ReadModelContext;
  constructor(ctx: ReadModelContext) {
    this.ctx = ctx;
  }
  /** A name already at hand (the signed-in agent's own), so it is not looked up. */
  know(type: Named, id: string, name: string): this {
    this.names[type].set(id, name);
    return this;
  }
  async assignee(r: AssigneeOf & Pick<RequestRecord, 'orgId'>): Promise<Assignee> {
    const known = this.known(r);
    if (known || r.assigneeType === 'unassigned' || !r.assigneeId) return known ?? unassigned();
    const name = await this.lookup(r.orgId, r.assigneeType, r.assigneeId);
    this.names[r.assigneeType].set(r.assigneeId, name);
    return { type: r.assigneeType, id: r.assigneeId, name };
  }
  /** The assignee if its name is already known (or there is none): nothing to wait for. */
  known(r: AssigneeOf): Assignee | undefined {
    if (r.assigneeType === 'unassigned' || !r.assigneeId) return unassigned();
    const name = this.names[r.assigneeType].get(r.assigneeId);
    return name === undefined ? undefined : { type: r.assigneeType, id: r.assigneeId, name };
  }
  private async lookup(
    orgId: string,
    type: RequestRecord['assigneeType'],
    id: string,
  ): Promise<string | null> {
    const s = this.ctx.storage;
    if (type === 'agent') return (await s.users.byId(id))?.name ?? null;
    if (type === 'device') return (await s.devices.get(orgId, id))?.name ?? null;
    if (type === 'queue') return (await s.queues.get(orgId, id))?.name ?? null;
    return null;
  }
}

/** The link token of a request (derived once, then remembered). */
export function linkTokenOf(ctx: ReadModelContext, r: RequestRecord): string {
  return deriveLinkToken(ctx.secret, r.id, r.tokenSalt);
}

export async function toSummary(
  ctx: ReadModelContext,
  r: RequestRecord,
  names = new NameCache(ctx),
): Promise<SessionRequestSummary> {
  const token = linkTokenOf(ctx, r);
  return {
    id: r.id,
    code: r.code,
    displayCode: formatSessionCode(r.code),
    status: r.status,
    recipientName: r.recipientName,
    recipientEmail: r.recipientEmail,
    language: r.language,
    comment: r.comment,
    scheduledAt: r.scheduledAt,
    expiresAt: r.expiresAt,
    timeZone: r.timeZone,
    assignee: await names.assignee(r),
    permissions: r.permissions,
    ticket: r.ticket,
    createdBy: r.createdBy,
    customerLink: customerLink(ctx.publicUrl, token),
    assistLink: assistDeepLink(token),
    supporterLink: supporterLink(r.id),
    consoleLink: consoleLink(ctx.publicUrl, r.id),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    closedAt: r.closedAt,
  };
}

export async function toDetail(ctx: ReadModelContext, r: RequestRecord): Promise<SessionRequest> {
  return { ...(await toSummary(ctx, r)), events: await ctx.storage.requests.events(r.id) };
}
