import { LOGO_MAX_BYTES, LogoTypeSchema, type LogoType } from '@beckon/protocol';

/**
 * The organisation's logo as bytes: which raster type the bytes really are,
 * whether they may be baked into a client, and how the windows get them (a
 * data: URL: their CSP allows only 'self' and data: images). Used by the
 * client at start (the baked logo), after joining (the fetched one) and by
 * the packager, so all three refuse the same things.
 */

/** The first bytes each accepted image format starts with (as the broker checks them on upload). */
const SIGNATURES: Record<LogoType, (b: Uint8Array) => boolean> = {
  'image/png': (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (b) => b.length > 3 && startsWith(b, [0xff, 0xd8, 0xff]),
  'image/webp': (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP',
};

/**
 * A packaged client takes PNG and JPEG only: the app icon must be a PNG, and
 * a JPEG still shows in the windows. WebP (which the broker accepts for the
 * landing page) would bake a logo the icon tools cannot use.
 */
export const BAKED_LOGO_TYPES = ['image/png', 'image/jpeg'] as const satisfies readonly LogoType[];
export type BakedLogoType = (typeof BAKED_LOGO_TYPES)[number];

/** The fixed file names a baked logo may have: nothing from outside ever names a file. */
export const BAKED_LOGO_FILES = {
  'image/png': 'logo.png',
  'image/jpeg': 'logo.jpg',
} as const satisfies Record<BakedLogoType, string>;
export type BakedLogoFile = (typeof BAKED_LOGO_FILES)[BakedLogoType];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((v, i) => bytes[i] === v);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return bytes.length >= to ? String.fromCharCode(...bytes.subarray(from, to)) : '';
}

/** The raster type the bytes are, whatever anyone claims; null for anything else (SVG, GIF, HTML…). */
export function sniffLogoType(bytes: Uint8Array): LogoType | null {
  for (const type of LogoTypeSchema.options) if (SIGNATURES[type](bytes)) return type;
  return null;
}

export type LogoCheck<T extends LogoType> = { ok: true; type: T } | { ok: false; message: string };

/**
 * Checks size and type: 1 byte to LOGO_MAX_BYTES, bytes of one of `allowed`,
 * and, when a type was claimed (an HTTP content type), the bytes must be it.
 */
export function checkLogo<T extends LogoType>(
  bytes: Uint8Array,
  allowed: readonly T[],
  claimed?: string | null,
): LogoCheck<T> {
  if (bytes.length === 0) return { ok: false, message: 'the logo is empty' };
  if (bytes.length > LOGO_MAX_BYTES)
    return {
      ok: false,
      message: `the logo is ${bytes.length} bytes; at most ${LOGO_MAX_BYTES} (${LOGO_MAX_BYTES / 1024} KiB) are allowed`,
    };
  const sniffed = sniffLogoType(bytes);
  if (claimed !== undefined) {
    const type = LogoTypeSchema.safeParse(claimed);
    if (!type.success)
      return { ok: false, message: `the logo's type ${JSON.stringify(claimed)} is not an image type` };
    if (sniffed !== type.data)
      return { ok: false, message: `the logo is said to be ${type.data} but its bytes are not` };
  }
  const names = allowed.map((t) => t.replace('image/', '').toUpperCase()).join(' or ');
  if (!sniffed) return { ok: false, message: `the logo is not an image (expected ${names})` };
  if (!(allowed as readonly LogoType[]).includes(sniffed))
    return { ok: false, message: `the logo is ${sniffed}; expected ${names}` };
  return { ok: true, type: sniffed as T };
}

/** The logo as the windows load it. */
export function logoDataUrl(type: LogoType, bytes: Uint8Array): string {
  return `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;
}

/** A PNG's size from its IHDR chunk (which must come first), or null when the bytes are no PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (!SIGNATURES['image/png'](bytes) || bytes.length < 24 || ascii(bytes, 12, 16) !== 'IHDR') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
