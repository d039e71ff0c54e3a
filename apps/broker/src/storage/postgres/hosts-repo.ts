import type { HostRights } from '@beckon/protocol';
import type { HostStore } from '../host-types.ts';
import { toGroup, toHost, toRights, type GroupRow, type HostRow, type RightsRow } from '../host-rows.ts';
import { isUniqueViolation, type PgDb } from './pool.ts';

/** LIKE with the user's text taken literally (ILIKE: SQLite's LIKE ignores ASCII case). */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A key another host holds: the same refusal whether a read saw it or the unique index caught a race. */
class KeyInUse extends Error {}

export function pgHostStore(db: PgDb): HostStore {
  return {
    async addEnrolmentCode(c) {
      await db.run(
        `INSERT INTO host_enrolment_codes (code_hash, org_id, group_id, created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [c.codeHash, c.orgId, c.groupId, c.createdBy, c.createdAt, c.expiresAt],
      );
    },
    async enrol(codeHash, now, host) {
      try {
        return await db.tx(async (tx) => {
          // The key is checked before the code is used, so a refusal changes nothing.
          if (await tx.one('SELECT 1 FROM managed_hosts WHERE public_key = $1', [host.publicKey]))
            throw new KeyInUse();
          const code = await tx.one<{ org_id: string; group_id: string | null }>(
            'DELETE FROM host_enrolment_codes WHERE code_hash = $1 AND expires_at > $2 RETURNING org_id, group_id',
            [codeHash, now],
          );
          if (!code) return { ok: false, reason: 'invalid_code' } as const;
          const row = await tx.one<HostRow>(
            `INSERT INTO managed_hosts (id, org_id, name, group_id, tags, public_key, presence, enrolled_at)
             VALUES ($1, $2, $3, $4, '[]', $5, $6, $7) RETURNING *`,
            [
              host.id,
              code.org_id,
              host.name,
              code.group_id,
              host.publicKey,
              host.presence ? JSON.stringify(host.presence) : null,
              host.enrolledAt,
            ],
          );
          return { ok: true, host: toHost(row!) } as const;
        });
      } catch (error) {
        // Rolled back: the code is unused again.
        if (error instanceof KeyInUse || isUniqueViolation(error))
          return { ok: false, reason: 'key_in_use' } as const;
        throw error;
      }
    },
    async byId(id) {
      const row = await db.one<HostRow>('SELECT * FROM managed_hosts WHERE id = $1', [id]);
      return row ? toHost(row) : null;
    },
    async list(f) {
      const where = ['org_id = $1'];
      const params: unknown[] = [f.orgId];
      const param = (value: unknown) => {
        params.push(value);
        return `$${params.length}`;
      };
      if (f.q) {
        const q = param(likePattern(f.q));
        where.push(
          `(name ILIKE ${q} ESCAPE '\\' OR (presence::jsonb ->> 'hostname') ILIKE ${q} ESCAPE '\\')`,
        );
      }
      if (f.group === 'none') where.push('group_id IS NULL');
      else if (f.group) where.push(`group_id = ${param(f.group)}`);
      if (f.tag) where.push(`tags::jsonb ? ${param(f.tag)}`);
      if (f.after)
        where.push(`(name, id COLLATE "C") > (${param(f.after.name)}, ${param(f.after.id)} COLLATE "C")`);
      const rows = await db.rows<HostRow>(
        `SELECT * FROM managed_hosts WHERE ${where.join(' AND ')} ORDER BY name, id COLLATE "C" LIMIT ${param(f.limit)}`,
        params,
      );
      return rows.map(toHost);
    },
    async update(orgId, id, patch) {
      const row = await db.one<HostRow>(
        `UPDATE managed_hosts SET name = coalesce($3, name), tags = coalesce($4, tags),
           group_id = CASE WHEN $5 THEN $6 ELSE group_id END
         WHERE id = $1 AND org_id = $2 RETURNING *`,
        [
          id,
          orgId,
          patch.name ?? null,
          patch.tags ? JSON.stringify(patch.tags) : null,
          patch.groupId !== undefined,
          patch.groupId ?? null,
        ],
      );
      return row ? toHost(row) : null;
    },
    async delete(orgId, id) {
      return (await db.run('DELETE FROM managed_hosts WHERE id = $1 AND org_id = $2', [id, orgId])) > 0;
    },
    async rotateKey(id, oldKey, newKey) {
      try {
        return (
          (await db.run('UPDATE managed_hosts SET public_key = $1 WHERE id = $2 AND public_key = $3', [
            newKey,
            id,
            oldKey,
          ])) > 0
        );
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },
    async touchMany(entries) {
      if (entries.length === 0) return;
      // A host named twice: its last entry wins, as when each is written in turn.
      entries = [...new Map(entries.map((e) => [e.id, e])).values()];
      // One statement for the batch: a commit a second however many hosts report.
      await db.run(
        `UPDATE managed_hosts h SET last_seen_at = e.last_seen_at, presence = coalesce(e.presence, h.presence)
         FROM unnest($1::text[], $2::text[], $3::text[]) AS e(id, last_seen_at, presence) WHERE h.id = e.id`,
        [
          entries.map((e) => e.id),
          entries.map((e) => e.lastSeenAt),
          entries.map((e) => (e.presence ? JSON.stringify(e.presence) : null)),
        ],
      );
    },
    async createGroup(g) {
      const n = await db.run(
        `INSERT INTO host_groups (id, org_id, name, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (org_id, name) DO NOTHING`,
        [g.id, g.orgId, g.name, g.createdAt],
      );
      return n > 0;
    },
    async groups(orgId) {
      return (
        await db.rows<GroupRow>('SELECT * FROM host_groups WHERE org_id = $1 ORDER BY name', [orgId])
      ).map(toGroup);
    },
    async group(orgId, id) {
      const row = await db.one<GroupRow>('SELECT * FROM host_groups WHERE org_id = $1 AND id = $2', [
        orgId,
        id,
      ]);
      return row ? toGroup(row) : null;
    },
    async setRights(groupId, userId, r) {
      await db.run(
        `INSERT INTO host_group_rights (group_id, user_id, may_connect, may_control, may_files, may_system_info, may_unattended)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (group_id, user_id) DO UPDATE SET may_connect = excluded.may_connect,
           may_control = excluded.may_control, may_files = excluded.may_files,
           may_system_info = excluded.may_system_info, may_unattended = excluded.may_unattended`,
        [groupId, userId, r.connect, r.control, r.files, r.systemInfo, r.unattended === true],
      );
    },
    async rights(groupId, userId): Promise<HostRights | null> {
      const row = await db.one<RightsRow>(
        `SELECT may_connect, may_control, may_files, may_system_info, may_unattended FROM host_group_rights
         WHERE group_id = $1 AND user_id = $2`,
        [groupId, userId],
      );
      return row ? toRights(row) : null;
    },
    async groupRights(groupId) {
      const rows = await db.rows<RightsRow & { user_id: string }>(
        `SELECT user_id, may_connect, may_control, may_files, may_system_info, may_unattended FROM host_group_rights
         WHERE group_id = $1 ORDER BY user_id COLLATE "C"`,
        [groupId],
      );
      return rows.map((r) => ({ userId: r.user_id, rights: toRights(r) }));
    },
  };
}
