import type { ServiceCaseStore } from '../helpdesk-types.ts';
import { isUniqueViolation, type PgDb } from './pool.ts';
import { insertEvents, insertMails, insertRequest, toRecord, type RequestRow } from './requests-repo.ts';
import { queueWebhook } from './webhooks-repo.ts';

const LIVE = "status NOT IN ('closed', 'expired')";

export function pgServiceCaseStore(db: PgDb): ServiceCaseStore {
  return {
    async create(record, info, events, mails, webhooks) {
      try {
        return await db.tx(async (tx) => {
          // One case per ticket at a time: creates of the same ticket take turns from here to
          // their commit, so none can slip in between the check and the insert.
          await tx.run('SELECT pg_advisory_xact_lock(hashtextextended($1, 1))', [
            JSON.stringify([record.orgId, info.system, info.ticketId]),
          ]);
          const active = await tx.one<RequestRow>(
            `SELECT * FROM session_requests WHERE org_id = $1 AND case_system = $2 AND case_ticket_id = $3 AND ${LIVE}
             ORDER BY created_at DESC LIMIT 1`,
            [record.orgId, info.system, info.ticketId],
          );
          if (active) return { ok: false, reason: 'active', active: toRecord(active) } as const;
          await insertRequest(tx, record, info);
          await insertEvents(tx, record.id, events);
          await insertMails(tx, mails);
          for (const w of webhooks) await queueWebhook(tx, w);
          return { ok: true } as const;
        });
      } catch (error) {
        // The partial unique index on live codes: the caller draws a new code.
        if (isUniqueViolation(error)) return { ok: false, reason: 'code_taken' };
        throw error;
      }
    },
    async get(orgId, id) {
      const row = await db.one<RequestRow & { api_token_id: string | null }>(
        'SELECT * FROM session_requests WHERE org_id = $1 AND id = $2 AND case_system IS NOT NULL',
        [orgId, id],
      );
      return row ? { record: toRecord(row), apiTokenId: row.api_token_id } : null;
    },
    async byTicket(orgId, system, ticketId, limit) {
      const rows = await db.rows<RequestRow>(
        `SELECT * FROM session_requests WHERE org_id = $1 AND case_system = $2 AND case_ticket_id = $3
         ORDER BY created_at DESC, id DESC LIMIT $4`,
        [orgId, system, ticketId, limit],
      );
      return rows.map(toRecord);
    },
  };
}
