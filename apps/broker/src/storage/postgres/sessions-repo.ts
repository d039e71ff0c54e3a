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
import type { AppliedTransition, SessionRecordStore } from '../helpdesk-types.ts';
import type { RequestRecord } from '../types.ts';
import type { PgDb, Tx } from './pool.ts';
import { emitWebhook } from './webhooks-repo.ts';

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

const toSessionRecord = (r: SessionRow): SessionRecord => ({
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
 */
export async function projectTransition(tx: Tx, t: AppliedTransition): Promise<void> {
  const to = t.record.status;
  const boundary = sessionBoundary(t.from, to);
  let started: SessionRecord | null = null;
  let ended: SessionRecord | null = null;
  if (boundary === 'start') {
    const agent = await tx.one<{ actor_id: string | null; actor_name: string | null }>(
      `SELECT actor_id, actor_name FROM request_events
       WHERE request_id = $1 AND kind = 'connect_requested' ORDER BY id DESC LIMIT 1`,
      [t.record.id],
    );
    const connection = t.reason === 'relayed' || t.reason === 'direct' ? t.reason : null;
    const row = await tx.one<SessionRow>(
      `INSERT INTO session_records (id, org_id, request_id, started_at, agent_id, agent_name, connection)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [
        randomUUID(),
        t.record.orgId,
        t.record.id,
        t.at,
        agent?.actor_id ?? null,
        agent?.actor_name ?? null,
        connection,
      ],
    );
    started = toSessionRecord(row!);
  } else if (boundary === 'end') {
    // A session_ended says why; a close or expiry mid-session is its own reason.
    const outcome = t.event === 'session_ended' ? (t.reason ?? 'ended') : t.event;
    const open = await tx.rows<SessionRow>(
      'SELECT * FROM session_records WHERE request_id = $1 AND ended_at IS NULL',
      [t.record.id],
    );
    for (const row of open) {
      const ms = Math.max(0, Date.parse(t.at) - Date.parse(row.started_at));
      const closed = await tx.one<SessionRow>(
        'UPDATE session_records SET ended_at = $1, outcome = $2, duration_ms = $3 WHERE id = $4 RETURNING *',
        [t.at, outcome, ms, row.id],
      );
      ended = toSessionRecord(closed!);
    }
  }

  const types = webhookEventsFor({ event: t.event, from: t.from, to, changed: t.changed });
  if (types.length === 0) return;
  // Only service cases talk to helpdesks; a plain request's sessions are recorded, not announced.
  const kase = await tx.one<{ case_system: string | null }>(
    'SELECT case_system FROM session_requests WHERE id = $1',
    [t.record.id],
  );
  if (typeof kase?.case_system !== 'string') return;
  const ref = caseRef(t.record);
  const emit = (event: Parameters<typeof emitWebhook>[3]) =>
    emitWebhook(tx, t.record.orgId, t.record.id, event);
  for (const type of types) {
    switch (type) {
      case 'customer.joined':
        await emit({ type, occurredAt: t.at, case: ref, data: { at: t.at } });
        break;
      case 'session.started':
        if (started) await emit({ type, occurredAt: t.at, case: ref, data: { session: started } });
        break;
      case 'session.ended':
        if (ended) await emit({ type, occurredAt: t.at, case: ref, data: { session: ended } });
        break;
      case 'case.closed':
      case 'case.expired': {
        const sessions = (
          await tx.rows<SessionRow>(
            'SELECT * FROM session_records WHERE request_id = $1 ORDER BY started_at, id',
            [t.record.id],
          )
        ).map(toSessionRecord);
        await emit({
          type,
          occurredAt: t.at,
          case: ref,
          data: { at: t.at, summary: summarizeSessions(sessions), sessions },
        });
        break;
      }
      case 'case.created':
        break;
    }
  }
}

export function pgSessionRecordStore(db: PgDb): SessionRecordStore {
  return {
    async ofRequest(requestId) {
      const rows = await db.rows<SessionRow>(
        'SELECT * FROM session_records WHERE request_id = $1 ORDER BY started_at, id',
        [requestId],
      );
      return rows.map(toSessionRecord);
    },
    async ofRequests(requestIds) {
      const out = new Map<string, SessionRecord[]>(requestIds.map((id) => [id, []]));
      if (requestIds.length === 0) return out;
      const rows = await db.rows<SessionRow>(
        'SELECT * FROM session_records WHERE request_id = ANY($1) ORDER BY started_at, id',
        [requestIds],
      );
      for (const row of rows) out.get(row.request_id)?.push(toSessionRecord(row));
      return out;
    },
    async forReport(orgId, from, to, agentId) {
      const rows = await db.rows<{
        request_id: string;
        started_at: string;
        duration_ms: number;
        agent_id: string | null;
        agent_name: string | null;
        ticket: string | null;
      }>(
        `SELECT s.request_id, s.started_at, s.duration_ms, s.agent_id, s.agent_name, r.ticket
         FROM session_records s JOIN session_requests r ON r.id = s.request_id
         WHERE s.org_id = $1 AND s.started_at >= $2 AND s.started_at < $3 AND s.ended_at IS NOT NULL
           AND ($4::text IS NULL OR s.agent_id = $4)
         ORDER BY s.started_at`,
        [orgId, from, to, agentId],
      );
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
