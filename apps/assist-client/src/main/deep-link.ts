export const DEEP_LINK_SCHEME = 'beckon-assist';

export interface JoinLink {
  readonly kind: 'join';
  /** The join token, base64url without padding. */
  readonly token: string;
}

const PREFIX = `${DEEP_LINK_SCHEME}://join/`;
const TOKEN = /^[A-Za-z0-9_-]{22,64}$/;

/**
 * Parses `beckon-assist://join/<token>`. The token is 22 to 64 base64url
 * characters; anything else (other schemes or hosts, extra path segments,
 * query strings, fragments, padding) yields null.
 */
export function parseDeepLink(raw: string): JoinLink | null {
  if (raw.slice(0, PREFIX.length).toLowerCase() !== PREFIX) return null;
  const token = raw.slice(PREFIX.length);
  return TOKEN.test(token) ? { kind: 'join', token } : null;
}

/** The first valid link among command-line arguments (Windows and Linux pass links this way). */
export function deepLinkFromArgv(argv: readonly string[]): JoinLink | null {
  for (const arg of argv) {
    const link = parseDeepLink(arg);
    if (link) return link;
  }
  return null;
}
