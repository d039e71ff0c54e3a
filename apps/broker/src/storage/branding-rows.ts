import type { LogoType } from '@beckon/protocol';
import type { BrandingRecord, StoredLogo } from './branding-types.ts';

// The branding row as both backends read it, without the logo's bytes (the
// same columns), and the record it makes: one mapping, no SQL.

export interface BrandingRow {
  org_id: string;
  display_name: string | null;
  color: string;
  message: string | null;
  logo_type: LogoType | null;
  logo_sha256: string | null;
  updated_at: string;
  updated_by: string | null;
}

export const toBranding = (r: BrandingRow): BrandingRecord => ({
  orgId: r.org_id,
  displayName: r.display_name,
  color: r.color,
  message: r.message,
  logoType: r.logo_type,
  logoSha256: r.logo_sha256,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

/** A logo as it is served: its bytes, read only there. */
export interface LogoRow {
  logo: Buffer;
  logo_type: LogoType;
}

export const toLogo = (r: LogoRow): StoredLogo => ({ type: r.logo_type, bytes: r.logo });
