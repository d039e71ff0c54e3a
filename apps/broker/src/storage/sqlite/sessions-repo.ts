import {
  sessionBoundary,
  summarizeSessions,
  webhookEventsFor,
  type CaseTicket,
  type SessionRecord,
  type TicketRef,
  type WebhookCaseRef,
} from '@beckon/protocol';
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import type { AppliedTransition, SessionRecordStore } from '../helpdesk-types.ts';
import type { RequestRecord } from '../types.ts';
import { webhookEmitter } from './webhooks-repo.ts';

interface SessionRow {
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

export const toSessionRecord = (r: SessionRow): SessionRecord => ({
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

/** The case as a webhook names it: never its code or links. */
export const caseRef = (r: RequestRecord): WebhookCaseRef => ({
  id: r.id,
  status: r.status,
  ticket: r.ticket as CaseTicket,
  recipientName: r.recipientName,
});

/**
 * What a status change writes beside itself, inside its transaction: the
 * session record it opens or closes, and the webhook deliveries of a case.
 * The decisions (what counts as a start, an end, which events a case emits)
 * are the protocol's pure functions; this only writes them down.
 */
export function transitionProjector(db: Db): (t: AppliedTransition) => void {
  const lastConnect = db.prepare(
    `SELECT actor_id, actor_name FROM request_events
     WHERE request_id = ? AND kind = 'connect_requested' ORDER BY id DESC LIMIT 1`,
  );
  const open = db.prepare(
    `INSERT INTO session_records (id, org_id, request_id, started_at, agent_id, agent_name, connection)
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  const openOf = db.prepare('SELECT * FROM session_records WHERE request_id = ? AND ended_at IS NULL');
  const close = db.prepare(
    'UPDATE session_records SET ended_at = ?, outcome = ?, duration_ms = ? WHERE id = ? RETURNING *',
  );
  const isCase = db.prepare('SELECT case_system FROM session_requests WHERE id = ?').pluck();
  const sessionsOf = db.prepare('SELECT * FROM session_records WHERE request_id = ? ORDER BY started_at, id');
  const emit = webhookEmitter(db);

  return (t) => {
    const to = t.record.status;
    const boundary = sessionBoundary(t.from, to);
    let started: SessionRecord | null = null;
    let ended: SessionRecord | null = null;
    if (boundary === 'start') {
      const agent = lastConnect.get(t.record.id) as
        { actor_id: string | null; actor_name: string | null } | undefined;
      const connection = t.reason === 'relayed' || t.reason === 'direct' ? t.reason : null;
      const row = open.get(
        randomUUID(),
        t.record.orgId,
        t.record.id,
        t.at,
        agent?.actor_id ?? null,
        agent?.actor_name ?? null,
        connection,
      ) as SessionRow;
      started = toSessionRecord(row);
    } else if (boundary === 'end') {
      // A session_ended says why; a close or expiry mid-session is its own reason.
      const outcome = t.event === 'session_ended' ? (t.reason ?? 'ended') : t.event;
      for (const row of openOf.all(t.record.id) as SessionRow[]) {
        const ms = Math.max(0, Date.parse(t.at) - Date.parse(row.started_at));
        ended = toSessionRecord(close.get(t.at, outcome, ms, row.id) as SessionRow);
      }
    }

    const types = webhookEventsFor({ event: t.event, from: t.from, to, changed: t.changed });
    if (types.length === 0) return;
    // Only service cases talk to helpdesks; a plain request's sessions are recorded, not announced.
    if (typeof isCase.get(t.record.id) !== 'string') return;
    const ref = caseRef(t.record);
    for (const type of types) {
      switch (type) {
        case 'customer.joined':
          emit(t.record.orgId, t.record.id, { type, occurredAt: t.at, case: ref, data: { at: t.at } });
          break;
        case 'session.started':
          if (started)
            emit(t.record.orgId, t.record.id, {
              type,
              occurredAt: t.at,
              case: ref,
              data: { session: started },
            });
          break;
        case 'session.ended':
          if (ended)
            emit(t.record.orgId, t.record.id, {
              type,
              occurredAt: t.at,
              case: ref,
              data: { session: ended },
            });
          break;
        case 'case.closed':
        case 'case.expired': {
          const sessions = (sessionsOf.all(t.record.id) as SessionRow[]).map(toSessionRecord);
          const data = { at: t.at, summary: summarizeSessions(sessions), sessions };
          emit(t.record.orgId, t.record.id, { type, occurredAt: t.at, case: ref, data });
          break;
        }
        case 'case.created':
          break;
      }
    }
  };
}

export function sqliteSessionRecordStore(db: Db): SessionRecordStore {
  const ofRequest = db.prepare('SELECT * FROM session_records WHERE request_id = ? ORDER BY started_at, id');
  return {
    async ofRequest(requestId) {
      return (ofRequest.all(requestId) as SessionRow[]).map(toSessionRecord);
    },
    async ofRequests(requestIds) {
      const out = new Map<string, SessionRecord[]>(requestIds.map((id) => [id, []]));
      if (requestIds.length === 0) return out;
      const rows = db
        .prepare(
          `SELECT * FROM session_records WHERE request_id IN (${requestIds.map(() => '?').join(', ')})
           ORDER BY started_at, id`,
        )
        .all(...requestIds) as SessionRow[];
      for (const row of rows) out.get(row.request_id)?.push(toSessionRecord(row));
      return out;
    },
    async forReport(orgId, from, to, agentId) {
      const rows = db
        .prepare(
          `SELECT s.request_id, s.started_at, s.duration_ms, s.agent_id, s.agent_name, r.ticket
           FROM session_records s JOIN session_requests r ON r.id = s.request_id
           WHERE s.org_id = ? AND s.started_at >= ? AND s.started_at < ? AND s.ended_at IS NOT NULL
             ${agentId ? 'AND s.agent_id = ?' : ''}
           ORDER BY s.started_at`,
        )
        .all(orgId, from, to, ...(agentId ? [agentId] : [])) as {
        request_id: string;
        started_at: string;
        duration_ms: number;
        agent_id: string | null;
        agent_name: string | null;
        ticket: string | null;
      }[];
      return rows.map((r) => ({
        requestId: r.request_id,
        startedAt: r.started_at,
        durationMs: r.duration_ms,
        agentId: r.agent_id,
        agentName: r.agent_name,
        ticket: r.ticket === null ? null : (JSON.parse(r.ticket) as TicketRef),
      }));
    },
  };
}
