import type { AuditDraft } from './audit-types.ts';
import type { LogoType } from '@beckon/protocol';

/** The branding part of the Storage interface (see types.ts): each method one transaction. */

export interface BrandingRecord {
  orgId: string;
  displayName: string | null;
  color: string;
  message: string | null;
  logoType: LogoType | null;
  logoSha256: string | null;
  updatedAt: string;
  updatedBy: string | null;
}

export interface StoredLogo {
  type: LogoType;
  bytes: Buffer;
}

export interface BrandingStore {
  /** The organisation's branding, or null while nobody has set any. */
  get(orgId: string): Promise<BrandingRecord | null>;
  /** Writes name, colour and message; keeps the logo. */
  put(
    orgId: string,
    fields: Pick<BrandingRecord, 'displayName' | 'color' | 'message'>,
    meta: { at: string; by: string; defaultColor: string },
    audit?: readonly AuditDraft[],
  ): Promise<void>;
  /** Sets or (with null) removes the logo; keeps the rest. */
  setLogo(
    orgId: string,
    logo: (StoredLogo & { sha256: string }) | null,
    meta: { at: string; by: string; defaultColor: string },
    audit?: readonly AuditDraft[],
  ): Promise<void>;
  /** A logo by its hash, whichever organisation uses it. */
  logo(sha256: string): Promise<StoredLogo | null>;
}
