import type { Db } from './database.ts';
import { immediate } from './database.ts';
import {
  allows,
  decayed,
  retryAfterMs,
  type CounterKey,
  type FailureCounterStore,
} from '../failure-counters.ts';

interface CounterRow {
  value: number;
  written_at: number;
}

export function sqliteFailureCounterStore(db: Db): FailureCounterStore {
  const get = db.prepare(
    'SELECT value, written_at FROM failure_counters WHERE kind = ? AND subject = ? AND address = ?',
  );
  const put = db.prepare(
    `INSERT INTO failure_counters (kind, subject, address, value, written_at) VALUES (@kind, @subject, @address, @value, @at)
     ON CONFLICT (kind, subject, address) DO UPDATE SET value = excluded.value, written_at = excluded.written_at`,
  );
  const remove = db.prepare('DELETE FROM failure_counters WHERE kind = ? AND subject = ? AND address = ?');
  const row = (k: CounterKey) => get.get(k.kind, k.subject, k.address) as CounterRow | undefined;
  return {
    async peek(keys, now) {
      return keys.map((k) => {
        const found = row(k);
        return found ? decayed(found.value, found.written_at, now, k.halfLifeMs) : 0;
      });
    },
    async charge(rules, now) {
      return immediate(db, () => {
        const values = rules.map((r) => {
          const found = row(r);
          return found ? decayed(found.value, found.written_at, now, r.halfLifeMs) : 0;
        });
        const refusedBy = rules.findIndex((r, i) => !allows(values[i] ?? 0, r.limit));
        if (refusedBy >= 0) {
          const rule = rules[refusedBy]!;
          const wait = retryAfterMs(values[refusedBy] ?? 0, rule.limit, rule.halfLifeMs);
          return { ok: false, refusedBy, retryAfterMs: wait };
        }
        const after = values.map((v) => v + 1);
        rules.forEach((r, i) => put.run({ ...pick(r), value: after[i], at: now }));
        return { ok: true, values: after };
      });
    },
    async claimAlert(k, now, intervalMs) {
      const claimed = db
        .prepare(
          `UPDATE failure_counters SET alerted_at = ?
           WHERE kind = ? AND subject = ? AND address = ? AND (alerted_at IS NULL OR alerted_at <= ?)`,
        )
        .run(now, k.kind, k.subject, k.address, now - intervalMs);
      return claimed.changes === 1;
    },
    async settle(refund, clear, now) {
      immediate(db, () => {
        for (const r of refund) {
          const found = row(r);
          if (!found) continue;
          const value = Math.max(0, decayed(found.value, found.written_at, now, r.halfLifeMs) - 1);
          put.run({ ...pick(r), value, at: now });
        }
        for (const k of clear) remove.run(k.kind, k.subject, k.address);
      });
    },
    async clearSubject(kind, subject) {
      return db.prepare('DELETE FROM failure_counters WHERE kind = ? AND subject = ?').run(kind, subject)
        .changes;
    },
    async purge(before) {
      return db.prepare('DELETE FROM failure_counters WHERE written_at < ?').run(before).changes;
    },
  };
}

const pick = (k: CounterKey) => ({ kind: k.kind, subject: k.subject, address: k.address });
