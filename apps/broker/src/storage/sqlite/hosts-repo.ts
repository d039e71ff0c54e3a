import type { HostRights } from '@beckon/protocol';
import { immediate, type Db } from './database.ts';
import type { HostStore } from '../host-types.ts';
import { toGroup, toHost, toRights, type GroupRow, type HostRow, type RightsRow } from '../host-rows.ts';

/** LIKE with the user's text taken literally. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function sqliteHostStore(db: Db): HostStore {
  const addCode = db.prepare(
    `INSERT INTO host_enrolment_codes (code_hash, org_id, group_id, created_by, created_at, expires_at)
     VALUES (@codeHash, @orgId, @groupId, @createdBy, @createdAt, @expiresAt)`,
  );
  const takeCode = db.prepare(
    'DELETE FROM host_enrolment_codes WHERE code_hash = ? AND expires_at > ? RETURNING org_id, group_id',
  );
  const keyInUse = db.prepare('SELECT 1 FROM managed_hosts WHERE public_key = ?');
  const insert = db.prepare(
    `INSERT INTO managed_hosts (id, org_id, name, group_id, tags, public_key, presence, enrolled_at)
     VALUES (@id, @orgId, @name, @groupId, '[]', @publicKey, @presence, @enrolledAt)`,
  );
  const byId = db.prepare('SELECT * FROM managed_hosts WHERE id = ?');
  const update = db.prepare(
    `UPDATE managed_hosts SET name = coalesce(@name, name), tags = coalesce(@tags, tags),
       group_id = CASE WHEN @setGroup THEN @groupId ELSE group_id END
     WHERE id = @id AND org_id = @orgId RETURNING *`,
  );
  const del = db.prepare('DELETE FROM managed_hosts WHERE id = ? AND org_id = ?');
  const rotate = db.prepare('UPDATE managed_hosts SET public_key = ? WHERE id = ? AND public_key = ?');
  const touch = db.prepare(
    'UPDATE managed_hosts SET last_seen_at = @lastSeenAt, presence = coalesce(@presence, presence) WHERE id = @id',
  );
  const createGroup = db.prepare(
    `INSERT INTO host_groups (id, org_id, name, created_at) VALUES (@id, @orgId, @name, @createdAt)
     ON CONFLICT (org_id, name) DO NOTHING`,
  );
  const groups = db.prepare('SELECT * FROM host_groups WHERE org_id = ? ORDER BY name');
  const group = db.prepare('SELECT * FROM host_groups WHERE org_id = ? AND id = ?');
  const setRights = db.prepare(
    `INSERT INTO host_group_rights (group_id, user_id, may_connect, may_control, may_files, may_system_info,
       may_unattended)
     VALUES (@groupId, @userId, @connect, @control, @files, @systemInfo, @unattended)
     ON CONFLICT (group_id, user_id) DO UPDATE SET may_connect = excluded.may_connect,
       may_control = excluded.may_control, may_files = excluded.may_files, may_system_info = excluded.may_system_info,
       may_unattended = excluded.may_unattended`,
  );
  const groupRights = db.prepare(
    `SELECT user_id, may_connect, may_control, may_files, may_system_info, may_unattended FROM host_group_rights
     WHERE group_id = ? ORDER BY user_id`,
  );
  const rights = db.prepare(
    `SELECT may_connect, may_control, may_files, may_system_info, may_unattended FROM host_group_rights
     WHERE group_id = ? AND user_id = ?`,
  );

  return {
    async addEnrolmentCode(code) {
      addCode.run(code);
    },
    async enrol(codeHash, now, host) {
      return immediate(db, () => {
        // The key is checked before the code is used, so a refusal changes nothing.
        if (keyInUse.get(host.publicKey)) return { ok: false, reason: 'key_in_use' } as const;
        const code = takeCode.get(codeHash, now) as { org_id: string; group_id: string | null } | undefined;
        if (!code) return { ok: false, reason: 'invalid_code' } as const;
        insert.run({
          ...host,
          orgId: code.org_id,
          groupId: code.group_id,
          presence: host.presence ? JSON.stringify(host.presence) : null,
        });
        return { ok: true, host: toHost(byId.get(host.id) as HostRow) } as const;
      });
    },
    async byId(id) {
      const row = byId.get(id) as HostRow | undefined;
      return row ? toHost(row) : null;
    },
    async list(f) {
      const where = ['org_id = @orgId'];
      const params: Record<string, unknown> = { orgId: f.orgId, limit: f.limit };
      if (f.q) {
        where.push(`(name LIKE @q ESCAPE '\\' OR json_extract(presence, '$.hostname') LIKE @q ESCAPE '\\')`);
        params.q = likePattern(f.q);
      }
      if (f.group === 'none') where.push('group_id IS NULL');
      else if (f.group) {
        where.push('group_id = @group');
        params.group = f.group;
      }
      if (f.tag) {
        where.push('EXISTS (SELECT 1 FROM json_each(tags) WHERE value = @tag)');
        params.tag = f.tag;
      }
      if (f.after) {
        where.push('(name, id) > (@afterName, @afterId)');
        params.afterName = f.after.name;
        params.afterId = f.after.id;
      }
      const rows = db
        .prepare(`SELECT * FROM managed_hosts WHERE ${where.join(' AND ')} ORDER BY name, id LIMIT @limit`)
        .all(params) as HostRow[];
      return rows.map(toHost);
    },
    async update(orgId, id, patch) {
      const row = update.get({
        orgId,
        id,
        name: patch.name ?? null,
        tags: patch.tags ? JSON.stringify(patch.tags) : null,
        setGroup: patch.groupId !== undefined ? 1 : 0,
        groupId: patch.groupId ?? null,
      }) as HostRow | undefined;
      return row ? toHost(row) : null;
    },
    async delete(orgId, id) {
      return del.run(id, orgId).changes > 0;
    },
    async rotateKey(id, oldKey, newKey) {
      return immediate(db, () => {
        if (keyInUse.get(newKey)) return false;
        return rotate.run(newKey, id, oldKey).changes > 0;
      });
    },
    async touchMany(entries) {
      if (entries.length === 0) return;
      immediate(db, () => {
        for (const e of entries)
          touch.run({
            id: e.id,
            lastSeenAt: e.lastSeenAt,
            presence: e.presence ? JSON.stringify(e.presence) : null,
          });
      });
    },
    async createGroup(g) {
      return createGroup.run(g).changes > 0;
    },
    async groups(orgId) {
      return (groups.all(orgId) as GroupRow[]).map(toGroup);
    },
    async group(orgId, id) {
      const row = group.get(orgId, id) as GroupRow | undefined;
      return row ? toGroup(row) : null;
    },
    async setRights(groupId, userId, r) {
      setRights.run({
        groupId,
        userId,
        connect: r.connect ? 1 : 0,
        control: r.control ? 1 : 0,
        files: r.files ? 1 : 0,
        systemInfo: r.systemInfo ? 1 : 0,
        unattended: r.unattended ? 1 : 0,
      });
    },
    async rights(groupId, userId): Promise<HostRights | null> {
      const row = rights.get(groupId, userId) as RightsRow | undefined;
      return row ? toRights(row) : null;
    },
    async groupRights(groupId) {
      return (groupRights.all(groupId) as (RightsRow & { user_id: string })[]).map((r) => ({
        userId: r.user_id,
        rights: toRights(r),
      }));
    },
  };
}
