import type { IceServer } from '@beckon/protocol';
import { createHmac } from 'node:crypto';

export interface IceConfig {
  stunUrls: string[];
  turnUrls: string[];
  /** coturn's `static-auth-secret`; without it TURN URLs are not handed out. */
  turnSecret: string | undefined;
  turnTtlSec: number;
}

/**
 * Time-limited TURN credentials in the "TURN REST API" scheme that coturn's
 * `use-auth-secret` checks: the username carries its own expiry, and the
 * password is an HMAC of it under the shared secret, so the broker and the
 * TURN server never need to talk to each other.
 */
export function turnCredential(
  secret: string,
  subject: string,
  ttlSec: number,
  now: Date,
): { username: string; credential: string } {
  const expiry = Math.floor(now.getTime() / 1000) + ttlSec;
  // coturn reads the part before the first ':' as the expiry timestamp.
  const username = `${expiry}:${subject}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

/** The ICE servers one peer of one request gets, with credentials of its own. */
export function iceServersFor(config: IceConfig, subject: string, now: Date): IceServer[] {
  const servers: IceServer[] = [];
  if (config.stunUrls.length > 0) servers.push({ urls: config.stunUrls });
  if (config.turnUrls.length > 0 && config.turnSecret) {
    servers.push({
      urls: config.turnUrls,
      ...turnCredential(config.turnSecret, subject, config.turnTtlSec, now),
    });
  }
  return servers;
}
