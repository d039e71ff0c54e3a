import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { cidrContains, parseCidr, refusedReason, type Cidr } from './ip-ranges.ts';

/**
 * The SSRF guard for webhook URLs. A URL passes when it is https (or http to
 * an allowlisted host) and every address its host resolves to is public (or
 * allowlisted). The caller then connects to the address checked here and to
 * nothing else: no second DNS lookup, so a name cannot resolve to a public
 * address for the check and to 127.0.0.1 for the connection.
 */

export class UnsafeUrlError extends Error {
  override name = 'UnsafeUrlError';
}

/** `BECKON_WEBHOOK_ALLOWLIST`: host names, addresses and CIDRs a webhook may reach although they are local. */
export interface Allowlist {
  hosts: ReadonlySet<string>;
  cidrs: readonly Cidr[];
}

const normalHost = (host: string) =>
  host
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();

export function parseAllowlist(entries: string[]): Allowlist {
  const hosts = new Set<string>();
  const cidrs: Cidr[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (!entry) continue;
    const cidr = parseCidr(normalHost(entry));
    if (cidr) cidrs.push(cidr);
    else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i.test(entry))
      hosts.add(normalHost(entry));
    else
      throw new Error(`BECKON_WEBHOOK_ALLOWLIST: "${entry}" is neither a host name nor an address or CIDR`);
  }
  return { hosts, cidrs };
}

export interface ResolvedTarget {
  url: URL;
  /** The checked address to connect to. */
  address: string;
  family: 4 | 6;
}

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

/** Checks a webhook URL and resolves it to the one address a delivery may connect to. */
export async function resolveWebhookTarget(
  raw: string,
  allow: Allowlist,
  resolve: Resolver = systemResolver,
): Promise<ResolvedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError('not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UnsafeUrlError('only https URLs are allowed');
  if (url.username || url.password) throw new UnsafeUrlError('credentials in the URL are not allowed');
  // The URL parser has already turned 2130706433, 0x7f000001 and 127.1 into 127.0.0.1.
  const host = normalHost(url.hostname);
  const hostAllowed = allow.hosts.has(host);
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new UnsafeUrlError(`${host} does not resolve`);
    }
  }
  if (addresses.length === 0) throw new UnsafeUrlError(`${host} does not resolve`);
  const inAllowedCidr = (ip: string) => allow.cidrs.some((c) => cidrContains(c, ip));
  for (const { address } of addresses) {
    const reason = refusedReason(address);
    if (reason && !hostAllowed && !inAllowedCidr(address)) {
      throw new UnsafeUrlError(
        address === host
          ? `${host} is a ${reason} address`
          : `${host} resolves to ${address}, a ${reason} address`,
      );
    }
  }
  // Plain http only where the admin said the network is theirs (tests, on-premises helpdesks).
  if (url.protocol === 'http:' && !hostAllowed && !addresses.every((a) => inAllowedCidr(a.address)))
    throw new UnsafeUrlError('only https URLs are allowed (http only for allowlisted hosts)');
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
