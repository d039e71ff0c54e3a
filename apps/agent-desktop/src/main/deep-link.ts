import { parseSupporterLink } from '@beckon/protocol';
import type { DeepLink } from '../shared/ipc.ts';

export const DEEP_LINK_SCHEME = 'beckon';

/**
 * Parses a `beckon://requests/<uuid>` supporter link with the protocol's link
 * format; anything else (other schemes, extra segments, queries) yields null.
 */
export function parseDeepLink(raw: string): DeepLink | null {
  const requestId = parseSupporterLink(raw);
  return requestId ? { kind: 'request', requestId } : null;
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
