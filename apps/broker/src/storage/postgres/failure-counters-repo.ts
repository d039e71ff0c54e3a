import {
  allows,
  decayed,
  retryAfterMs,
  type CounterKey,
  type FailureCounterStore,
} from '../failure-counters.ts';
import type { PgDb, Tx } from './pool.ts';

interface CounterRow {
  value: number;
  written_at: number;
}

const GET =
  'SELECT value, written_at FROM failure_counters WHERE kind = $1 AND subject = $2 AND address = $3';
const PUT = `INSERT INTO failure_counters (kind, subject, address, value, written_at) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (kind, subject, address) DO UPDATE SET value = excluded.value, written_at = excluded.written_at`;

const keyText = (k: CounterKey) => JSON.stringify([k.kind, k.subject, k.address]);

/**
 * Locks the counters' keys for the transaction (in one order, so two charges
 * cannot deadlock): a read-then-write of a counter that has no row yet has
 * nothing to lock with FOR UPDATE, and parallel attempts must not all slip in.
 */
async function lockKeys(tx: Tx, keys: CounterKey[]): Promise<void> {
  const texts = [...new Set(keys.map(keyText))].sort();
  for (const text of texts) await tx.run('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [text]);
}

export function pgFailureCounterStore(db: PgDb): FailureCounterStore {
  const value = async (sql: Pick<Tx, 'one'>, k: CounterKey & { halfLifeMs: number }, now: number) => {
    const found = await sql.one<CounterRow>(GET, [k.kind, k.subject, k.address]);
    return found ? decayed(found.value, found.written_at, now, k.halfLifeMs) : 0;
  };
  return {
    async peek(keys, now) {
      return Promise.all(keys.map((k) => value(db, k, now)));
    },
    async charge(rules, now) {
      return db.tx(async (tx) => {
        await lockKeys(tx, rules);
        const values: number[] = [];
        for (const r of rules) values.push(await value(tx, r, now));
        const refusedBy = rules.findIndex((r, i) => !allows(values[i] ?? 0, r.limit));
        if (refusedBy >= 0) {
          const rule = rules[refusedBy]!;
          return {
            ok: false,
            refusedBy,
            retryAfterMs: retryAfterMs(values[refusedBy] ?? 0, rule.limit, rule.halfLifeMs),
          };
        }
        const after = values.map((v) => v + 1);
        for (const [i, r] of rules.entries())
          await tx.run(PUT, [r.kind, r.subject, r.address, after[i], now]);
        return { ok: true, values: after };
      });
    },
    async claimAlert(k, now, intervalMs) {
      const claimed = await db.run(
        `UPDATE failure_counters SET alerted_at = $1
         WHERE kind = $2 AND subject = $3 AND address = $4 AND (alerted_at IS NULL OR alerted_at <= $5)`,
        [now, k.kind, k.subject, k.address, now - intervalMs],
      );
      return claimed === 1;
    },
    async settle(refund, clear, now) {
      await db.tx(async (tx) => {
        await lockKeys(tx, [...refund, ...clear]);
        for (const r of refund) {
          const found = await tx.one<CounterRow>(GET, [r.kind, r.subject, r.address]);
          if (!found) continue;
          const v = Math.max(0, decayed(found.value, found.written_at, now, r.halfLifeMs) - 1);
          await tx.run(PUT, [r.kind, r.subject, r.address, v, now]);
        }
        for (const k of clear)
          await tx.run('DELETE FROM failure_counters WHERE kind = $1 AND subject = $2 AND address = $3', [
            k.kind,
            k.subject,
            k.address,
          ]);
      });
    },
    async clearSubject(kind, subject) {
      return db.run('DELETE FROM failure_counters WHERE kind = $1 AND subject = $2', [kind, subject]);
    },
    async purge(before) {
      return db.run('DELETE FROM failure_counters WHERE written_at < $1', [before]);
    },
  };
}
