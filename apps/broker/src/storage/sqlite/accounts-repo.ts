import type { Queue } from '@beckon/protocol';
import type { Db } from './database.ts';
import { immediate } from './database.ts';
import { auditAppender, auditedWriter } from './audit-repo.ts';
import type {
  AuthSessionStore,
  DeviceStore,
  Org,
  OrgStore,
  QueueStore,
  UserRecord,
  UserStore,
} from '../types.ts';
import {
  publicUser,
  toAuthSession,
  toDevice,
  toUser,
  type AuthSessionRow,
  type DeviceRow,
  type UserRow,
} from '../account-rows.ts';

export function sqliteOrgStore(db: Db): OrgStore {
  const insertUser = db.prepare(
    `INSERT INTO users (id, org_id, email, name, role, permissions, password_hash, created_at)
     VALUES (@id, @orgId, @email, @name, @role, @permissions, @passwordHash, @createdAt)`,
  );
  return {
    async setupOnce(org: Org, admin: UserRecord) {
      return immediate(db, () => {
        if (db.prepare('SELECT 1 FROM setup WHERE id = 1').get()) return false;
        db.prepare('INSERT INTO orgs (id, name, created_at) VALUES (?, ?, ?)').run(
          org.id,
          org.name,
          org.createdAt,
        );
        insertUser.run({ ...admin, permissions: JSON.stringify(admin.permissions) });
        db.prepare('INSERT INTO setup (id, org_id, done_at) VALUES (1, ?, ?)').run(org.id, org.createdAt);
        return true;
      });
    },
    async isSetUp() {
      return db.prepare('SELECT 1 FROM setup WHERE id = 1').get() !== undefined;
    },
    async get(id: string) {
      const row = db.prepare('SELECT id, name, created_at FROM orgs WHERE id = ?').get(id) as
        { id: string; name: string; created_at: string } | undefined;
      return row ? { id: row.id, name: row.name, createdAt: row.created_at } : null;
    },
  };
}

export function sqliteUserStore(db: Db): UserStore {
  const byEmail = db.prepare('SELECT * FROM users WHERE email = ?');
  const byId = db.prepare('SELECT * FROM users WHERE id = ?');
  const audited = auditedWriter(db);
  return {
    async byEmail(email) {
      const row = byEmail.get(email) as UserRow | undefined;
      return row ? toUser(row) : null;
    },
    async byId(id) {
      const row = byId.get(id) as UserRow | undefined;
      return row ? toUser(row) : null;
    },
    async list(orgId) {
      const rows = db.prepare('SELECT * FROM users WHERE org_id = ? ORDER BY email').all(orgId) as UserRow[];
      return rows.map(publicUser);
    },
    async listAdmins() {
      const rows = db
        .prepare("SELECT * FROM users WHERE role = 'admin' AND disabled = 0 ORDER BY org_id, email")
        .all() as UserRow[];
      return rows.map(publicUser);
    },
    async create(user, audit) {
      audited(audit, () =>
        db
          .prepare(
            `INSERT INTO users (id, org_id, email, name, role, permissions, password_hash, disabled, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            user.id,
            user.orgId,
            user.email,
            user.name,
            user.role,
            JSON.stringify(user.permissions),
            user.passwordHash,
            user.disabled ? 1 : 0,
            user.createdAt,
          ),
      );
    },
    async update(id, patch, audit) {
      const columns: Record<string, unknown> = {
        name: patch.name,
        role: patch.role,
        permissions: patch.permissions === undefined ? undefined : JSON.stringify(patch.permissions),
        password_hash: patch.passwordHash,
        disabled: patch.disabled === undefined ? undefined : patch.disabled ? 1 : 0,
      };
      const changed = Object.entries(columns).filter(([, v]) => v !== undefined);
      const sets = changed.map(([column]) => `${column} = ?`);
      const values = changed.map(([, v]) => v);
      audited(audit, () => {
        if (sets.length > 0)
          db.prepare(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
      });
    },
  };
}

export function sqliteAuthSessionStore(db: Db): AuthSessionStore {
  const get = db.prepare('SELECT * FROM auth_sessions WHERE token_hash = ?');
  const audited = auditedWriter(db);
  return {
    async create(s, audit) {
      audited(audit, () =>
        db
          .prepare(
            'INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
          )
          .run(s.tokenHash, s.userId, s.createdAt, s.expiresAt),
      );
    },
    async byTokenHash(tokenHash) {
      const row = get.get(tokenHash) as AuthSessionRow | undefined;
      return row ? toAuthSession(row) : null;
    },
    async revoke(tokenHash, audit) {
      audited(audit, () => db.prepare('DELETE FROM auth_sessions WHERE token_hash = ?').run(tokenHash));
    },
    async purgeExpired(now) {
      return db.prepare('DELETE FROM auth_sessions WHERE expires_at <= ?').run(now).changes;
    },
  };
}

export function sqliteQueueStore(db: Db): QueueStore {
  const members = db.prepare('SELECT user_id FROM queue_members WHERE queue_id = ? ORDER BY user_id');
  const append = auditAppender(db);
  const toQueue = (row: { id: string; name: string; created_at: string }): Queue => ({
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    memberIds: members.all(row.id).map((m) => (m as { user_id: string }).user_id),
  });
  return {
    async list(orgId) {
      const rows = db.prepare('SELECT * FROM queues WHERE org_id = ? ORDER BY name').all(orgId);
      return (rows as { id: string; name: string; created_at: string }[]).map(toQueue);
    },
    async get(orgId, id) {
      const row = db.prepare('SELECT * FROM queues WHERE org_id = ? AND id = ?').get(orgId, id);
      return row ? toQueue(row as { id: string; name: string; created_at: string }) : null;
    },
    async create(orgId, queue, audit) {
      immediate(db, () => {
        if (audit) append(audit);
        db.prepare('INSERT INTO queues (id, org_id, name, created_at) VALUES (?, ?, ?, ?)').run(
          queue.id,
          orgId,
          queue.name,
          queue.createdAt,
        );
        const add = db.prepare('INSERT INTO queue_members (queue_id, user_id) VALUES (?, ?)');
        for (const userId of queue.memberIds) add.run(queue.id, userId);
      });
    },
    async ofMember(userId) {
      return db
        .prepare('SELECT queue_id FROM queue_members WHERE user_id = ?')
        .all(userId)
        .map((r) => (r as { queue_id: string }).queue_id);
    },
  };
}

export function sqliteDeviceStore(db: Db): DeviceStore {
  return {
    async list(orgId) {
      return (
        db.prepare('SELECT * FROM agent_devices WHERE org_id = ? ORDER BY name').all(orgId) as DeviceRow[]
      ).map(toDevice);
    },
    async get(orgId, id) {
      const row = db.prepare('SELECT * FROM agent_devices WHERE org_id = ? AND id = ?').get(orgId, id) as
        DeviceRow | undefined;
      return row ? toDevice(row) : null;
    },
    async register(orgId, d) {
      db.prepare(
        'INSERT INTO agent_devices (id, org_id, user_id, name, platform, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(d.id, orgId, d.userId, d.name, d.platform, d.createdAt, d.lastSeenAt);
    },
    async ofUser(userId) {
      return db
        .prepare('SELECT id FROM agent_devices WHERE user_id = ?')
        .all(userId)
        .map((r) => (r as { id: string }).id);
    },
  };
}
