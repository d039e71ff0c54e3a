import type { Db } from './database.ts';
import type { NewMail, OutboxRecord, OutboxStore } from '../types.ts';

interface OutboxRow {
  id: number;
  org_id: string;
  request_id: string | null;
  kind: string;
  to_addr: string;
  subject: string;
  html: string;
  text: string;
  language: string;
  status: OutboxRecord['status'];
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  sent_at: string | null;
}

const toRecord = (r: OutboxRow): OutboxRecord => ({
  id: r.id,
  orgId: r.org_id,
  requestId: r.request_id,
  kind: r.kind,
  to: r.to_addr,
  subject: r.subject,
  html: r.html,
  text: r.text,
  language: r.language,
  status: r.status,
  attempts: r.attempts,
  lastError: r.last_error,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

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
  return {
    async enqueue(mail) {
      return insertMail(db, mail);
    },
    async due(now, limit) {
      const rows = db
        .prepare("SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?")
        .all(now, limit) as OutboxRow[];
      return rows.map(toRecord);
    },
    async markSent(id, at) {
      db.prepare(
        "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, next_attempt_at = NULL WHERE id = ?",
      ).run(at, id);
    },
    async markRetry(id, error, nextAttemptAt, failed) {
      db.prepare(
        'UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?',
      ).run(failed ? 'failed' : 'pending', error.slice(0, 1000), failed ? null : nextAttemptAt, id);
    },
    async list(orgId, limit) {
      const rows = db
        .prepare('SELECT * FROM outbox WHERE org_id = ? ORDER BY id DESC LIMIT ?')
        .all(orgId, limit) as OutboxRow[];
      return rows.map((r) => {
        const { orgId: _o, html: _h, text: _t, ...mail } = toRecord(r);
        return mail;
      });
    },
  };
}
