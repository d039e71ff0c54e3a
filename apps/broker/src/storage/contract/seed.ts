import { AuditAction, type SessionStatus } from '@beckon/protocol';
import { randomUUID } from 'node:crypto';
import type { AuditDraft } from '../audit-types.ts';
import type { NewEvent, NewMail, Org, RequestRecord, Storage, UserRecord } from '../types.ts';

/** Fixed instants, so tests read as a timeline. */
export const T0 = Date.UTC(2027, 0, 10, 9, 0, 0);
export const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

export interface Seeded {
  org: Org;
  admin: UserRecord;
}

export function userRecord(orgId: string, over: Partial<UserRecord> = {}): UserRecord {
  const id = randomUUID();
  return {
    id,
    orgId,
    email: `${id.slice(0, 8)}@example.com`,
    name: `User ${id.slice(0, 4)}`,
    role: 'support_agent',
    permissions: ['session_requests:view', 'session_requests:edit'],
    createdAt: at(0),
    disabled: false,
    passwordHash: 'scrypt$test',
    failedLogins: 0,
    lockedUntil: null,
    ...over,
  };
}

/** The database's one organisation and its admin (setup runs once per database). */
export async function seedOrg(storage: Storage): Promise<Seeded> {
  const org: Org = { id: randomUUID(), name: 'Acme', createdAt: at(0) };
  const admin = userRecord(org.id, { role: 'admin', email: 'admin@example.com', name: 'Ada Admin' });
  if (!(await storage.orgs.setupOnce(org, admin))) throw new Error('database was set up already');
  return { org, admin };
}

let codes = 100_000_000;
export function requestRecord(orgId: string, over: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: randomUUID(),
    orgId,
    code: String(codes++),
    tokenSalt: randomUUID(),
    legacyTokenHash: null,
    status: 'open',
    recipientName: 'Rita Recipient',
    recipientEmail: 'rita@example.com',
    language: 'en',
    comment: null,
    scheduledAt: null,
    expiresAt: at(3600),
    timeZone: 'UTC',
    assigneeType: 'unassigned',
    assigneeId: null,
    permissions: ['view', 'control'],
    ticket: null,
    createdBy: { type: 'user', id: null, name: 'Ada Admin' },
    createdAt: at(1),
    updatedAt: at(1),
    closedAt: null,
    version: 0,
    ...over,
  };
}

export const createdEvent = (r: RequestRecord): NewEvent => ({
  at: r.createdAt,
  kind: 'created',
  fromStatus: null,
  toStatus: 'open' as SessionStatus,
  actor: r.createdBy,
  reason: null,
});

export function newMail(orgId: string, over: Partial<NewMail> = {}): NewMail {
  return {
    orgId,
    requestId: null,
    kind: 'invite',
    to: 'rita@example.com',
    subject: 'Your support session',
    html: '<p>hello</p>',
    text: 'hello',
    language: 'en',
    createdAt: at(1),
    ...over,
  };
}

export const auditDraft = (orgId: string | null, i = 0, over: Partial<AuditDraft> = {}): AuditDraft => ({
  orgId,
  actor: { type: 'user', id: `u${i % 3}`, name: null },
  action: AuditAction.SIGN_IN,
  target: { type: 'user', id: `t${i % 2}` },
  details: { i },
  ip: null,
  at: at(i),
  ...over,
});

/** A request created in the store, with its `created` event. */
export async function seedRequest(storage: Storage, orgId: string, over: Partial<RequestRecord> = {}) {
  const r = requestRecord(orgId, over);
  if (!(await storage.requests.create(r, [createdEvent(r)], []))) throw new Error('code taken');
  return r;
}
