import type { Queue } from '@beckon/protocol';
import type { AuthSessionStore, DeviceStore, OrgStore, QueueStore, UserRecord, UserStore } from '../types.ts';
import {
  publicUser,
  toAuthSession,
  toDevice,
  toUser,
  type AuthSessionRow,
  type DeviceRow,
  type UserRow,
} from '../account-rows.ts';
import { appendAudit, auditedWriter } from './audit-repo.ts';
import type { PgDb } from './pool.ts';

/** First-run setup takes this transaction lock, so two brokers cannot both set up. */
const SETUP_LOCK = 0x7365747570;

const INSERT_USER = `INSERT INTO users (id, org_id, email, name, role, permissions, password_hash, disabled, created_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;
const userParams = (u: UserRecord) => [
  u.id,
  u.orgId,
  u.email,
  u.name,
  u.role,
  JSON.stringify(u.permissions),
  u.passwordHash,
  u.disabled,
  u.createdAt,
];

export function pgOrgStore(db: PgDb): OrgStore {
  return {
    async setupOnce(org, admin) {
      return db.tx(async (tx) => {
        await tx.run('SELECT pg_advisory_xact_lock($1)', [SETUP_LOCK]);
        if (await tx.one('SELECT 1 FROM setup WHERE id = 1')) return false;
        await tx.run('INSERT INTO orgs (id, name, created_at) VALUES ($1, $2, $3)', [
          org.id,
          org.name,
          org.createdAt,
        ]);
        await tx.run(INSERT_USER, userParams(admin));
        await tx.run('INSERT INTO setup (id, org_id, done_at) VALUES (1, $1, $2)', [org.id, org.createdAt]);
        return true;
      });
    },
    async isSetUp() {
      return (await db.one('SELECT 1 FROM setup WHERE id = 1')) !== undefined;
    },
    async get(id) {
      const row = await db.one<{ id: string; name: string; created_at: string }>(
        'SELECT id, name, created_at FROM orgs WHERE id = $1',
        [id],
      );
      return row ? { id: row.id, name: row.name, createdAt: row.created_at } : null;
    },
  };
}

export function pgUserStore(db: PgDb): UserStore {
  const audited = auditedWriter(db);
  return {
    async byEmail(email) {
      // SQLite's column is NOCASE; here the unique index is on lower(email).
      const row = await db.one<UserRow>('SELECT * FROM users WHERE lower(email) = lower($1)', [email]);
      return row ? toUser(row) : null;
    },
    async byId(id) {
      const row = await db.one<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
      return row ? toUser(row) : null;
    },
    async list(orgId) {
      const rows = await db.rows<UserRow>(
        'SELECT * FROM users WHERE org_id = $1 ORDER BY lower(email) COLLATE "C"',
        [orgId],
      );
      return rows.map(publicUser);
    },
    async listAdmins() {
      const rows = await db.rows<UserRow>(
        `SELECT * FROM users WHERE role = 'admin' AND NOT disabled ORDER BY org_id, lower(email) COLLATE "C"`,
      );
      return rows.map(publicUser);
    },
    async create(user, audit) {
      await audited(audit, (sql) => sql.run(INSERT_USER, userParams(user)));
    },
    async update(id, patch, audit) {
      const columns: Record<string, unknown> = {
        name: patch.name,
        role: patch.role,
        permissions: patch.permissions === undefined ? undefined : JSON.stringify(patch.permissions),
        password_hash: patch.passwordHash,
        disabled: patch.disabled,
      };
      const changed = Object.entries(columns).filter(([, v]) => v !== undefined);
      const sets = changed.map(([column], i) => `${column} = $${i + 1}`);
      const values = changed.map(([, v]) => v);
      await audited(audit, async (sql) => {
        if (sets.length > 0)
          await sql.run(`UPDATE users SET ${sets.join(', ')} WHERE id = $${sets.length + 1}`, [
            ...values,
            id,
          ]);
      });
    },
  };
}

export function pgAuthSessionStore(db: PgDb): AuthSessionStore {
  const audited = auditedWriter(db);
  return {
    async create(s, audit) {
      await audited(audit, (sql) =>
        sql.run(
          'INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)',
          [s.tokenHash, s.userId, s.createdAt, s.expiresAt],
        ),
      );
    },
    async byTokenHash(tokenHash) {
      const row = await db.one<AuthSessionRow>('SELECT * FROM auth_sessions WHERE token_hash = $1', [
        tokenHash,
      ]);
      return row ? toAuthSession(row) : null;
    },
    async revoke(tokenHash, audit) {
      await audited(audit, (sql) => sql.run('DELETE FROM auth_sessions WHERE token_hash = $1', [tokenHash]));
    },
    async purgeExpired(now) {
      return db.run('DELETE FROM auth_sessions WHERE expires_at <= $1', [now]);
    },
  };
}

export function pgQueueStore(db: PgDb): QueueStore {
  type Row = { id: string; name: string; created_at: string; member_ids: string[] };
  const toQueue = (row: Row): Queue => ({
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    memberIds: row.member_ids,
  });
  const SELECT = `SELECT q.id, q.name, q.created_at,
      COALESCE((SELECT array_agg(m.user_id ORDER BY m.user_id COLLATE "C") FROM queue_members m WHERE m.queue_id = q.id),
               '{}') AS member_ids
    FROM queues q`;
  return {
    async list(orgId) {
      return (await db.rows<Row>(`${SELECT} WHERE q.org_id = $1 ORDER BY q.name COLLATE "C"`, [orgId])).map(
        toQueue,
      );
    },
    async get(orgId, id) {
      const row = await db.one<Row>(`${SELECT} WHERE q.org_id = $1 AND q.id = $2`, [orgId, id]);
      return row ? toQueue(row) : null;
    },
    async create(orgId, queue, audit) {
      await db.tx(async (tx) => {
        if (audit) await appendAudit(tx, audit);
        await tx.run('INSERT INTO queues (id, org_id, name, created_at) VALUES ($1, $2, $3, $4)', [
          queue.id,
          orgId,
          queue.name,
          queue.createdAt,
        ]);
        for (const userId of queue.memberIds)
          await tx.run('INSERT INTO queue_members (queue_id, user_id) VALUES ($1, $2)', [queue.id, userId]);
      });
    },
    async ofMember(userId) {
      const rows = await db.rows<{ queue_id: string }>(
        'SELECT queue_id FROM queue_members WHERE user_id = $1',
        [userId],
      );
      return rows.map((r) => r.queue_id);
    },
  };
}

export function pgDeviceStore(db: PgDb): DeviceStore {
  return {
    async list(orgId) {
      return (
        await db.rows<DeviceRow>('SELECT * FROM agent_devices WHERE org_id = $1 ORDER BY name COLLATE "C"', [
          orgId,
        ])
      ).map(toDevice);
    },
    async get(orgId, id) {
      const row = await db.one<DeviceRow>('SELECT * FROM agent_devices WHERE org_id = $1 AND id = $2', [
        orgId,
        id,
      ]);
      return row ? toDevice(row) : null;
    },
    async register(orgId, d) {
      await db.run(
        'INSERT INTO agent_devices (id, org_id, user_id, name, platform, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [d.id, orgId, d.userId, d.name, d.platform, d.createdAt, d.lastSeenAt],
      );
    },
    async ofUser(userId) {
      return (await db.rows<{ id: string }>('SELECT id FROM agent_devices WHERE user_id = $1', [userId])).map(
        (r) => r.id,
      );
    },
  };
}
