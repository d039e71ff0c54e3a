import type { AdhocEndReason, AdhocEvent } from '@beckon/protocol';
import { immediate, type Db } from './database.ts';
import type { AdhocAnnouncer, AdhocRecord, AdhocStore } from '../adhoc-types.ts';
import { toAdhoc, toAdhocEvent, type AdhocEventRow, type AdhocRow } from '../adhoc-rows.ts';
import { insertMail } from './outbox-repo.ts';
import { webhookQueuer } from './webhooks-repo.ts';

const ACTIVE = `status IN ('created', 'activated')`;

export function sqliteAdhocStore(db: Db): AdhocStore {
  const queue = webhookQueuer(db);
  // Every record is also an adhoc.* event, queued in the record's own transaction.
  const record = (
    announce: AdhocAnnouncer,
    r: AdhocRecord,
    kind: AdhocEvent['kind'],
    at: string,
    detail: string | null,
    actorId: string | null,
  ) => {
    addEvent.run(r.id, kind, at, actorId, detail);
    queue(announce(r, { kind, at, actorId, detail }));
  };
  const seats = db.prepare('SELECT seats FROM adhoc_seats WHERE org_id = ?');
  const setSeats = db.prepare(
    'INSERT INTO adhoc_seats (org_id, seats) VALUES (?, ?) ON CONFLICT (org_id) DO UPDATE SET seats = excluded.seats',
  );
  const activeOfOrg = db.prepare(`SELECT count(*) AS n FROM adhoc_sessions WHERE org_id = ? AND ${ACTIVE}`);
  const activeOfProvider = db.prepare(`SELECT 1 FROM adhoc_sessions WHERE provider_id = ? AND ${ACTIVE}`);
  const insert = db.prepare(
    `INSERT INTO adhoc_sessions (id, org_id, provider_id, user_name, email, language, comment, status,
       password_hash, code_hash, install_token_hash, created_at)
     VALUES (@id, @orgId, @providerId, @userName, @email, @language, @comment, 'created',
       @passwordHash, @codeHash, @installTokenHash, @createdAt)`,
  );
  const addEvent = db.prepare(
    'INSERT INTO adhoc_events (session_id, kind, at, actor_id, detail) VALUES (?, ?, ?, ?, ?)',
  );
  const get = db.prepare('SELECT * FROM adhoc_sessions WHERE id = ?');
  const byInstall = db.prepare('SELECT * FROM adhoc_sessions WHERE install_token_hash = ?');
  const byHost = db.prepare('SELECT * FROM adhoc_sessions WHERE host_id = ?');
  const list = db.prepare(
    'SELECT * FROM adhoc_sessions WHERE org_id = ? ORDER BY created_at DESC, id LIMIT 500',
  );
  const events = db.prepare(
    'SELECT kind, at, actor_id, detail FROM adhoc_events WHERE session_id = ? ORDER BY seq',
  );
  const byCode = db.prepare(`SELECT * FROM adhoc_sessions WHERE code_hash = ? AND status = 'created'`);
  const keyInUse = db.prepare('SELECT 1 FROM managed_hosts WHERE public_key = ?');
  const insertHost = db.prepare(
    `INSERT INTO managed_hosts (id, org_id, name, group_id, tags, public_key, presence, enrolled_at)
     VALUES (?, ?, ?, NULL, '["ad-hoc"]', ?, ?, ?)`,
  );
  const activate = db.prepare(
    `UPDATE adhoc_sessions SET status = 'activated', code_hash = NULL, host_id = ?, activated_at = ?,
       expires_at = ?, removal_token_hash = ? WHERE id = ? RETURNING *`,
  );
  const end = db.prepare(
    `UPDATE adhoc_sessions SET status = 'ended', code_hash = NULL, ended_at = ?, end_reason = ?
     WHERE id = ? AND ${ACTIVE} RETURNING *`,
  );
  const deleteHost = db.prepare('DELETE FROM managed_hosts WHERE id = ?');
  const due = db.prepare(`SELECT * FROM adhoc_sessions WHERE status = 'activated' AND expires_at <= ?`);
  const checkToken = db.prepare('SELECT * FROM adhoc_sessions WHERE id = ? AND removal_token_hash = ?');
  const removed = db.prepare(
    `UPDATE adhoc_sessions SET status = 'removed', removed_at = ? WHERE id = ? AND status = 'ended' RETURNING *`,
  );

  const endTx = (
    id: string,
    at: string,
    reason: AdhocEndReason,
    actorId: string | null,
    announce: AdhocAnnouncer,
  ) => {
    const row = end.get(at, reason, id) as AdhocRow | undefined;
    if (!row) return null;
    // The temporary host's key opens nothing once the session is over.
    if (row.host_id) deleteHost.run(row.host_id);
    record(announce, toAdhoc(row), 'ended', at, reason, actorId);
    return toAdhoc(row);
  };

  return {
    async seats(orgId) {
      return (seats.get(orgId) as { seats: number } | undefined)?.seats ?? 0;
    },
    async setSeats(orgId, n) {
      setSeats.run(orgId, n);
    },
    async activeCount(orgId) {
      return (activeOfOrg.get(orgId) as { n: number }).n;
    },
    async create(r, secrets, limits, mail, announce) {
      return immediate(db, () => {
        if (activeOfProvider.get(r.providerId)) return { ok: false, reason: 'provider_limit' } as const;
        const active = (activeOfOrg.get(r.orgId) as { n: number }).n;
        if (active >= limits.orgLimit) return { ok: false, reason: 'org_limit' } as const;
        if (active >= limits.seats) return { ok: false, reason: 'no_seat' } as const;
        insert.run({ ...r, ...secrets });
        record(announce, r, 'created', r.createdAt, null, r.providerId);
        insertMail(db, mail);
        return { ok: true } as const;
      });
    },
    async get(orgId, id) {
      const row = get.get(id) as AdhocRow | undefined;
      return row && row.org_id === orgId ? toAdhoc(row) : null;
    },
    async byInstallToken(tokenHash) {
      const row = byInstall.get(tokenHash) as AdhocRow | undefined;
      return row ? toAdhoc(row) : null;
    },
    async list(orgId) {
      return (list.all(orgId) as AdhocRow[]).map(toAdhoc);
    },
    async events(id) {
      return (events.all(id) as AdhocEventRow[]).map(toAdhocEvent);
    },
    async activate(a, announce) {
      return immediate(db, () => {
        const row = byCode.get(a.codeHash) as AdhocRow | undefined;
        if (!row) return { ok: false, reason: 'invalid_code' } as const;
        if (keyInUse.get(a.host.publicKey)) return { ok: false, reason: 'key_in_use' } as const;
        insertHost.run(
          a.host.id,
          row.org_id,
          a.host.name,
          a.host.publicKey,
          JSON.stringify(a.host.presence),
          a.now,
        );
        const updated = activate.get(a.host.id, a.now, a.expiresAt, a.removalTokenHash, row.id) as AdhocRow;
        record(announce, toAdhoc(updated), 'activated', a.now, a.host.name, null);
        return { ok: true, session: toAdhoc(updated) } as const;
      });
    },
    async end(id, at, reason, actorId, announce) {
      return immediate(db, () => endTx(id, at, reason, actorId, announce));
    },
    async due(now) {
      return (due.all(now) as AdhocRow[]).map(toAdhoc);
    },
    async report(id, tokenHash, event, at, announce) {
      return immediate(db, () => {
        const row = checkToken.get(id, tokenHash) as AdhocRow | undefined;
        if (!row) return null;
        if (row.status === 'activated') endTx(id, at, 'user', null, announce);
        if (event === 'ended_by_user') return toAdhoc(get.get(id) as AdhocRow);
        const done = removed.get(at, id) as AdhocRow | undefined;
        if (done) record(announce, toAdhoc(done), 'removed', at, null, null);
        return toAdhoc(done ?? (get.get(id) as AdhocRow));
      });
    },
    async addEvent(id, kind, at, actorId, detail, announce) {
      immediate(db, () => {
        const row = get.get(id) as AdhocRow | undefined;
        if (row) record(announce, toAdhoc(row), kind, at, detail, actorId);
        else addEvent.run(id, kind, at, actorId, detail);
      });
    },
    async byHost(hostId) {
      const row = byHost.get(hostId) as AdhocRow | undefined;
      return row ? toAdhoc(row) : null;
    },
  };
}
