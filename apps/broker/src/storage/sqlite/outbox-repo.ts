import { immediateUnsynced, type Db } from './database.ts';
import type { NewMail, OutboxStore } from '../types.ts';
import { toListedMail, toOutboxRecord, type OutboxRow } from '../outbox-rows.ts';

/** Inserts a mail; callers inside a transaction use this so the mail commits with its cause. */
export function insertMail(db: Db, m: NewMail): number {
  const result = db
    .prepare(
      `INSERT INTO outbox (org_id, request_id, kind, to_addr, subject, html, text, language, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(m.orgId, m.requestId, m.kind, m.to, m.subject, m.html, m.text, m.language, m.createdAt, m.createdAt);
  return Number(result.lastInsertRowid);
}

export function sqliteOutboxStore(db: Db): OutboxStore {
  // One statement: the write lock is taken before the rows are chosen, so two brokers cannot both take one.
  const claim = db.prepare(
    `UPDATE outbox SET lease_owner = @owner, lease_until = @until
     WHERE id IN (SELECT id FROM outbox
                  WHERE status = 'pending' AND next_attempt_at <= @now
                    AND (lease_until IS NULL OR lease_until <= @now OR lease_owner = @owner)
                  ORDER BY id LIMIT @limit)
     RETURNING *`,
  );
  const sent = db.prepare(
    `UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, next_attempt_at = NULL,
       lease_owner = NULL, lease_until = NULL WHERE id = ? AND status = 'pending'`,
  );
  const retry = db.prepare(
    `UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
       lease_owner = NULL, lease_until = NULL WHERE id = ? AND status = 'pending' AND lease_owner = ?`,
  );
  const release = db.prepare(
    `UPDATE outbox SET lease_owner = NULL, lease_until = NULL
     WHERE id IN (SELECT value FROM json_each(?)) AND lease_owner = ? AND status = 'pending'`,
  );
  return {
    async enqueue(mail) {
      return insertMail(db, mail);
    },
    async claim(owner, now, until, limit) {
      const rows = immediateUnsynced(db, () => claim.all({ owner, now, until, limit }) as OutboxRow[]);
      // RETURNING follows no ORDER BY: oldest first again.
      return rows.sort((a, b) => a.id - b.id).map(toOutboxRecord);
    },
    async markSent(id, at) {
      return sent.run(at, id).changes > 0;
    },
    async markRetry(id, owner, error, nextAttemptAt, failed) {
      return (
        retry.run(
          failed ? 'failed' : 'pending',
          error.slice(0, 1000),
          failed ? null : nextAttemptAt,
          id,
          owner,
        ).changes > 0
      );
    },
    async release(ids, owner) {
      return ids.length === 0 ? 0 : release.run(JSON.stringify(ids), owner).changes;
    },
    async list(orgId, limit) {
      const rows = db
        .prepare('SELECT * FROM outbox WHERE org_id = ? ORDER BY id DESC LIMIT ?')
        .all(orgId, limit) as OutboxRow[];
      return rows.map(toListedMail);
    },
  };
}
