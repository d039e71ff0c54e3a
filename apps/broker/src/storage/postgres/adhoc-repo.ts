import type { AdhocEndReason, AdhocEvent } from '@beckon/protocol';
import type { AdhocAnnouncer, AdhocRecord, AdhocStore } from '../adhoc-types.ts';
import { toAdhoc, toAdhocEvent, type AdhocEventRow, type AdhocRow } from '../adhoc-rows.ts';
import { insertMail } from './outbox-repo.ts';
import { isUniqueViolation, type PgDb, type Sql, type Tx } from './pool.ts';
import { queueWebhook } from './webhooks-repo.ts';

const ACTIVE = `status IN ('created', 'activated')`;

const addEvent = (
  sql: Sql,
  id: string,
  kind: string,
  at: string,
  actorId: string | null,
  detail: string | null,
) =>
  sql.run('INSERT INTO adhoc_events (session_id, kind, at, actor_id, detail) VALUES ($1, $2, $3, $4, $5)', [
    id,
    kind,
    at,
    actorId,
    detail,
  ]);

/** A record of the session and its adhoc.* webhook (domain/adhoc-webhooks.ts builds it), in one transaction. */
async function record(
  sql: Sql,
  announce: AdhocAnnouncer,
  r: AdhocRecord,
  kind: AdhocEvent['kind'],
  at: string,
  detail: string | null,
  actorId: string | null,
): Promise<void> {
  await addEvent(sql, r.id, kind, at, actorId, detail);
  await queueWebhook(sql, announce(r, { kind, at, actorId, detail }));
}

const getRow = async (sql: Sql, id: string) =>
  sql.one<AdhocRow>('SELECT * FROM adhoc_sessions WHERE id = $1', [id]);

async function endTx(
  tx: Tx,
  id: string,
  at: string,
  reason: AdhocEndReason,
  actorId: string | null,
  announce: AdhocAnnouncer,
) {
  const row = await tx.one<AdhocRow>(
    `UPDATE adhoc_sessions SET status = 'ended', code_hash = NULL, ended_at = $1, end_reason = $2
     WHERE id = $3 AND ${ACTIVE} RETURNING *`,
    [at, reason, id],
  );
  if (!row) return null;
  // The temporary host's key opens nothing once the session is over.
  if (row.host_id) await tx.run('DELETE FROM managed_hosts WHERE id = $1', [row.host_id]);
  await record(tx, announce, toAdhoc(row), 'ended', at, reason, actorId);
  return toAdhoc(row);
}

/** A key another host holds, found by a read or, in a race, by the unique index: either way rolled back. */
class KeyInUse extends Error {}

export function pgAdhocStore(db: PgDb): AdhocStore {
  const activeOfOrg = async (sql: Sql, orgId: string) =>
    (await sql.one<{ n: number }>(
      `SELECT count(*) AS n FROM adhoc_sessions WHERE org_id = $1 AND ${ACTIVE}`,
      [orgId],
    ))!.n;
  return {
    async seats(orgId) {
      return (
        (await db.one<{ seats: number }>('SELECT seats FROM adhoc_seats WHERE org_id = $1', [orgId]))
          ?.seats ?? 0
      );
    },
    async setSeats(orgId, n) {
      await db.run(
        'INSERT INTO adhoc_seats (org_id, seats) VALUES ($1, $2) ON CONFLICT (org_id) DO UPDATE SET seats = excluded.seats',
        [orgId, n],
      );
    },
    async activeCount(orgId) {
      return activeOfOrg(db, orgId);
    },
    async create(r, secrets, limits, mail, announce) {
      try {
        return await db.tx(async (tx) => {
          // The organisation's creates take turns from here to commit: no race past a limit.
          await tx.run('SELECT pg_advisory_xact_lock(hashtextextended($1, 2))', [r.orgId]);
          if (
            await tx.one(`SELECT 1 FROM adhoc_sessions WHERE provider_id = $1 AND ${ACTIVE}`, [r.providerId])
          )
            return { ok: false, reason: 'provider_limit' } as const;
          const active = await activeOfOrg(tx, r.orgId);
          if (active >= limits.orgLimit) return { ok: false, reason: 'org_limit' } as const;
          if (active >= limits.seats) return { ok: false, reason: 'no_seat' } as const;
          await tx.run(
            `INSERT INTO adhoc_sessions (id, org_id, provider_id, user_name, email, language, comment, status,
               password_hash, code_hash, install_token_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'created', $8, $9, $10, $11)`,
            [
              r.id,
              r.orgId,
              r.providerId,
              r.userName,
              r.email,
              r.language,
              r.comment,
              r.passwordHash,
              secrets.codeHash,
              secrets.installTokenHash,
              r.createdAt,
            ],
          );
          await record(tx, announce, r, 'created', r.createdAt, null, r.providerId);
          await insertMail(tx, mail);
          return { ok: true } as const;
        });
      } catch (error) {
        if (
          isUniqueViolation(error) &&
          (error as { constraint?: string }).constraint === 'adhoc_one_active_per_provider'
        )
          return { ok: false, reason: 'provider_limit' };
        throw error;
      }
    },
    async get(orgId, id) {
      const row = await getRow(db, id);
      return row && row.org_id === orgId ? toAdhoc(row) : null;
    },
    async byInstallToken(tokenHash) {
      const row = await db.one<AdhocRow>('SELECT * FROM adhoc_sessions WHERE install_token_hash = $1', [
        tokenHash,
      ]);
      return row ? toAdhoc(row) : null;
    },
    async list(orgId) {
      const rows = await db.rows<AdhocRow>(
        'SELECT * FROM adhoc_sessions WHERE org_id = $1 ORDER BY created_at DESC, id LIMIT 500',
        [orgId],
      );
      return rows.map(toAdhoc);
    },
    async events(id) {
      const rows = await db.rows<AdhocEventRow>(
        'SELECT kind, at, actor_id, detail FROM adhoc_events WHERE session_id = $1 ORDER BY seq',
        [id],
      );
      return rows.map(toAdhocEvent);
    },
    async activate(a, announce) {
      try {
        return await db.tx(async (tx) => {
          // FOR UPDATE: two activations with one code take turns, and the second finds it used.
          const row = await tx.one<AdhocRow>(
            `SELECT * FROM adhoc_sessions WHERE code_hash = $1 AND status = 'created' FOR UPDATE`,
            [a.codeHash],
          );
          if (!row) return { ok: false, reason: 'invalid_code' } as const;
          if (await tx.one('SELECT 1 FROM managed_hosts WHERE public_key = $1', [a.host.publicKey]))
            throw new KeyInUse();
          await tx.run(
            `INSERT INTO managed_hosts (id, org_id, name, group_id, tags, public_key, presence, enrolled_at)
             VALUES ($1, $2, $3, NULL, '["ad-hoc"]', $4, $5, $6)`,
            [a.host.id, row.org_id, a.host.name, a.host.publicKey, JSON.stringify(a.host.presence), a.now],
          );
          const updated = await tx.one<AdhocRow>(
            `UPDATE adhoc_sessions SET status = 'activated', code_hash = NULL, host_id = $1, activated_at = $2,
               expires_at = $3, removal_token_hash = $4 WHERE id = $5 RETURNING *`,
            [a.host.id, a.now, a.expiresAt, a.removalTokenHash, row.id],
          );
          await record(tx, announce, toAdhoc(updated!), 'activated', a.now, a.host.name, null);
          return { ok: true, session: toAdhoc(updated!) } as const;
        });
      } catch (error) {
        if (error instanceof KeyInUse || isUniqueViolation(error))
          return { ok: false, reason: 'key_in_use' } as const;
        throw error;
      }
    },
    async end(id, at, reason, actorId, announce) {
      return db.tx((tx) => endTx(tx, id, at, reason, actorId, announce));
    },
    async due(now) {
      const rows = await db.rows<AdhocRow>(
        `SELECT * FROM adhoc_sessions WHERE status = 'activated' AND expires_at <= $1`,
        [now],
      );
      return rows.map(toAdhoc);
    },
    async report(id, tokenHash, event, at, announce) {
      return db.tx(async (tx) => {
        const row = await tx.one<AdhocRow>(
          'SELECT * FROM adhoc_sessions WHERE id = $1 AND removal_token_hash = $2 FOR UPDATE',
          [id, tokenHash],
        );
        if (!row) return null;
        if (row.status === 'activated') await endTx(tx, id, at, 'user', null, announce);
        if (event === 'ended_by_user') return toAdhoc((await getRow(tx, id))!);
        const done = await tx.one<AdhocRow>(
          `UPDATE adhoc_sessions SET status = 'removed', removed_at = $1 WHERE id = $2 AND status = 'ended' RETURNING *`,
          [at, id],
        );
        if (done) await record(tx, announce, toAdhoc(done), 'removed', at, null, null);
        return toAdhoc(done ?? (await getRow(tx, id))!);
      });
    },
    async addEvent(id, kind, at, actorId, detail, announce) {
      await db.tx(async (tx) => {
        const row = await getRow(tx, id);
        if (row) await record(tx, announce, toAdhoc(row), kind, at, detail, actorId);
        else await addEvent(tx, id, kind, at, actorId, detail);
      });
    },
    async byHost(hostId) {
      const row = await db.one<AdhocRow>('SELECT * FROM adhoc_sessions WHERE host_id = $1', [hostId]);
      return row ? toAdhoc(row) : null;
    },
  };
}
