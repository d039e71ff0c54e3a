import { z } from 'zod';
import { TimestampSchema, multiLine, singleLine } from './common.ts';

/**
 * An organisation's branding (SC9): shown on the customer landing page and in
 * the assist client. Admins edit it through `/api/v1/admin/branding`; the
 * logo is uploaded on its own and served by its hash.
 */

/** `#rrggbb` only: the colour lands in CSS, so nothing but six hex digits may pass. */
export const BrandColorSchema = z
  .string()
  .max(7)
  .regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour like #1f6feb')
  .transform((c) => c.toLowerCase());

export const DEFAULT_BRAND_COLOR = '#1f6feb';

/**
 * Raster formats only: an SVG can carry script and external references, and a
 * logo needs neither. The broker checks the bytes match the type it is told.
 */
export const LogoTypeSchema = z.enum(['image/png', 'image/jpeg', 'image/webp']);
export type LogoType = z.infer<typeof LogoTypeSchema>;
export const LOGO_MAX_BYTES = 256 * 1024;

export const BrandingSchema = z.strictObject({
  /** What the pages call the organisation: the display name if set, else the organisation's name. */
  orgName: z.string(),
  /** The organisation's own name (what `orgName` falls back to). */
  organisation: z.string(),
  /** The admin's display name, or null to use the organisation's name. */
  displayName: z.string().nullable(),
  color: z.string().regex(/^#[0-9a-f]{6}$/),
  message: z.string().nullable(),
  /** Path of the logo on the broker (`/branding/logo/<sha256>`), or null without one. */
  logoUrl: z.string().nullable(),
  updatedAt: TimestampSchema.nullable(),
});
export type Branding = z.infer<typeof BrandingSchema>;

/** `PUT /api/v1/admin/branding`. */
export const BrandingUpdateSchema = z.strictObject({
  displayName: singleLine(200).nullable(),
  color: BrandColorSchema,
  message: multiLine(1000)
    .transform((m) => m.trim())
    .nullable(),
});
export type BrandingUpdate = z.input<typeof BrandingUpdateSchema>;

/** `PUT /api/v1/admin/branding/logo`: the image as base64 in JSON, so it is parsed like any other body. */
export const LogoUploadSchema = z.strictObject({
  contentType: LogoTypeSchema,
  data: z
    .string()
    .max(Math.ceil(LOGO_MAX_BYTES / 3) * 4)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64'),
});
export type LogoUpload = z.infer<typeof LogoUploadSchema>;

/** The path the broker serves a logo under: content-addressed, so it can be cached for good. */
export function logoPath(sha256: string): string {
  return `/branding/logo/${sha256}`;
}
