import type { Migration } from './migration.ts';

/**
 * Branding per organisation (SC9). One row per organisation, written by
 * admins; the logo's bytes live here too (a few hundred KiB at most) and are
 * served by their hash, so a new logo is a new URL and old ones can be cached.
 */
export const branding: Migration = {
  id: '20261215120000_branding',
  sql: `
CREATE TABLE branding (
  org_id TEXT PRIMARY KEY REFERENCES orgs(id),
  display_name TEXT,
  color TEXT NOT NULL,
  message TEXT,
  logo BLOB,
  logo_type TEXT CHECK (logo_type IN ('image/png', 'image/jpeg', 'image/webp')),
  logo_sha256 TEXT,
  updated_at TEXT NOT NULL,
  updated_by TEXT,
  CHECK ((logo IS NULL) = (logo_type IS NULL) AND (logo IS NULL) = (logo_sha256 IS NULL))
);
CREATE INDEX branding_logo ON branding(logo_sha256) WHERE logo_sha256 IS NOT NULL;
`,
};
