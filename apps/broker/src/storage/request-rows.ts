import type { RemotePermission, TicketRef } from '@beckon/protocol';
import type { NewEvent, RequestRecord } from './request-types.ts';

// A session_requests row as both backends read it (the same columns, text and
// JSON in text on both) and the record it makes: one mapping, no SQL.

export interface RequestRow {
  id: string;
  org_id: string;
  code: string;
  legacy_token_hash: string | null;
  token_salt: string;
  status: RequestRecord['status'];
  recipient_name: string;
  recipient_email: string | null;
  language: RequestRecord['language'];
  comment: string | null;
  scheduled_at: string | null;
  expires_at: string;
  time_zone: string;
  assignee_type: RequestRecord['assigneeType'];
  assignee_id: string | null;
  permissions: string;
  ticket: string | null;
  created_by_type: RequestRecord['createdBy']['type'];
  created_by_id: string | null;
  created_by_name: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  version: number;
}

export function toRecord(row: RequestRow): RequestRecord {
  return {
    id: row.id,
    orgId: row.org_id,
    code: row.code,
    legacyTokenHash: row.legacy_token_hash,
    tokenSalt: row.token_salt,
    status: row.status,
    recipientName: row.recipient_name,
    recipientEmail: row.recipient_email,
    language: row.language,
    comment: row.comment,
    scheduledAt: row.scheduled_at,
    expiresAt: row.expires_at,
    timeZone: row.time_zone,
    assigneeType: row.assignee_type,
    assigneeId: row.assignee_id,
    permissions: JSON.parse(row.permissions) as RemotePermission[],
    ticket: row.ticket === null ? null : (JSON.parse(row.ticket) as TicketRef),
    createdBy: { type: row.created_by_type, id: row.created_by_id, name: row.created_by_name },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    version: row.version,
  };
}

/** The request_events columns a new event fills, in the order of `eventRowValues` (both backends). */
export const EVENT_COLUMNS =
  'request_id, at, kind, from_status, to_status, actor_type, actor_id, actor_name, reason';

export const eventRowValues = (requestId: string, e: NewEvent): unknown[] => [
  requestId,
  e.at,
  e.kind,
  e.fromStatus,
  e.toStatus,
  e.actor.type,
  e.actor.id,
  e.actor.name,
  e.reason,
];
