import { firstLink } from '@beckon/electron-shell';
import { ASSIST_SCHEME, parseJoinLink } from '@beckon/protocol';

export const DEEP_LINK_SCHEME = 'beckon-assist';

export interface JoinLink {
  readonly kind: 'join';
  /** The join token, base64url without padding. */
  readonly token: string;
}

/**
 * Parses `beckon-assist://join/<token>` with the protocol's link format;
 * anything else (other schemes or hosts, extra segments, queries) yields null.
 */
export function parseDeepLink(raw: string): JoinLink | null {
  if (!raw.trim().toLowerCase().startsWith(ASSIST_SCHEME)) return null;
  const token = parseJoinLink(raw);
  return token ? { kind: 'join', token } : null;
}

/** The first valid link among command-line arguments (Windows and Linux pass links this way). */
export function deepLinkFromArgv(argv: readonly string[]): JoinLink | null {
  return firstLink(argv, parseDeepLink);
}
