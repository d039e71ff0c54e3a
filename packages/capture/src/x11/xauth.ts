import { readFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';

// Reads the MIT-MAGIC-COOKIE-1 for a display from the Xauthority file, as Xlib
// does, so our own X11 connection is let in wherever libnut's is. Servers
// started without -auth (Xvfb in tests) need none.

const FAMILY_LOCAL = 256;
const FAMILY_WILD = 65535;
const FAMILY_INTERNET = 0;

interface Entry {
  readonly family: number;
  readonly address: Buffer;
  readonly number: string;
  readonly name: string;
  readonly data: Buffer;
}

/** Parses an Xauthority file: big-endian counted strings, five per entry. */
export function parseXauthority(file: Buffer): Entry[] {
  const entries: Entry[] = [];
  let at = 0;
  const counted = (): Buffer | undefined => {
    if (at + 2 > file.length) return undefined;
    const len = file.readUInt16BE(at);
    if (at + 2 + len > file.length) return undefined;
    const value = file.subarray(at + 2, at + 2 + len);
    at += 2 + len;
    return value;
  };
  while (at + 2 <= file.length) {
    const family = file.readUInt16BE(at);
    at += 2;
    const address = counted();
    const number = counted();
    const name = counted();
    const data = counted();
    if (!address || !number || !name || !data) break;
    entries.push({ family, address, number: number.toString(), name: name.toString(), data });
  }
  return entries;
}

function isLocalHost(host: string): boolean {
  return host === '' || host === 'unix' || host === 'localhost' || host === hostname();
}

/** The cookie for display `number` on `host` ('' for the local socket), if any. */
export function findCookie(host: string, number: number, file?: string): Buffer | undefined {
  const path = file ?? process.env.XAUTHORITY ?? join(homedir(), '.Xauthority');
  let entries: Entry[];
  try {
    entries = parseXauthority(readFileSync(path));
  } catch {
    return undefined;
  }
  const local = isLocalHost(host);
  const match = entries.find((e) => {
    if (e.name !== 'MIT-MAGIC-COOKIE-1') return false;
    if (e.number !== '' && e.number !== String(number)) return false;
    if (e.family === FAMILY_WILD) return true;
    if (e.family === FAMILY_LOCAL) return local && e.address.toString() === hostname();
    if (e.family === FAMILY_INTERNET) return !local && e.address.join('.') === host;
    return false;
  });
  return match?.data;
}
