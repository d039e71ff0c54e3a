import type { DailyWindow, GrantDuration, GrantMode, GrantStatus, RemotePermission } from '@beckon/protocol';
import type { GrantEventRecord, GrantRecord, HostSessionRecord } from './grant-types.ts';

// The grants, host_sessions and grant_events rows as both backends read them
// (the same columns, text and JSON in text on both) and the records they make:
// one mapping, no SQL.

export interface GrantRow {
  id: string;
  org_id: string;
  host_id: string;
  agent_id: string;
  agent_name: string;
  request_id: string;
  mode: string;
  permissions: string;
  duration: string;
  daily: string | null;
  time_zone: string;
  status: string;
  created_at: string;
  approved_at: string | null;
  verified_user: string | null;
  verified_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
}

export const toGrant = (r: GrantRow): GrantRecord => ({
  id: r.id,
  orgId: r.org_id,
  hostId: r.host_id,
  agentId: r.agent_id,
  agentName: r.agent_name,
  requestId: r.request_id,
  mode: r.mode as GrantMode,
  permissions: JSON.parse(r.permissions) as RemotePermission[],
  duration: JSON.parse(r.duration) as GrantDuration,
  daily: r.daily ? (JSON.parse(r.daily) as DailyWindow) : null,
  timeZone: r.time_zone,
  status: r.status as GrantStatus,
  createdAt: r.created_at,
  approvedAt: r.approved_at,
  verifiedUser: r.verified_user,
  verifiedAt: r.verified_at,
  revokedAt: r.revoked_at,
  revokedBy: r.revoked_by,
});

export interface HostSessionRow {
  request_id: string;
  org_id: string;
  host_id: string;
  agent_id: string;
  grant_id: string | null;
  reason: string | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
}

export const toHostSession = (r: HostSessionRow): HostSessionRecord => ({
  requestId: r.request_id,
  orgId: r.org_id,
  hostId: r.host_id,
  agentId: r.agent_id,
  grantId: r.grant_id,
  reason: r.reason,
  createdAt: r.created_at,
  startedAt: r.started_at,
  endedAt: r.ended_at,
});

export interface GrantEventRow {
  org_id: string;
  host_id: string;
  grant_id: string | null;
  request_id: string | null;
  kind: string;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  address: string | null;
  detail: string | null;
  at: string;
}

export const toGrantEvent = (r: GrantEventRow): GrantEventRecord => ({
  orgId: r.org_id,
  hostId: r.host_id,
  grantId: r.grant_id,
  requestId: r.request_id,
  kind: r.kind as GrantEventRecord['kind'],
  actor: { type: r.actor_type as 'user' | 'host' | 'system', id: r.actor_id, name: r.actor_name },
  address: r.address,
  detail: r.detail,
  at: r.at,
});
