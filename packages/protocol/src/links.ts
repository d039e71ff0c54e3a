import { z } from 'zod';
import { TOKEN_PATTERN, type LinkToken } from './tokens.ts';

/**
 * The links a session request hands out:
 * - customer link `<public url>/j/<token>`: the landing page (SR6);
 * - assist deep link `beckon-assist://join/<token>`: opens an installed assist client;
 * - supporter link `beckon://requests/<id>`: opens the request in the agent desktop (SC5).
 * Parsers accept exactly these shapes and nothing else (no extra segments,
 * queries or fragments), because deep links arrive from untrusted pages.
 */
export const ASSIST_SCHEME = 'beckon-assist:';
export const AGENT_SCHEME = 'beckon:';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function customerLink(publicUrl: string, token: LinkToken): string {
  return `${publicUrl.replace(/\/+$/, '')}/j/${token}`;
}

export function assistDeepLink(token: LinkToken): string {
  return `beckon-assist://join/${token}`;
}

export function supporterLink(requestId: string): string {
  return `beckon://requests/${requestId}`;
}

export function consoleLink(publicUrl: string, requestId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/console/#/requests/${requestId}`;
}

const MAX_LINK_LENGTH = 2048;

/** The token of an assist deep link or of a customer link, or null. */
export function parseJoinLink(input: string): LinkToken | null {
  if (input.length > MAX_LINK_LENGTH) return null;
  // Schemes are case-insensitive, and some OSes append a slash to custom-scheme links.
  const deep = /^beckon-assist:\/\/join\/([A-Za-z0-9_-]+)\/?$/i.exec(input.trim());
  if (deep?.[1] && TOKEN_PATTERN.test(deep[1])) return deep[1];
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.search || url.hash || url.username || url.password) return null;
  const web = /^(?:\/[^/]+)*\/j\/([A-Za-z0-9_-]+)\/?$/.exec(url.pathname);
  return web?.[1] && TOKEN_PATTERN.test(web[1]) ? web[1] : null;
}

/** The request id of a supporter link, or null. */
export function parseSupporterLink(input: string): string | null {
  if (input.length > MAX_LINK_LENGTH) return null;
  const match = /^beckon:\/\/requests\/([0-9a-f-]{36})\/?$/i.exec(input.trim());
  const id = match?.[1]?.toLowerCase();
  return id && UUID.test(id) ? id : null;
}

/** The base URL of a customer link (everything before `/j/`), for clients that get only the link. */
export function brokerUrlFromCustomerLink(link: string): string | null {
  if (parseJoinLink(link) === null || link.startsWith(ASSIST_SCHEME)) return null;
  const url = new URL(link);
  return `${url.origin}${url.pathname.replace(/\/j\/[^/]+\/?$/, '')}`;
}

export const JoinLinkSchema = z
  .string()
  .max(MAX_LINK_LENGTH)
  .refine(
    (value) => parseJoinLink(value) !== null,
    'expected a Beckon customer link or beckon-assist:// link',
  );
