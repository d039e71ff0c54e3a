import type {
  DailyWindow,
  GrantDuration,
  GrantMode,
  GrantStatus,
  RemotePermission,
  UnattendedWebhookEvent,
} from '@beckon/protocol';
import type { AuditDraft } from './audit-types.ts';
import type { QueuedWebhookEvent } from './helpdesk-types.ts';

/** The unattended-access part of the Storage interface (see types.ts): each method one transaction. */

export interface GrantRecord {
  id: string;
  orgId: string;
  hostId: string;
  agentId: string;
  agentName: string;
  /** The live session it was asked in. */
  requestId: string;
  mode: GrantMode;
  permissions: RemotePermission[];
  duration: GrantDuration;
  daily: DailyWindow | null;
  timeZone: string;
  status: GrantStatus;
  createdAt: string;
  approvedAt: string | null;
  verifiedUser: string | null;
  verifiedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

/** One line of the record: every ask, answer, use, refusal and revocation, with who, when and from where. */
export interface GrantEventRecord {
  orgId: string;
  hostId: string;
  grantId: string | null;
  requestId: string | null;
  kind: 'asked' | 'granted' | 'denied' | 'used' | 'refused' | 'revoked' | 'session_started' | 'session_ended';
  actor: { type: 'user' | 'host' | 'system'; id: string | null; name: string | null };
  address: string | null;
  detail: string | null;
  at: string;
}

/** A request an agent's Connect to a managed host made; unattended ones name their grant and reason. */
export interface HostSessionRecord {
  requestId: string;
  orgId: string;
  hostId: string;
  agentId: string;
  grantId: string | null;
  reason: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
}

/** A webhook to queue in the same transaction as its cause (domain/webhook-events.ts numbers it). */
export type GrantWebhook = UnattendedWebhookEvent extends infer E
  ? E extends unknown
    ? Omit<E, 'id'>
    : never
  : never;

/** A grant event with its audit entry (domain/grant-records.ts): both written in one transaction. */
export interface RecordedGrantEvent {
  event: GrantEventRecord;
  audit: AuditDraft;
}

export interface GrantStore {
  create(grant: GrantRecord, event: RecordedGrantEvent): Promise<void>;
  byId(id: string): Promise<GrantRecord | null>;
  ofHost(orgId: string, hostId: string): Promise<GrantRecord[]>;
  /** The active grants of one agent on one host. */
  activeFor(hostId: string, agentId: string): Promise<GrantRecord[]>;
  /** Settles a pending grant (null if it was not pending): the answer, its record and its webhook at once. */
  settle(
    id: string,
    update: Pick<GrantRecord, 'status' | 'approvedAt' | 'verifiedUser' | 'verifiedAt'>,
    event: RecordedGrantEvent,
    webhook: QueuedWebhookEvent | null,
  ): Promise<GrantRecord | null>;
  /** Revokes an active or pending grant (null if it was neither). */
  revoke(
    id: string,
    at: string,
    by: string,
    event: RecordedGrantEvent,
    webhook: (g: GrantRecord) => QueuedWebhookEvent,
  ): Promise<GrantRecord | null>;
  record(event: RecordedGrantEvent): Promise<void>;
  events(orgId: string, hostId: string, limit: number): Promise<GrantEventRecord[]>;
  linkSession(session: HostSessionRecord): Promise<void>;
  hostSession(requestId: string): Promise<HostSessionRecord | null>;
  /** Marks an unattended session's start or end once (null if already marked), with its record and webhook. */
  sessionBoundary(
    requestId: string,
    boundary: 'start' | 'end',
    at: string,
    event: RecordedGrantEvent,
    webhook: (s: HostSessionRecord) => QueuedWebhookEvent | null,
  ): Promise<HostSessionRecord | null>;
  /** Requests running under a grant now (started, not ended). */
  liveSessionsOf(grantId: string): Promise<HostSessionRecord[]>;
}
