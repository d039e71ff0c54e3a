import type { AdhocEndReason, AdhocEvent, AdhocStatus, Language } from '@beckon/protocol';
import type { AdhocRecord } from './adhoc-types.ts';

// The adhoc_sessions and adhoc_events rows as both backends read them (the
// same columns, text on both) and the records they make: one mapping, no SQL.

export interface AdhocRow {
  id: string;
  org_id: string;
  provider_id: string;
  user_name: string;
  email: string;
  language: string;
  comment: string | null;
  status: string;
  password_hash: string;
  host_id: string | null;
  created_at: string;
  activated_at: string | null;
  expires_at: string | null;
  ended_at: string | null;
  end_reason: string | null;
  removed_at: string | null;
}

export const toAdhoc = (r: AdhocRow): AdhocRecord => ({
  id: r.id,
  orgId: r.org_id,
  providerId: r.provider_id,
  userName: r.user_name,
  email: r.email,
  language: r.language as Language,
  comment: r.comment,
  status: r.status as AdhocStatus,
  passwordHash: r.password_hash,
  hostId: r.host_id,
  createdAt: r.created_at,
  activatedAt: r.activated_at,
  expiresAt: r.expires_at,
  endedAt: r.ended_at,
  endReason: r.end_reason as AdhocEndReason | null,
  removedAt: r.removed_at,
});

export interface AdhocEventRow {
  kind: string;
  at: string;
  actor_id: string | null;
  detail: string | null;
}

export const toAdhocEvent = (e: AdhocEventRow): AdhocEvent => ({
  kind: e.kind as AdhocEvent['kind'],
  at: e.at,
  actorId: e.actor_id,
  detail: e.detail,
});
