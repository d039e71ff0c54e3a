import { isIPv4, isIPv6 } from 'node:net';

/**
 * Which IP addresses a webhook may never reach on its own: everything that
 * is not a public unicast address. Addresses are compared as bytes, so no
 * spelling (`2130706433`, `0x7f000001`, `::ffff:127.0.0.1`, `::ffff:7f00:1`)
 * slips past a string check. Callers hand in what the URL parser or the
 * resolver produced; both give canonical text.
 */

interface Range {
  bytes: number[];
  bits: number;
  reason: string;
}

const v4 = (cidr: string, reason: string): Range => {
  const [ip = '', bits = '32'] = cidr.split('/');
  return { bytes: parseIPv4(ip) ?? [], bits: Number(bits), reason };
};
const v6 = (cidr: string, reason: string): Range => {
  const [ip = '', bits = '128'] = cidr.split('/');
  return { bytes: parseIPv6(ip) ?? [], bits: Number(bits), reason };
};

const V4_REFUSED: Range[] = [
  v4('0.0.0.0/8', 'unspecified'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'shared (CGNAT)'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'reserved'),
  v4('192.0.2.0/24', 'documentation'),
  v4('192.88.99.0/24', 'reserved'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'benchmarking'),
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  v4('240.0.0.0/4', 'reserved'),
];

// Order matters: the first match names the reason.
const V6_REFUSED: Range[] = [
  v6('::/128', 'unspecified'),
  v6('::1/128', 'loopback'),
  v6('::ffff:0:0/96', 'IPv4-mapped'),
  v6('::ffff:0:0:0/96', 'IPv4-translated'),
  // Deprecated IPv4-compatible addresses (::a.b.c.d): refused, whatever they embed.
  v6('::/96', 'IPv4-compatible'),
  v6('64:ff9b:1::/48', 'NAT64 (local)'),
  v6('100::/64', 'discard'),
  v6('2001::/32', 'Teredo'),
  v6('2001:db8::/32', 'documentation'),
  v6('fc00::/7', 'unique-local (private)'),
  v6('fe80::/10', 'link-local'),
  v6('fec0::/10', 'site-local'),
  v6('ff00::/8', 'multicast'),
];

function inRange(bytes: number[], r: Range): boolean {
  if (bytes.length !== r.bytes.length) return false;
  const full = Math.floor(r.bits / 8);
  for (let i = 0; i < full; i++) if (bytes[i] !== r.bytes[i]) return false;
  const rest = r.bits % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((bytes[full] ?? 0) & mask) === ((r.bytes[full] ?? 0) & mask);
}

export function parseIPv4(ip: string): number[] | null {
  if (!isIPv4(ip)) return null;
  return ip.split('.').map(Number);
}

/** 16 bytes of an IPv6 address (brackets and zone id dropped), or null. */
export function parseIPv6(input: string): number[] | null {
  let ip = input.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!isIPv6(ip)) return null;
  let tail: number[] = [];
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (dotted?.[1] && dotted[2]) {
    tail = parseIPv4(dotted[2]) ?? [];
    ip = dotted[1].endsWith('::') ? dotted[1] : dotted[1].slice(0, -1);
  }
  const want = tail.length ? 6 : 8;
  const [leftText = '', rightText] = ip.split('::');
  const left = leftText ? leftText.split(':') : [];
  const right = rightText === undefined ? null : rightText ? rightText.split(':') : [];
  const groups =
    right === null
      ? left
      : [...left, ...Array<string>(Math.max(0, want - left.length - right.length)).fill('0'), ...right];
  if (groups.length !== want) return null;
  const bytes = groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
  return [...bytes, ...tail];
}

/** The IPv4 address an IPv6 one carries (mapped, translated, compatible, NAT64, 6to4), if any. */
export function embeddedIPv4(bytes: number[]): number[] | null {
  if (bytes.length !== 16) return null;
  const zero = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  if (zero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12);
  if (zero(0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zero(10, 12)) return bytes.slice(12);
  if (zero(0, 12)) return bytes.slice(12);
  if (inRange(bytes, v6('64:ff9b::/96', ''))) return bytes.slice(12);
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return bytes.slice(2, 6);
  return null;
}

/**
 * Why an address is refused ("loopback", "private"…), or null for a public
 * unicast address. NAT64 and 6to4 addresses are judged by the IPv4 address
 * they lead to.
 */
export function refusedReason(ip: string): string | null {
  const four = parseIPv4(ip);
  if (four) return V4_REFUSED.find((r) => inRange(four, r))?.reason ?? null;
  const six = parseIPv6(ip);
  if (!six) return 'not an IP address';
  const hit = V6_REFUSED.find((r) => inRange(six, r));
  if (hit) return hit.reason;
  const inner = embeddedIPv4(six);
  if (inner) {
    const reason = V4_REFUSED.find((r) => inRange(inner, r))?.reason;
    if (reason) return `${reason} (embedded IPv4)`;
  }
  return null;
}

/** A CIDR (or single address) of the allowlist. */
export interface Cidr {
  bytes: number[];
  bits: number;
}

export function parseCidr(entry: string): Cidr | null {
  const [ip = '', bitsText] = entry.split('/');
  const bytes = parseIPv4(ip) ?? parseIPv6(ip);
  if (!bytes) return null;
  const max = bytes.length * 8;
  const bits = bitsText === undefined ? max : Number(bitsText);
  if (
    !Number.isInteger(bits) ||
    bits < 0 ||
    bits > max ||
    (bitsText !== undefined && !/^\d+$/.test(bitsText))
  )
    return null;
  return { bytes, bits };
}

/** Whether an address lies in a CIDR; an IPv6 address carrying an IPv4 one also matches IPv4 CIDRs. */
export function cidrContains(c: Cidr, ip: string): boolean {
  const four = parseIPv4(ip);
  const six = four ? null : parseIPv6(ip);
  const candidates = [four, six, six ? embeddedIPv4(six) : null].filter((b): b is number[] => b !== null);
  return candidates.some((b) => inRange(b, { bytes: c.bytes, bits: c.bits, reason: '' }));
}
