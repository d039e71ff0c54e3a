import {
  createHash,
  createHmac,
  createSecretKey,
  randomBytes,
  randomUUID,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { base64url, generateSessionCode } from '@beckon/protocol';

/**
 * The broker's secret: derives customer-link tokens, so that the database
 * stores only their hashes yet a link can be shown again (copy link, resend
 * invite). Kept in its own owner-only file beside the database.
 */
export function loadOrCreateSecret(dataDir: string, fromEnv: string | undefined): KeyObject {
  // A KeyObject, made once: building one per HMAC costs more than the HMAC itself.
  if (fromEnv) return createSecretKey(Buffer.from(fromEnv, 'utf8'));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'secret.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  return createSecretKey(Buffer.from(readFileSync(file, 'utf8').trim(), 'hex'));
}

/** 256-bit link token for a request: HMAC of its id and a per-request salt. */
export function deriveLinkToken(secret: KeyObject, requestId: string, salt: string): string {
  return base64url(createHmac('sha256', secret).update(`link:v1:${requestId}:${salt}`).digest());
}

/** What is stored and looked up for any bearer secret or link token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A new request's identity: its id, a fresh session code, and the hash of
 * its link token (the token itself is derived again when shown, never
 * stored). Drawn anew when a code collides with a live request.
 */
export function newRequestIdentity(secret: KeyObject) {
  const id = randomUUID();
  const tokenSalt = newSalt();
  return {
    id,
    code: generateSessionCode(),
    tokenSalt,
    tokenHash: hashToken(deriveLinkToken(secret, id, tokenSalt)),
  };
}
