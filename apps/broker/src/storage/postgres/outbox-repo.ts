import type { NewMail, OutboxStore } from '../types.ts';
import { toListedMail, toOutboxRecord, type OutboxRow } from '../outbox-rows.ts';
import { placeholders, type PgDb, type Sql } from './pool.ts';

/** Inserts a mail; callers inside a transaction pass it, so the mail commits with its cause. */
export async function insertMail(sql: Sql, m: NewMail): Promise<number> {
  const row = await sql.one<{ id: number }>(
    `INSERT INTO outbox (${MAIL_COLUMNS}) VALUES (${placeholders(10)}) RETURNING id`,
    mailValues(m),
  );
  return row!.id;
}

/** The outbox columns a new mail fills, in the order of `mailValues` (also the one-statement create's). */
export const MAIL_COLUMNS =
  'org_id, request_id, kind, to_addr, subject, html, text, language, next_attempt_at, created_at';

export const mailValues = (m: NewMail): unknown[] => [
  m.orgId,
  m.requestId,
  m.kind,
  m.to,
  m.subject,
  m.html,
  m.text,
  m.language,
  m.createdAt,
  m.createdAt,
];

export function pgOutboxStore(db: PgDb): OutboxStore {
  return {
    async enqueue(mail) {
      return insertMail(db, mail);
    },
    async claim(owner, now, until, limit) {
      // SKIP LOCKED: brokers claiming at once pass over each other's rows instead of waiting for them.
      const rows = await db.rows<OutboxRow>(
        `UPDATE outbox SET lease_owner = $1, lease_until = $2
         WHERE id IN (SELECT id FROM outbox
                      WHERE status = 'pending' AND next_attempt_at <= $3
                        AND (lease_until IS NULL OR lease_until <= $3 OR lease_owner = $1)
                      ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [owner, until, now, limit],
      );
      // RETURNING follows no ORDER BY: oldest first again.
      return rows.sort((a, b) => a.id - b.id).map(toOutboxRecord);
    },
    async markSent(id, at) {
      const n = await db.run(
        `UPDATE outbox SET status = 'sent', sent_at = $1, attempts = attempts + 1, next_attempt_at = NULL,
           lease_owner = NULL, lease_until = NULL WHERE id = $2 AND status = 'pending'`,
        [at, id],
      );
      return n > 0;
    },
    async markRetry(id, owner, error, nextAttemptAt, failed) {
      const n = await db.run(
        `UPDATE outbox SET status = $1, attempts = attempts + 1, last_error = $2, next_attempt_at = $3,
           lease_owner = NULL, lease_until = NULL WHERE id = $4 AND status = 'pending' AND lease_owner = $5`,
        [failed ? 'failed' : 'pending', error.slice(0, 1000), failed ? null : nextAttemptAt, id, owner],
      );
      return n > 0;
    },
    async release(ids, owner) {
      if (ids.length === 0) return 0;
      return db.run(
        `UPDATE outbox SET lease_owner = NULL, lease_until = NULL
         WHERE id = ANY($1::bigint[]) AND lease_owner = $2 AND status = 'pending'`,
        [ids, owner],
      );
    },
    async list(orgId, limit) {
      const rows = await db.rows<OutboxRow>(
        'SELECT * FROM outbox WHERE org_id = $1 ORDER BY id DESC LIMIT $2',
        [orgId, limit],
      );
      return rows.map(toListedMail);
    },
  };
}
