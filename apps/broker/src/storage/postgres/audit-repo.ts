import { AUDIT_GENESIS_HASH, type AuditEntry } from '@beckon/protocol';
import { auditHash, toEntry } from '../../domain/audit-chain.ts';
import type { AuditDraft, AuditStore } from '../audit-types.ts';
import { chainFieldsOf, chainRowOf, type AuditRow } from '../audit-rows.ts';
import type { PgDb, Tx } from './pool.ts';

/**
 * The transaction-level advisory lock every append takes before it reads the
 * last hash: brokers on one database append one at a time, so the chain stays
 * one line (SQLite gets this from having one writer). Held until the act commits.
 */
const AUDIT_LOCK = 0x61756469;

/** Appends drafts to the chain inside the act's transaction (`tx`). */
export async function appendAudit(tx: Tx, drafts: readonly AuditDraft[]): Promise<AuditEntry[]> {
  if (drafts.length === 0) return [];
  await tx.run('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
  let prev = await tx.one<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
  );
  const out: AuditEntry[] = [];
  for (const d of drafts) {
    const fields = chainFieldsOf(d, prev);
    const hash = auditHash(fields);
    await tx.run(
      `INSERT INTO audit_log (seq, org_id, actor_type, actor_id, actor_name, action, target_type, target_id,
         details, ip, at, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
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
      ],
    );
    prev = { seq: fields.seq, hash };
    out.push(toEntry({ ...fields, hash }));
  }
  return out;
}

/**
 * Runs an act and appends its audit drafts in one transaction: both commit or
 * neither. Without drafts the act runs on its own (one statement commits alone).
 */
export function auditedWriter(db: PgDb) {
  return async <T>(
    audit: readonly AuditDraft[] | undefined,
    act: (tx: Tx | PgDb) => Promise<T>,
  ): Promise<T> => {
    if (!audit || audit.length === 0) return act(db);
    return db.tx(async (tx) => {
      const result = await act(tx);
      await appendAudit(tx, audit);
      return result;
    });
  };
}

const PAGE = 1000;

export function pgAuditStore(db: PgDb): AuditStore {
  return {
    async append(drafts) {
      return db.tx((tx) => appendAudit(tx, drafts));
    },
    async list(f) {
      const conditions: [string, unknown][] = [
        ['action =', f.action],
        ['actor_id =', f.actor],
        ['target_id =', f.target],
        ['at >=', f.from],
        ['at <', f.to],
        ['seq <', f.beforeSeq],
      ];
      const used = conditions.filter(([, value]) => value !== undefined);
      const args: unknown[] = [f.orgId, f.limit, ...used.map(([, value]) => value)];
      const filters = used.map(([sql], i) => ` AND ${sql} $${i + 3}`).join('');
      // The organisation's entries and the broker-wide ones, each walked newest first along
      // its own index and cut at the limit, then merged: an OR of the two would sort every match.
      const rows = await db.rows<AuditRow>(
        `SELECT * FROM (
           (SELECT * FROM audit_log WHERE org_id = $1${filters} ORDER BY seq DESC LIMIT $2)
           UNION ALL
           (SELECT * FROM audit_log WHERE org_id IS NULL${filters} ORDER BY seq DESC LIMIT $2)
         ) AS merged ORDER BY seq DESC LIMIT $2`,
        args,
      );
      return rows.map((r) => toEntry(chainRowOf(r)));
    },
    async head() {
      const row = await db.one<{ seq: number; hash: string; at: string }>(
        'SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1',
      );
      return row ?? { seq: 0, hash: AUDIT_GENESIS_HASH, at: null };
    },
    async *rows() {
      let after = 0;
      for (;;) {
        const rows = await db.rows<AuditRow>('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2', [
          after,
          PAGE,
        ]);
        for (const r of rows) yield chainRowOf(r);
        if (rows.length < PAGE) return;
        after = rows[rows.length - 1]!.seq;
      }
    },
    async existsSince(action, targetId, at) {
      const row = await db.one(
        'SELECT 1 FROM audit_log WHERE target_id = $1 AND action = $2 AND at >= $3 LIMIT 1',
        [targetId, action, at],
      );
      return row !== undefined;
    },
  };
}
