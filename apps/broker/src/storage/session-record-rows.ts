import type { SessionRecord, TicketRef } from '@beckon/protocol';
import type { ReportSession } from './helpdesk-types.ts';

// The session_records row as both backends read it (the same columns), alone
// and joined with its request's ticket for a report, and the records they make:
// one mapping, no SQL.

export interface SessionRecordRow {
  id: string;
  org_id: string;
  request_id: string;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  agent_id: string | null;
  agent_name: string | null;
  connection: string | null;
  outcome: string | null;
}

export const toSessionRecord = (r: SessionRecordRow): SessionRecord => ({
  id: r.id,
  requestId: r.request_id,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  durationMs: r.duration_ms,
  durationSec: r.duration_ms === null ? null : Math.round(r.duration_ms / 1000),
  agent: { id: r.agent_id, name: r.agent_name },
  connection: r.connection === 'relayed' || r.connection === 'direct' ? r.connection : null,
  outcome: r.outcome,
});

export interface ReportSessionRow {
  request_id: string;
  started_at: string;
  duration_ms: number;
  agent_id: string | null;
  agent_name: string | null;
  ticket: string | null;
}

export const toReportSession = (r: ReportSessionRow): ReportSession => ({
  requestId: r.request_id,
  startedAt: r.started_at,
  durationMs: r.duration_ms,
  agentId: r.agent_id,
  agentName: r.agent_name,
  ticket: r.ticket === null ? null : (JSON.parse(r.ticket) as TicketRef),
});
