import type { NotificationSettings } from '@beckon/protocol';
import { immediate, type Db } from './database.ts';
import { auditAppender, auditedWriter } from './audit-repo.ts';
import type { ApiTokenStore, MailTemplateStore, NotificationSettingsStore } from '../helpdesk-types.ts';
import {
  toSettings,
  toTemplate,
  toToken,
  type SettingsRow,
  type TemplateRow,
  type TokenRow,
} from '../integration-rows.ts';

/** Open cases a token created: live status and not past expiry (an expired case frees its ticket). */
const OPEN_CASES = `SELECT id FROM session_requests
  WHERE api_token_id = ? AND status NOT IN ('closed', 'expired') AND expires_at > ?`;

export function sqliteApiTokenStore(db: Db): ApiTokenStore {
  const byHash = db.prepare('SELECT * FROM api_tokens WHERE token_hash = ?');
  const openCases = db.prepare(OPEN_CASES).pluck();
  const withCount = (r: TokenRow, now: string) => ({
    ...toToken(r),
    activeCases: (openCases.all(r.id, now) as string[]).length,
  });
  const audited = auditedWriter(db);
  const append = auditAppender(db);
  const lastUsed = db.prepare('SELECT last_used_at FROM api_tokens WHERE id = ?').pluck();
  return {
    async create(t, audit) {
      audited(audit, () =>
        db
          .prepare(
            `INSERT INTO api_tokens (id, org_id, name, token_hash, prefix, scopes, created_at, created_by_id, created_by_name)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            t.id,
            t.orgId,
            t.name,
            t.tokenHash,
            t.prefix,
            JSON.stringify(t.scopes),
            t.createdAt,
            t.createdBy.id,
            t.createdBy.name,
          ),
      );
    },
    async byHash(tokenHash) {
      const row = byHash.get(tokenHash) as TokenRow | undefined;
      return row ? toToken(row) : null;
    },
    async list(orgId, now) {
      const rows = db
        .prepare('SELECT * FROM api_tokens WHERE org_id = ? ORDER BY created_at DESC, id')
        .all(orgId) as TokenRow[];
      return rows.map((r) => withCount(r, now));
    },
    async get(orgId, id, now) {
      const row = db.prepare('SELECT * FROM api_tokens WHERE org_id = ? AND id = ?').get(orgId, id) as
        TokenRow | undefined;
      return row ? withCount(row, now) : null;
    },
    async revoke(orgId, id, at, force, audit) {
      return immediate(db, () => {
        const row = db.prepare('SELECT * FROM api_tokens WHERE org_id = ? AND id = ?').get(orgId, id) as
          TokenRow | undefined;
        if (!row) return null;
        const open = openCases.all(id, at) as string[];
        if (open.length > 0 && !force) return { revoked: false, openCaseIds: open };
        const changed = db
          .prepare(
            'UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND revoked_at IS NULL',
          )
          .run(at, id).changes;
        // Revoking an already revoked token is no new act.
        if (changed > 0 && audit) append(audit);
        return { revoked: true, openCaseIds: open };
      });
    },
    async touch(id, at, entries) {
      immediate(db, () => {
        const before = lastUsed.get(id) as string | null | undefined;
        db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(at, id);
        const drafts = entries?.(before ?? null) ?? [];
        if (drafts.length > 0) append(drafts);
      });
    },
  };
}

export function sqliteMailTemplateStore(db: Db): MailTemplateStore {
  const audited = auditedWriter(db);
  return {
    async list(orgId) {
      const rows = db
        .prepare('SELECT * FROM mail_templates WHERE org_id = ? ORDER BY kind, language')
        .all(orgId) as TemplateRow[];
      return rows.map(toTemplate);
    },
    async get(orgId, kind, language) {
      const row = db
        .prepare('SELECT * FROM mail_templates WHERE org_id = ? AND kind = ? AND language = ?')
        .get(orgId, kind, language) as TemplateRow | undefined;
      return row ? toTemplate(row) : null;
    },
    async put(orgId, t, by, audit) {
      audited(audit, () =>
        db
          .prepare(
            `INSERT INTO mail_templates (org_id, kind, language, subject, body, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (org_id, kind, language) DO UPDATE SET
           subject = excluded.subject, body = excluded.body, updated_at = excluded.updated_at,
           updated_by = excluded.updated_by`,
          )
          .run(orgId, t.kind, t.language, t.subject, t.body, t.updatedAt, by),
      );
    },
    async remove(orgId, kind, language, audit) {
      return audited(
        audit,
        () =>
          db
            .prepare('DELETE FROM mail_templates WHERE org_id = ? AND kind = ? AND language = ?')
            .run(orgId, kind, language).changes > 0,
      );
    },
  };
}

export function sqliteNotificationSettingsStore(db: Db): NotificationSettingsStore {
  return {
    async get(userId) {
      const row = db.prepare('SELECT * FROM notification_settings WHERE user_id = ?').get(userId) as
        SettingsRow | undefined;
      return row ? toSettings(row) : null;
    },
    async put(userId, s, at) {
      db.prepare(
        `INSERT INTO notification_settings (user_id, desktop, email, share_queue_ids, language, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET desktop = excluded.desktop, email = excluded.email,
           share_queue_ids = excluded.share_queue_ids, language = excluded.language, updated_at = excluded.updated_at`,
      ).run(userId, s.desktop ? 1 : 0, s.email ? 1 : 0, JSON.stringify(s.shareWithQueueIds), s.language, at);
    },
    async ofUsers(userIds) {
      const out = new Map<string, NotificationSettings>();
      if (userIds.length === 0) return out;
      const rows = db
        .prepare(
          `SELECT * FROM notification_settings WHERE user_id IN (${userIds.map(() => '?').join(', ')})`,
        )
        .all(...userIds) as SettingsRow[];
      for (const r of rows) out.set(r.user_id, toSettings(r));
      return out;
    },
  };
}
