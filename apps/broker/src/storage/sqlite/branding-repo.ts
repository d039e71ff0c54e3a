import { auditedWriter } from './audit-repo.ts';
import type { Db } from './database.ts';
import type { BrandingStore } from '../branding-types.ts';
import { toBranding, toLogo, type BrandingRow, type LogoRow } from '../branding-rows.ts';

export function sqliteBrandingStore(db: Db): BrandingStore {
  // The logo's bytes are read only where they are served, never with the rest.
  const get = db.prepare(
    `SELECT org_id, display_name, color, message, logo_type, logo_sha256, updated_at, updated_by
     FROM branding WHERE org_id = ?`,
  );
  const put = db.prepare(
    `INSERT INTO branding (org_id, display_name, color, message, updated_at, updated_by)
     VALUES (@orgId, @displayName, @color, @message, @at, @by)
     ON CONFLICT (org_id) DO UPDATE SET display_name = excluded.display_name, color = excluded.color,
       message = excluded.message, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  );
  const setLogo = db.prepare(
    `INSERT INTO branding (org_id, color, logo, logo_type, logo_sha256, updated_at, updated_by)
     VALUES (@orgId, @defaultColor, @bytes, @type, @sha256, @at, @by)
     ON CONFLICT (org_id) DO UPDATE SET logo = excluded.logo, logo_type = excluded.logo_type,
       logo_sha256 = excluded.logo_sha256, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  );
  const logo = db.prepare('SELECT logo, logo_type FROM branding WHERE logo_sha256 = ? LIMIT 1');
  const audited = auditedWriter(db);
  return {
    async get(orgId) {
      const row = get.get(orgId) as BrandingRow | undefined;
      return row ? toBranding(row) : null;
    },
    async put(orgId, fields, meta, audit) {
      audited(audit, () => put.run({ orgId, ...fields, at: meta.at, by: meta.by }));
    },
    async setLogo(orgId, value, meta, audit) {
      audited(audit, () =>
        setLogo.run({
          orgId,
          defaultColor: meta.defaultColor,
          bytes: value?.bytes ?? null,
          type: value?.type ?? null,
          sha256: value?.sha256 ?? null,
          at: meta.at,
          by: meta.by,
        }),
      );
    },
    async logo(sha256) {
      const row = logo.get(sha256) as LogoRow | undefined;
      return row ? toLogo(row) : null;
    },
  };
}
