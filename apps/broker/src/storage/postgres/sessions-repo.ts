import type { SessionRecord } from '@beckon/protocol';
import type { SessionRecordStore, TransitionContext, TransitionEffects } from '../helpdesk-types.ts';
import {
  toReportSession,
  toSessionRecord,
  type ReportSessionRow,
  type SessionRecordRow,
} from '../session-record-rows.ts';
import { appendAudit } from './audit-repo.ts';
import type { PgDb, Tx } from './pool.ts';
import { queueWebhook } from './webhooks-repo.ts';

/** What the rules of a status change read, inside its transaction (domain/transition-rules.ts decides). */
export async function transitionContext(
  tx: Tx,
  requestId: string,
  isCase: boolean,
): Promise<TransitionContext> {
  const agent = await tx.one<{ actor_id: string | null; actor_name: string | null }>(
    `SELECT actor_id, actor_name FROM request_events
     WHERE request_id = $1 AND kind = 'connect_requested' ORDER BY id DESC LIMIT 1`,
    [requestId],
  );
  const sessions = await tx.rows<SessionRecordRow>(
    'SELECT * FROM session_records WHERE request_id = $1 ORDER BY started_at, id',
    [requestId],
  );
  return {
    isCase,
    lastConnect: agent ? { id: agent.actor_id, name: agent.actor_name } : null,
    sessions: sessions.map(toSessionRecord),
  };
}

/** Writes the rows the rules decided, in the status change's transaction. */
export async function writeTransitionEffects(tx: Tx, e: Omit<TransitionEffects, 'mails'>): Promise<void> {
  const s = e.openSession;
  if (s)
    await tx.run(
      `INSERT INTO session_records (id, org_id, request_id, started_at, agent_id, agent_name, connection)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [s.id, s.orgId, s.requestId, s.startedAt, s.agentId, s.agentName, s.connection],
    );
  for (const c of e.closeSessions)
    await tx.run('UPDATE session_records SET ended_at = $1, outcome = $2, duration_ms = $3 WHERE id = $4', [
      c.endedAt,
      c.outcome,
      c.durationMs,
      c.id,
    ]);
  for (const w of e.webhooks) await queueWebhook(tx, w);
  await appendAudit(tx, e.audit);
}

export function pgSessionRecordStore(db: PgDb): SessionRecordStore {
  return {
    async ofRequest(requestId) {
      const rows = await db.rows<SessionRecordRow>(
        'SELECT * FROM session_records WHERE request_id = $1 ORDER BY started_at, id',
        [requestId],
      );
      return rows.map(toSessionRecord);
    },
    async ofRequests(requestIds) {
      const out = new Map<string, SessionRecord[]>(requestIds.map((id) => [id, []]));
      if (requestIds.length === 0) return out;
      const rows = await db.rows<SessionRecordRow>(
        'SELECT * FROM session_records WHERE request_id = ANY($1) ORDER BY started_at, id',
        [requestIds],
      );
      for (const row of rows) out.get(row.request_id)?.push(toSessionRecord(row));
      return out;
    },
    async forReport(orgId, from, to, agentId) {
      const rows = await db.rows<ReportSessionRow>(
        `SELECT s.request_id, s.started_at, s.duration_ms, s.agent_id, s.agent_name, r.ticket
         FROM session_records s JOIN session_requests r ON r.id = s.request_id
         WHERE s.org_id = $1 AND s.started_at >= $2 AND s.started_at < $3 AND s.ended_at IS NOT NULL
           AND ($4::text IS NULL OR s.agent_id = $4)
         ORDER BY s.started_at`,
        [orgId, from, to, agentId],
      );
      return rows.map(toReportSession);
    },
  };
}
