import { immediate, type Db } from './database.ts';
import type { GrantStore, RecordedGrantEvent } from '../grant-types.ts';
import {
  toGrant,
  toGrantEvent,
  toHostSession,
  type GrantEventRow,
  type GrantRow,
  type HostSessionRow,
} from '../grant-rows.ts';
import { auditAppender } from './audit-repo.ts';
import { webhookQueuer } from './webhooks-repo.ts';

export function sqliteGrantStore(db: Db): GrantStore {
  const queue = webhookQueuer(db);
  const insert = db.prepare(
    `INSERT INTO unattended_grants (id, org_id, host_id, agent_id, agent_name, request_id, mode, permissions,
       duration, daily, time_zone, status, created_at)
     VALUES (@id, @orgId, @hostId, @agentId, @agentName, @requestId, @mode, @permissions, @duration, @daily,
       @timeZone, @status, @createdAt)`,
  );
  const byId = db.prepare('SELECT * FROM unattended_grants WHERE id = ?');
  const ofHost = db.prepare(
    'SELECT * FROM unattended_grants WHERE org_id = ? AND host_id = ? ORDER BY created_at DESC',
  );
  const activeFor = db.prepare(
    `SELECT * FROM unattended_grants WHERE host_id = ? AND agent_id = ? AND status = 'active' ORDER BY created_at`,
  );
  const settle = db.prepare(
    `UPDATE unattended_grants SET status = @status, approved_at = @approvedAt, verified_user = @verifiedUser,
       verified_at = @verifiedAt WHERE id = @id AND status = 'pending' RETURNING *`,
  );
  const revoke = db.prepare(
    `UPDATE unattended_grants SET status = 'revoked', revoked_at = ?, revoked_by = ?
     WHERE id = ? AND status IN ('pending', 'active') RETURNING *`,
  );
  const addEvent = db.prepare(
    `INSERT INTO grant_events (org_id, host_id, grant_id, request_id, kind, actor_type, actor_id, actor_name,
       address, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const events = db.prepare(
    'SELECT * FROM grant_events WHERE org_id = ? AND host_id = ? ORDER BY id DESC LIMIT ?',
  );
  const link = db.prepare(
    `INSERT INTO host_sessions (request_id, org_id, host_id, agent_id, grant_id, reason, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const hostSession = db.prepare('SELECT * FROM host_sessions WHERE request_id = ?');
  const start = db.prepare(
    'UPDATE host_sessions SET started_at = ? WHERE request_id = ? AND started_at IS NULL RETURNING *',
  );
  const end = db.prepare(
    `UPDATE host_sessions SET ended_at = ? WHERE request_id = ? AND started_at IS NOT NULL AND ended_at IS NULL
     RETURNING *`,
  );
  const liveOf = db.prepare(
    'SELECT * FROM host_sessions WHERE grant_id = ? AND started_at IS NOT NULL AND ended_at IS NULL',
  );
  const append = auditAppender(db);
  // Every grant event is also one entry of the tamper-evident audit log, in the same transaction.
  const write = ({ event: e, audit }: RecordedGrantEvent) => {
    append([audit]);
    addEvent.run(
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
    );
  };

  return {
    async create(g, event) {
      immediate(db, () => {
        insert.run({
          ...g,
          permissions: JSON.stringify(g.permissions),
          duration: JSON.stringify(g.duration),
          daily: g.daily ? JSON.stringify(g.daily) : null,
        });
        write(event);
      });
    },
    async byId(id) {
      const row = byId.get(id) as GrantRow | undefined;
      return row ? toGrant(row) : null;
    },
    async ofHost(orgId, hostId) {
      return (ofHost.all(orgId, hostId) as GrantRow[]).map(toGrant);
    },
    async activeFor(hostId, agentId) {
      return (activeFor.all(hostId, agentId) as GrantRow[]).map(toGrant);
    },
    async settle(id, update, event, webhook) {
      return immediate(db, () => {
        const row = settle.get({ id, ...update }) as GrantRow | undefined;
        if (!row) return null;
        write(event);
        if (webhook) queue(webhook);
        return toGrant(row);
      });
    },
    async revoke(id, at, by, event, webhook) {
      return immediate(db, () => {
        const row = revoke.get(at, by, id) as GrantRow | undefined;
        if (!row) return null;
        const grant = toGrant(row);
        write(event);
        queue(webhook(grant));
        return grant;
      });
    },
    async record(event) {
      immediate(db, () => write(event));
    },
    async events(orgId, hostId, limit) {
      return (events.all(orgId, hostId, limit) as GrantEventRow[]).map(toGrantEvent);
    },
    async linkSession(s) {
      link.run(s.requestId, s.orgId, s.hostId, s.agentId, s.grantId, s.reason, s.createdAt);
    },
    async hostSession(requestId) {
      const row = hostSession.get(requestId) as HostSessionRow | undefined;
      return row ? toHostSession(row) : null;
    },
    async sessionBoundary(requestId, boundary, at, event, webhook) {
      return immediate(db, () => {
        const row = (boundary === 'start' ? start : end).get(at, requestId) as HostSessionRow | undefined;
        if (!row) return null;
        const s = toHostSession(row);
        write(event);
        const hook = webhook(s);
        if (hook) queue(hook);
        return s;
      });
    },
    async liveSessionsOf(grantId) {
      return (liveOf.all(grantId) as HostSessionRow[]).map(toHostSession);
    },
  };
}
