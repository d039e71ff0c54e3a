import { utf8Length } from '@beckon/protocol';
import { INVISIBLE } from './visible-text.ts';

/**
 * File names arrive from the remote peer: a receiver must never let one pick
 * a directory, overwrite something, hide itself or spoof its extension.
 */

/** Bytes, below the 255 most file systems allow, leaving room for " (123)". */
const MAX_NAME_BYTES = 200;
const MAX_EXTENSION_CHARS = 16;
const FALLBACK = 'file';

/** Characters Windows refuses in a name; `/` and `\` are handled before. */
const WINDOWS_FORBIDDEN = /[<>:"|?*]/g;
/** Device names Windows reserves in any directory, with any extension. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;

/**
 * A name safe to create in the download folder: the last path component only
 * ("../../etc/passwd" → "passwd", "C:\\x\\y.txt" → "y.txt"), no control or
 * bidi characters, no characters Windows forbids, no leading dots (hidden
 * files, "..") or trailing dots and spaces, no reserved device names, and at
 * most 200 UTF-8 bytes with the extension kept.
 */
export function sanitizeFileName(name: string): string {
  let base = name.normalize('NFC').replace(INVISIBLE, '');
  base = base.split(/[/\\]/).pop() ?? '';
  base = base.replace(WINDOWS_FORBIDDEN, '_');
  base = base.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
  if (WINDOWS_RESERVED.test(base)) base = `_${base}`;
  base = truncateKeepingExtension(base, MAX_NAME_BYTES);
  return base === '' ? FALLBACK : base;
}

/**
 * `name`, or "name (1).ext", "name (2).ext"… if it is taken. Compared case
 * insensitively because Windows and macOS folders are: "A.txt" would
 * overwrite "a.txt" there.
 */
export function uniqueName(existing: Iterable<string>, name: string): string {
  const taken = new Set<string>();
  for (const n of existing) taken.add(n.toLowerCase());
  if (!taken.has(name.toLowerCase())) return name;
  const { stem, extension } = splitExtension(name);
  for (let i = 1; ; i++) {
    const suffix = ` (${i})`;
    const shortened = truncateUtf8(stem, MAX_NAME_BYTES - utf8Length(suffix + extension));
    const candidate = `${shortened}${suffix}${extension}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

function splitExtension(name: string): { stem: string; extension: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || name.length - dot > MAX_EXTENSION_CHARS + 1) return { stem: name, extension: '' };
  return { stem: name.slice(0, dot), extension: name.slice(dot) };
}

function truncateKeepingExtension(name: string, maxBytes: number): string {
  if (utf8Length(name) <= maxBytes) return name;
  const { stem, extension } = splitExtension(name);
  const kept = truncateUtf8(stem, maxBytes - utf8Length(extension)).replace(/[\s.]+$/, '');
  return kept === '' ? truncateUtf8(name, maxBytes) : `${kept}${extension}`;
}

/** The longest prefix within `maxBytes` UTF-8 bytes, never splitting a surrogate pair. */
function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const size = utf8Length(ch);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += ch.length;
  }
  return text.slice(0, end);
}
