import type { DeepLink } from '../shared/ipc.ts';

export const DEEP_LINK_SCHEME = 'beckon';

const PREFIX = `${DEEP_LINK_SCHEME}://`;
const REQUEST_LINK = /^requests\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * Parses a `beckon://requests/<uuid>` link. Anything else (other schemes,
 * extra path segments, query strings, fragments) yields null.
 */
export function parseDeepLink(raw: string): DeepLink | null {
  if (raw.length > 256 || raw.slice(0, PREFIX.length).toLowerCase() !== PREFIX) return null;
  const match = REQUEST_LINK.exec(raw.slice(PREFIX.length));
  if (!match?.[1]) return null;
  return { kind: 'request', requestId: match[1].toLowerCase() };
}

/**
 * On Windows and Linux the OS passes the link as a command-line argument
 * (first launch: process.argv; later launches: the second-instance argv).
 * Returns the first argument that is a valid link.
 */
export function deepLinkFromArgv(argv: readonly string[]): DeepLink | null {
  for (const arg of argv) {
    const link = parseDeepLink(arg);
    if (link) return link;
  }
  return null;
}
