import { AUDIT_GENESIS_HASH, type AuditEntry } from '@beckon/protocol';
import type { Db } from './database.ts';
import { immediate } from './database.ts';
import { auditHash, toEntry } from '../../domain/audit-chain.ts';
import type { AuditDraft, AuditStore } from '../audit-types.ts';
import { chainFieldsOf, chainRowOf, type AuditRow } from '../audit-rows.ts';

// The row and its mapping are shared with the other backend (audit-rows.ts); tests read the file with them.
export { chainRowOf, type AuditRow };

/**
 * Appends drafts to the chain. Call it only inside a write transaction (an
 * IMMEDIATE one, or the group commit's): SQLite has one writer, so reading
 * the last hash and inserting after it cannot interleave with another append,
 * and the chain stays one line.
 */
export function auditAppender(db: Db): (drafts: readonly AuditDraft[]) => AuditEntry[] {
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare(
    `INSERT INTO audit_log (seq, org_id, actor_type, actor_id, actor_name, action, target_type, target_id,
       details, ip, at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return (drafts) => {
    if (!db.inTransaction) throw new Error('audit entries are appended inside the act’s transaction');
    const out: AuditEntry[] = [];
    for (const d of drafts) {
      const prev = last.get() as { seq: number; hash: string } | undefined;
      const fields = chainFieldsOf(d, prev);
      const hash = auditHash(fields);
      insert.run(
        fields.seq,
        fields.orgId,
        fields.actorType,
        fields.actorId,
        fields.actorName,
        fields.action,
        fields.targetType,
        fields.targetId,
        fields.details,
        fields.ip,
        fields.at,
        fields.prevHash,
        hash,
      );
      out.push(toEntry({ ...fields, hash }));
    }
    return out;
  };
}

const PAGE = 1000;

export function sqliteAuditStore(db: Db): AuditStore {
  const append = auditAppender(db);
  const page = db.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?');
  return {
    async append(drafts) {
      return immediate(db, () => append(drafts));
    },
    async list(f) {
      const conditions: [string, unknown][] = [
        ['action = ?', f.action],
        ['actor_id = ?', f.actor],
        ['target_id = ?', f.target],
        ['at >= ?', f.from],
        ['at < ?', f.to],
        ['seq < ?', f.beforeSeq],
      ];
      const used = conditions.filter(([, value]) => value !== undefined);
      const filters = used.map(([sql]) => ` AND ${sql}`).join('');
      const args = used.map(([, value]) => value);
      // The organisation's entries and the broker-wide ones, each walked newest first along
      // its own index and cut at the limit, then merged: an OR of the two would sort every match.
      const rows = db
        .prepare(
          `SELECT * FROM (SELECT * FROM audit_log WHERE org_id = ?${filters} ORDER BY seq DESC LIMIT ?)
           UNION ALL
           SELECT * FROM (SELECT * FROM audit_log WHERE org_id IS NULL${filters} ORDER BY seq DESC LIMIT ?)
           ORDER BY seq DESC LIMIT ?`,
        )
        .all(f.orgId, ...args, f.limit, ...args, f.limit, f.limit) as AuditRow[];
      return rows.map((r) => toEntry(chainRowOf(r)));
    },
    async head() {
      const row = db.prepare('SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
        { seq: number; hash: string; at: string } | undefined;
      return row ?? { seq: 0, hash: AUDIT_GENESIS_HASH, at: null };
    },
    async *rows() {
      let after = 0;
      for (;;) {
        const rows = page.all(after, PAGE) as AuditRow[];
        for (const r of rows) yield chainRowOf(r);
        if (rows.length < PAGE) return;
        after = rows[rows.length - 1]!.seq;
      }
    },
    async existsSince(action, targetId, at) {
      return (
        db
          .prepare('SELECT 1 FROM audit_log WHERE target_id = ? AND action = ? AND at >= ? LIMIT 1')
          .get(targetId, action, at) !== undefined
      );
    },
  };
}

/**
 * Runs an act's SQL and appends its audit drafts in one transaction: both
 * commit or neither. Without drafts the act runs as it always did.
 */
export function auditedWriter(db: Db): <T>(audit: readonly AuditDraft[] | undefined, act: () => T) => T {
  const append = auditAppender(db);
  return (audit, act) => {
    if (!audit || audit.length === 0) return act();
    return immediate(db, () => {
      const result = act();
      append(audit);
      return result;
    });
  };
}
