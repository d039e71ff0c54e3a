import {
  assistDeepLink,
  consoleLink,
  customerLink,
  formatSessionCode,
  supporterLink,
  type Assignee,
  type SessionRequest,
  type SessionRequestSummary,
} from '@beckon/protocol';
import type { KeyObject } from 'node:crypto';
import type { RequestRecord, Storage } from '../storage/types.ts';
import { deriveLinkToken } from './secrets.ts';

export interface ReadModelContext {
  publicUrl: string;
  secret: KeyObject;
  storage: Storage;
}

/** Resolves assignee names once per list, not once per row. */
export class NameCache {
  private readonly names = new Map<string, string | null>();
  private readonly ctx: ReadModelContext;
  constructor(ctx: ReadModelContext) {
    this.ctx = ctx;
  }
  async assignee(r: RequestRecord): Promise<Assignee> {
    if (r.assigneeType === 'unassigned' || !r.assigneeId) return { type: 'unassigned', id: null, name: null };
    const key = `${r.assigneeType}:${r.assigneeId}`;
    if (!this.names.has(key)) this.names.set(key, await this.lookup(r.orgId, r.assigneeType, r.assigneeId));
    return { type: r.assigneeType, id: r.assigneeId, name: this.names.get(key) ?? null };
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

// Link tokens never change for a request: derive each once per secret (bounded memory).
const tokenCaches = new WeakMap<KeyObject, Map<string, string>>();

export function linkTokenOf(ctx: ReadModelContext, r: RequestRecord): string {
  let tokenCache = tokenCaches.get(ctx.secret);
  if (!tokenCache) tokenCaches.set(ctx.secret, (tokenCache = new Map()));
  const key = `${r.id}:${r.tokenSalt}`;
  let token = tokenCache.get(key);
  if (token === undefined) {
    token = deriveLinkToken(ctx.secret, r.id, r.tokenSalt);
    if (tokenCache.size >= 50_000) tokenCache.clear();
    tokenCache.set(key, token);
  }
  return token;
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
