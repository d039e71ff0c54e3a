import { createHash } from 'node:crypto';

/**
 * The names a custom client is built under, derived from the organisation's
 * name, which its admins typed and which may hold anything: `../../x`, markup,
 * right-to-left overrides, 200 characters of CJK. Each name is built from an
 * allowlist, never by removing what looks dangerous, because it ends up in
 * file and directory names (the installer, the install folder, the macOS
 * bundle), in a reverse-DNS id and in shell lines the packager prints.
 */

/** Characters of the organisation's part of the product name (code points). */
const MAX_PRODUCT_NAME = 40;
const MAX_SLUG = 40;
const DEFAULT_PRODUCT_NAME = 'Beckon Assist';

/**
 * "<Org> Assist": letters, marks and digits of any script, spaces, hyphens and
 * underscores; everything else becomes a space (so `a/b` stays two words).
 * Dots are out too: no `..`, no hidden file, no trailing dot Windows drops.
 * The " Assist" suffix also keeps it clear of Windows' reserved names (CON, NUL…).
 */
export function productName(orgName: string): string {
  const kept = orgName
    .normalize('NFC')
    .replace(/[^\p{L}\p{M}\p{N} _-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[\p{M}_-]+/u, '');
  const short = Array.from(kept).slice(0, MAX_PRODUCT_NAME).join('').trim();
  return short ? `${short} Assist` : DEFAULT_PRODUCT_NAME;
}

/**
 * Lower-case ASCII letters, digits and single hyphens, for file names and the
 * app id (accents folded: "Müller" → "muller"). A name with no ASCII letters
 * or digits at all (e.g. Japanese) gets a stable one from its hash instead.
 */
export function orgSlug(orgName: string): string {
  const ascii = orgName
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/, '');
  if (ascii) return ascii;
  return `org-${createHash('sha256').update(orgName.normalize('NFC')).digest('hex').slice(0, 10)}`;
}

/** Reverse-DNS, one segment per organisation: macOS bundle id, Windows AppUserModelID, NSIS GUID seed. */
export function appId(slug: string): string {
  return `org.beckon.assist.${slug.replace(/-/g, '')}`;
}

/** electron-builder file name templates (`${version}`, `${ext}` are its macros). */
export function artifactNames(slug: string): { installer: string; portable: string } {
  return {
    installer: `${slug}-assist-\${version}.\${ext}`,
    portable: `${slug}-assist-\${version}-portable.\${ext}`,
  };
}

/** A template with the macros filled in, for what the packager prints. */
export function expandArtifactName(template: string, version: string, ext: string): string {
  return template.replace('${version}', version).replace('${ext}', ext);
}
