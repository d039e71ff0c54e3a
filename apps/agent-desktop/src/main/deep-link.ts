import { firstLink } from '@beckon/electron-shell';
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

/** The first valid link among command-line arguments (Windows and Linux pass links this way). */
export function deepLinkFromArgv(argv: readonly string[]): DeepLink | null {
  return firstLink(argv, parseDeepLink);
}
