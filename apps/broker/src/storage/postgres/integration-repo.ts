import type { NotificationSettings } from '@beckon/protocol';
import type { ApiTokenStore, MailTemplateStore, NotificationSettingsStore } from '../helpdesk-types.ts';
import {
  toSettings,
  toTemplate,
  toToken,
  type SettingsRow,
  type TemplateRow,
  type TokenRow,
} from '../integration-rows.ts';
import { appendAudit, auditedWriter } from './audit-repo.ts';
import type { PgDb, Sql } from './pool.ts';

/** Open cases a token created: live status and not past expiry (an expired case frees its ticket). */
const openCases = async (sql: Sql, tokenId: string, now: string) =>
  (
    await sql.rows<{ id: string }>(
      `SELECT id FROM session_requests
       WHERE api_token_id = $1 AND status NOT IN ('closed', 'expired') AND expires_at > $2`,
      [tokenId, now],
    )
  ).map((r) => r.id);

export function pgApiTokenStore(db: PgDb): ApiTokenStore {
  const withCount = async (r: TokenRow, now: string) => ({
    ...toToken(r),
    activeCases: (await openCases(db, r.id, now)).length,
  });
  const audited = auditedWriter(db);
  return {
    async create(t, audit) {
      await audited(audit, (sql) =>
        sql.run(
          `INSERT INTO api_tokens (id, org_id, name, token_hash, prefix, scopes, created_at, created_by_id, created_by_name)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            t.id,
            t.orgId,
            t.name,
            t.tokenHash,
            t.prefix,
            JSON.stringify(t.scopes),
            t.createdAt,
            t.createdBy.id,
            t.createdBy.name,
          ],
        ),
      );
    },
    async byHash(tokenHash) {
      const row = await db.one<TokenRow>('SELECT * FROM api_tokens WHERE token_hash = $1', [tokenHash]);
      return row ? toToken(row) : null;
    },
    async list(orgId, now) {
      const rows = await db.rows<TokenRow>(
        'SELECT * FROM api_tokens WHERE org_id = $1 ORDER BY created_at DESC, id',
        [orgId],
      );
      return Promise.all(rows.map((r) => withCount(r, now)));
    },
    async get(orgId, id, now) {
      const row = await db.one<TokenRow>('SELECT * FROM api_tokens WHERE org_id = $1 AND id = $2', [
        orgId,
        id,
      ]);
      return row ? withCount(row, now) : null;
    },
    async revoke(orgId, id, at, force, audit) {
      return db.tx(async (tx) => {
        // The row lock keeps a case created with this token from slipping in between the check and the revocation.
        const row = await tx.one<TokenRow>(
          'SELECT * FROM api_tokens WHERE org_id = $1 AND id = $2 FOR UPDATE',
          [orgId, id],
        );
        if (!row) return null;
        const open = await openCases(tx, id, at);
        if (open.length > 0 && !force) return { revoked: false, openCaseIds: open };
        const changed = await tx.run(
          'UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL',
          [at, id],
        );
        // Revoking an already revoked token is no new act.
        if (changed > 0 && audit) await appendAudit(tx, audit);
        return { revoked: true, openCaseIds: open };
      });
    },
    async touch(id, at, entries) {
      if (!entries) {
        await db.run('UPDATE api_tokens SET last_used_at = $1 WHERE id = $2', [at, id]);
        return;
      }
      await db.tx(async (tx) => {
        // FOR UPDATE: two uses at once take turns, so only the first of a day sees the day's first use.
        const before = await tx.one<{ last_used_at: string | null }>(
          'SELECT last_used_at FROM api_tokens WHERE id = $1 FOR UPDATE',
          [id],
        );
        await tx.run('UPDATE api_tokens SET last_used_at = $1 WHERE id = $2', [at, id]);
        await appendAudit(tx, entries(before?.last_used_at ?? null));
      });
    },
  };
}

export function pgMailTemplateStore(db: PgDb): MailTemplateStore {
  const audited = auditedWriter(db);
  return {
    async list(orgId) {
      const rows = await db.rows<TemplateRow>(
        'SELECT * FROM mail_templates WHERE org_id = $1 ORDER BY kind COLLATE "C", language COLLATE "C"',
        [orgId],
      );
      return rows.map(toTemplate);
    },
    async get(orgId, kind, language) {
      const row = await db.one<TemplateRow>(
        'SELECT * FROM mail_templates WHERE org_id = $1 AND kind = $2 AND language = $3',
        [orgId, kind, language],
      );
      return row ? toTemplate(row) : null;
    },
    async put(orgId, t, by, audit) {
      await audited(audit, (sql) =>
        sql.run(
          `INSERT INTO mail_templates (org_id, kind, language, subject, body, updated_at, updated_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (org_id, kind, language) DO UPDATE SET
             subject = excluded.subject, body = excluded.body, updated_at = excluded.updated_at,
             updated_by = excluded.updated_by`,
          [orgId, t.kind, t.language, t.subject, t.body, t.updatedAt, by],
        ),
      );
    },
    async remove(orgId, kind, language, audit) {
      return audited(
        audit,
        async (sql) =>
          (await sql.run('DELETE FROM mail_templates WHERE org_id = $1 AND kind = $2 AND language = $3', [
            orgId,
            kind,
            language,
          ])) > 0,
      );
    },
  };
}

export function pgNotificationSettingsStore(db: PgDb): NotificationSettingsStore {
  return {
    async get(userId) {
      const row = await db.one<SettingsRow>('SELECT * FROM notification_settings WHERE user_id = $1', [
        userId,
      ]);
      return row ? toSettings(row) : null;
    },
    async put(userId, s, at) {
      await db.run(
        `INSERT INTO notification_settings (user_id, desktop, email, share_queue_ids, language, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (user_id) DO UPDATE SET desktop = excluded.desktop, email = excluded.email,
           share_queue_ids = excluded.share_queue_ids, language = excluded.language, updated_at = excluded.updated_at`,
        [userId, s.desktop, s.email, JSON.stringify(s.shareWithQueueIds), s.language, at],
      );
    },
    async ofUsers(userIds) {
      const out = new Map<string, NotificationSettings>();
      if (userIds.length === 0) return out;
      const rows = await db.rows<SettingsRow>('SELECT * FROM notification_settings WHERE user_id = ANY($1)', [
        userIds,
      ]);
      for (const r of rows) out.set(r.user_id, toSettings(r));
      return out;
    },
  };
}
