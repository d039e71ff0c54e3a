import { EVENT_COLUMNS, eventRowValues } from '../request-rows.ts';
import type { Db } from './database.ts';
import type { WriteBatcher } from './write-batcher.ts';
import type { ServiceCaseStore } from '../helpdesk-types.ts';
import { insertMail } from './outbox-repo.ts';
import { requestInserter, toRecord, type RequestRow } from './requests-repo.ts';
import { webhookQueuer } from './webhooks-repo.ts';

const LIVE = "status NOT IN ('closed', 'expired')";

export function sqliteServiceCaseStore(db: Db, batcher: WriteBatcher): ServiceCaseStore {
  const insert = requestInserter(db);
  const markCase = db.prepare(
    'UPDATE session_requests SET case_system = ?, case_ticket_id = ?, api_token_id = ? WHERE id = ?',
  );
  const insertEvent = db.prepare(
    `INSERT INTO request_events (${EVENT_COLUMNS})
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const openCase = db.prepare(
    `SELECT * FROM session_requests WHERE org_id = ? AND case_system = ? AND case_ticket_id = ? AND ${LIVE}
     ORDER BY created_at DESC LIMIT 1`,
  );
  const queue = webhookQueuer(db);

  return {
    async create(record, info, events, mails, webhooks) {
      try {
        return await batcher.run(() => {
          // Inside the write transaction: no other create can slip in between the check and the insert.
          const active = openCase.get(record.orgId, info.system, info.ticketId) as RequestRow | undefined;
          if (active) return { ok: false, reason: 'active', active: toRecord(active) } as const;
          insert(record);
          markCase.run(info.system, info.ticketId, info.apiTokenId, record.id);
          for (const e of events) {
            insertEvent.run(...eventRowValues(record.id, e));
          }
          for (const m of mails) insertMail(db, m);
          for (const w of webhooks) queue(w);
          return { ok: true } as const;
        });
      } catch (error) {
        // The partial unique index on live codes: the caller draws a new code.
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
          return { ok: false, reason: 'code_taken' };
        throw error;
      }
    },
    async get(orgId, id) {
      const row = db
        .prepare('SELECT * FROM session_requests WHERE org_id = ? AND id = ? AND case_system IS NOT NULL')
        .get(orgId, id) as (RequestRow & { api_token_id: string | null }) | undefined;
      return row ? { record: toRecord(row), apiTokenId: row.api_token_id } : null;
    },
    async byTicket(orgId, system, ticketId, limit) {
      const rows = db
        .prepare(
          `SELECT * FROM session_requests WHERE org_id = ? AND case_system = ? AND case_ticket_id = ?
           ORDER BY created_at DESC, id DESC LIMIT ?`,
        )
        .all(orgId, system, ticketId, limit) as RequestRow[];
      return rows.map(toRecord);
    },
  };
}
