import type { GrantStore, RecordedGrantEvent } from '../grant-types.ts';
import {
  toGrant,
  toGrantEvent,
  toHostSession,
  type GrantEventRow,
  type GrantRow,
  type HostSessionRow,
} from '../grant-rows.ts';
import { appendAudit } from './audit-repo.ts';
import type { PgDb, Tx } from './pool.ts';
import { queueWebhook } from './webhooks-repo.ts';

/** Every grant event is also one entry of the tamper-evident audit log (domain/grant-records.ts), in the same transaction. */
async function write(tx: Tx, { event: e, audit }: RecordedGrantEvent): Promise<void> {
  await tx.run(
    `INSERT INTO grant_events (org_id, host_id, grant_id, request_id, kind, actor_type, actor_id, actor_name,
       address, detail, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      e.orgId,
      e.hostId,
      e.grantId,
      e.requestId,
      e.kind,
      e.actor.type,
      e.actor.id,
      e.actor.name,
      e.address,
      e.detail,
      e.at,
    ],
  );
  await appendAudit(tx, [audit]);
}

export function pgGrantStore(db: PgDb): GrantStore {
  return {
    async create(g, event) {
      await db.tx(async (tx) => {
        await tx.run(
          `INSERT INTO unattended_grants (id, org_id, host_id, agent_id, agent_name, request_id, mode, permissions,
             duration, daily, time_zone, status, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [
            g.id,
            g.orgId,
            g.hostId,
            g.agentId,
            g.agentName,
            g.requestId,
            g.mode,
            JSON.stringify(g.permissions),
            JSON.stringify(g.duration),
            g.daily ? JSON.stringify(g.daily) : null,
            g.timeZone,
            g.status,
            g.createdAt,
          ],
        );
        await write(tx, event);
      });
    },
    async byId(id) {
      const row = await db.one<GrantRow>('SELECT * FROM unattended_grants WHERE id = $1', [id]);
      return row ? toGrant(row) : null;
    },
    async ofHost(orgId, hostId) {
      const rows = await db.rows<GrantRow>(
        'SELECT * FROM unattended_grants WHERE org_id = $1 AND host_id = $2 ORDER BY created_at DESC',
        [orgId, hostId],
      );
      return rows.map(toGrant);
    },
    async activeFor(hostId, agentId) {
      const rows = await db.rows<GrantRow>(
        `SELECT * FROM unattended_grants WHERE host_id = $1 AND agent_id = $2 AND status = 'active' ORDER BY created_at`,
        [hostId, agentId],
      );
      return rows.map(toGrant);
    },
    async settle(id, update, event, webhook) {
      return db.tx(async (tx) => {
        const row = await tx.one<GrantRow>(
          `UPDATE unattended_grants SET status = $2, approved_at = $3, verified_user = $4, verified_at = $5
           WHERE id = $1 AND status = 'pending' RETURNING *`,
          [id, update.status, update.approvedAt, update.verifiedUser, update.verifiedAt],
        );
        if (!row) return null;
        await write(tx, event);
        if (webhook) await queueWebhook(tx, webhook);
        return toGrant(row);
      });
    },
    async revoke(id, at, by, event, webhook) {
      return db.tx(async (tx) => {
        const row = await tx.one<GrantRow>(
          `UPDATE unattended_grants SET status = 'revoked', revoked_at = $1, revoked_by = $2
           WHERE id = $3 AND status IN ('pending', 'active') RETURNING *`,
          [at, by, id],
        );
        if (!row) return null;
        const grant = toGrant(row);
        await write(tx, event);
        await queueWebhook(tx, webhook(grant));
        return grant;
      });
    },
    async record(event) {
      await db.tx((tx) => write(tx, event));
    },
    async events(orgId, hostId, limit) {
      const rows = await db.rows<GrantEventRow>(
        'SELECT * FROM grant_events WHERE org_id = $1 AND host_id = $2 ORDER BY id DESC LIMIT $3',
        [orgId, hostId, limit],
      );
      return rows.map(toGrantEvent);
    },
    async linkSession(s) {
      await db.run(
        `INSERT INTO host_sessions (request_id, org_id, host_id, agent_id, grant_id, reason, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [s.requestId, s.orgId, s.hostId, s.agentId, s.grantId, s.reason, s.createdAt],
      );
    },
    async hostSession(requestId) {
      const row = await db.one<HostSessionRow>('SELECT * FROM host_sessions WHERE request_id = $1', [
        requestId,
      ]);
      return row ? toHostSession(row) : null;
    },
    async sessionBoundary(requestId, boundary, at, event, webhook) {
      return db.tx(async (tx) => {
        const row = await tx.one<HostSessionRow>(
          boundary === 'start'
            ? 'UPDATE host_sessions SET started_at = $1 WHERE request_id = $2 AND started_at IS NULL RETURNING *'
            : `UPDATE host_sessions SET ended_at = $1 WHERE request_id = $2 AND started_at IS NOT NULL AND ended_at IS NULL
               RETURNING *`,
          [at, requestId],
        );
        if (!row) return null;
        const s = toHostSession(row);
        await write(tx, event);
        const hook = webhook(s);
        if (hook) await queueWebhook(tx, hook);
        return s;
      });
    },
    async liveSessionsOf(grantId) {
      const rows = await db.rows<HostSessionRow>(
        'SELECT * FROM host_sessions WHERE grant_id = $1 AND started_at IS NOT NULL AND ended_at IS NULL',
        [grantId],
      );
      return rows.map(toHostSession);
    },
  };
}
