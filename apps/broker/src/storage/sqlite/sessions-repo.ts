import type { SessionRecord } from '@beckon/protocol';
import type { Db } from './database.ts';
import type { SessionRecordStore, TransitionContext, TransitionEffects } from '../helpdesk-types.ts';
import {
  toReportSession,
  toSessionRecord,
  type ReportSessionRow,
  type SessionRecordRow,
} from '../session-record-rows.ts';
import { auditAppender } from './audit-repo.ts';
import { webhookQueuer } from './webhooks-repo.ts';

/**
 * The session-record side of a status change, inside its transaction: what the
 * rules read (`context`) and the rows they decided (`write`).
 */
export function transitionWriter(db: Db): {
  context(requestId: string, isCase: boolean): TransitionContext;
  write(effects: TransitionEffects): void;
} {
  const lastConnect = db.prepare(
    `SELECT actor_id, actor_name FROM request_events
     WHERE request_id = ? AND kind = 'connect_requested' ORDER BY id DESC LIMIT 1`,
  );
  const open = db.prepare(
    `INSERT INTO session_records (id, org_id, request_id, started_at, agent_id, agent_name, connection)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const close = db.prepare(
    'UPDATE session_records SET ended_at = ?, outcome = ?, duration_ms = ? WHERE id = ?',
  );
  const sessionsOf = db.prepare('SELECT * FROM session_records WHERE request_id = ? ORDER BY started_at, id');
  const queue = webhookQueuer(db);
  const append = auditAppender(db);
  return {
    context(requestId, isCase) {
      const agent = lastConnect.get(requestId) as
        { actor_id: string | null; actor_name: string | null } | undefined;
      return {
        isCase,
        lastConnect: agent ? { id: agent.actor_id, name: agent.actor_name } : null,
        sessions: (sessionsOf.all(requestId) as SessionRecordRow[]).map(toSessionRecord),
      };
    },
    write(e) {
      const s = e.openSession;
      if (s) open.run(s.id, s.orgId, s.requestId, s.startedAt, s.agentId, s.agentName, s.connection);
      for (const c of e.closeSessions) close.run(c.endedAt, c.outcome, c.durationMs, c.id);
      for (const w of e.webhooks) queue(w);
      if (e.audit.length > 0) append(e.audit);
    },
  };
}

export function sqliteSessionRecordStore(db: Db): SessionRecordStore {
  const ofRequest = db.prepare('SELECT * FROM session_records WHERE request_id = ? ORDER BY started_at, id');
  return {
    async ofRequest(requestId) {
      return (ofRequest.all(requestId) as SessionRecordRow[]).map(toSessionRecord);
    },
    async ofRequests(requestIds) {
      const out = new Map<string, SessionRecord[]>(requestIds.map((id) => [id, []]));
      if (requestIds.length === 0) return out;
      const rows = db
        .prepare(
          `SELECT * FROM session_records WHERE request_id IN (${requestIds.map(() => '?').join(', ')})
           ORDER BY started_at, id`,
        )
        .all(...requestIds) as SessionRecordRow[];
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
        .all(orgId, from, to, ...(agentId ? [agentId] : [])) as ReportSessionRow[];
      return rows.map(toReportSession);
    },
  };
}
