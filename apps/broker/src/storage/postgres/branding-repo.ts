import type { BrandingStore } from '../branding-types.ts';
import { toBranding, toLogo, type BrandingRow, type LogoRow } from '../branding-rows.ts';
import { auditedWriter } from './audit-repo.ts';
import type { PgDb } from './pool.ts';

export function pgBrandingStore(db: PgDb): BrandingStore {
  const audited = auditedWriter(db);
  return {
    async get(orgId) {
      // The logo's bytes are read only where they are served, never with the rest.
      const row = await db.one<BrandingRow>(
        `SELECT org_id, display_name, color, message, logo_type, logo_sha256, updated_at, updated_by
         FROM branding WHERE org_id = $1`,
        [orgId],
      );
      return row ? toBranding(row) : null;
    },
    async put(orgId, fields, meta, audit) {
      await audited(audit, (sql) =>
        sql.run(
          `INSERT INTO branding (org_id, display_name, color, message, updated_at, updated_by)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (org_id) DO UPDATE SET display_name = excluded.display_name, color = excluded.color,
             message = excluded.message, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
          [orgId, fields.displayName, fields.color, fields.message, meta.at, meta.by],
        ),
      );
    },
    async setLogo(orgId, value, meta, audit) {
      await audited(audit, (sql) =>
        sql.run(
          `INSERT INTO branding (org_id, color, logo, logo_type, logo_sha256, updated_at, updated_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (org_id) DO UPDATE SET logo = excluded.logo, logo_type = excluded.logo_type,
             logo_sha256 = excluded.logo_sha256, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
          [
            orgId,
            meta.defaultColor,
            value?.bytes ?? null,
            value?.type ?? null,
            value?.sha256 ?? null,
            meta.at,
            meta.by,
          ],
        ),
      );
    },
    async logo(sha256) {
      const row = await db.one<LogoRow>(
        'SELECT logo, logo_type FROM branding WHERE logo_sha256 = $1 LIMIT 1',
        [sha256],
      );
      return row ? toLogo(row) : null;
    },
  };
}
