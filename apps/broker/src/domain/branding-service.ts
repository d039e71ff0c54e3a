import {
  AuditAction,
  BrandingUpdateSchema,
  DEFAULT_BRAND_COLOR,
  ErrorCode,
  LOGO_MAX_BYTES,
  LogoUploadSchema,
  logoPath,
  type Branding,
  type LogoType,
} from '@beckon/protocol';
import { createHash } from 'node:crypto';
import type { StoredLogo } from '../storage/branding-types.ts';
import type { Storage } from '../storage/types.ts';
import { ApiError, parseOrThrow } from './api-error.ts';
import { requireAdmin, type AuthContext } from './auth.ts';
import { userDraft } from './audit-rules.ts';

/** The first bytes each accepted image format starts with. */
const SIGNATURES: Record<LogoType, (b: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/webp': (b) =>
    b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

/**
 * Branding (SC9): what the landing page and the assist client show of the
 * organisation. Admins change it; everyone else only reads what pages show.
 * A logo is accepted only if its bytes are the image type it claims to be,
 * so it is never served as anything a browser would run.
 */
export class BrandingService {
  private readonly storage: Storage;
  private readonly now: () => Date;
  constructor(storage: Storage, now: () => Date = () => new Date()) {
    this.storage = storage;
    this.now = now;
  }

  /** The organisation's branding, with defaults where nothing was set. */
  async forOrg(orgId: string): Promise<Branding> {
    const [org, record] = await Promise.all([this.storage.orgs.get(orgId), this.storage.branding.get(orgId)]);
    const orgName = org?.name ?? '';
    return {
      orgName: record?.displayName || orgName,
      organisation: orgName,
      displayName: record?.displayName ?? null,
      color: record?.color ?? DEFAULT_BRAND_COLOR,
      message: record?.message ?? null,
      logoUrl: record?.logoSha256 ? logoPath(record.logoSha256) : null,
      updatedAt: record?.updatedAt ?? null,
    };
  }

  private draft(auth: AuthContext, details: Record<string, unknown>) {
    return userDraft(
      auth,
      AuditAction.BRANDING_CHANGED,
      { type: 'branding', id: auth.user.orgId },
      details,
      this.now(),
    );
  }

  async get(ctx: AuthContext | null): Promise<Branding> {
    return this.forOrg(requireAdmin(ctx).user.orgId);
  }

  async update(ctx: AuthContext | null, input: unknown): Promise<Branding> {
    const auth = requireAdmin(ctx);
    const body = parseOrThrow(BrandingUpdateSchema, input);
    await this.storage.branding.put(
      auth.user.orgId,
      { displayName: body.displayName, color: body.color, message: body.message || null },
      this.meta(auth),
      [this.draft(auth, { displayName: body.displayName, color: body.color, message: body.message || null })],
    );
    return this.forOrg(auth.user.orgId);
  }

  async setLogo(ctx: AuthContext | null, input: unknown): Promise<Branding> {
    const auth = requireAdmin(ctx);
    const body = parseOrThrow(LogoUploadSchema, input);
    const bytes = Buffer.from(body.data, 'base64');
    if (bytes.length === 0 || bytes.length > LOGO_MAX_BYTES)
      throw new ApiError(
        413,
        ErrorCode.PAYLOAD_TOO_LARGE,
        `a logo must be 1 byte to ${LOGO_MAX_BYTES / 1024} KiB`,
        {
          issues: [{ path: 'data', message: 'size out of range' }],
        },
      );
    if (!SIGNATURES[body.contentType](bytes))
      throw new ApiError(400, ErrorCode.VALIDATION_FAILED, `the file is not a ${body.contentType} image`, {
        issues: [{ path: 'data', message: `not a ${body.contentType} image` }],
      });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await this.storage.branding.setLogo(
      auth.user.orgId,
      { type: body.contentType, bytes, sha256 },
      this.meta(auth),
      [this.draft(auth, { logo: { type: body.contentType, sha256 } })],
    );
    return this.forOrg(auth.user.orgId);
  }

  async deleteLogo(ctx: AuthContext | null): Promise<Branding> {
    const auth = requireAdmin(ctx);
    await this.storage.branding.setLogo(auth.user.orgId, null, this.meta(auth), [
      this.draft(auth, { logo: null }),
    ]);
    return this.forOrg(auth.user.orgId);
  }

  /** A logo by the hash in its URL; null for anything that is not one. */
  async logo(sha256: string): Promise<StoredLogo | null> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
    return this.storage.branding.logo(sha256);
  }

  private meta(auth: AuthContext) {
    return { at: this.now().toISOString(), by: auth.user.id, defaultColor: DEFAULT_BRAND_COLOR };
  }
}
