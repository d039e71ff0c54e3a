import { createSecretKey, hash, randomBytes, randomUUID, timingSafeEqual, type KeyObject } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SESSION_CODE_DIGITS, type SessionCode } from '@beckon/protocol';
import { randomDigits, randomHex } from './random-pool.ts';

/**
 * The broker's secret: signs customer-link tokens, so that the database on
 * its own holds nothing a link can be rebuilt from, yet a link can be shown
 * again (copy link, resend invite). Kept in its own owner-only file beside
 * the database.
 */
export function loadOrCreateSecret(dataDir: string, fromEnv: string | undefined): KeyObject {
  // A KeyObject, made once: building one per HMAC costs more than the HMAC itself.
  if (fromEnv) return createSecretKey(Buffer.from(fromEnv, 'utf8'));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'secret.key');
  if (!existsSync(file)) createFileOnce(file, randomBytes(32).toString('hex'));
  return createSecretKey(Buffer.from(readFileSync(file, 'utf8').trim(), 'hex'));
}

/**
 * Brokers started at once on one data directory must end up with one secret
 * (each signs links the others check) and none may read a half-written file:
 * the secret is written whole under a name of its own, then linked into place,
 * which fails for all but the first. The others read the winner's.
 */
export function createFileOnce(file: string, content: string): void {
  const draft = `${file}.${process.pid}.${randomHex(8)}`;
  writeFileSync(draft, content, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(draft);
  }
}

/** What is stored and looked up for any bearer secret or link token. */
export function hashToken(token: string): string {
  // One-shot: no Hash object per call (it is hashed on every signed-in request).
  return hash('sha256', token, 'hex');
}

export function newSalt(): string {
  return randomHex(16);
}

/** A new canonical session code (`s` + 8 digits, the protocol's format), every digit uniform. */
export function newSessionCode(): SessionCode {
  return `s${randomDigits(SESSION_CODE_DIGITS)}`;
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A new request's identity: its id, a fresh session code, and the salt its
 * link token is signed with (see link-tokens.ts). Drawn anew when a code
 * collides with a live request. The id is time-ordered by `now`, the
 * creation time.
 */
export function newRequestIdentity(now = Date.now()) {
  return { id: timeOrderedUuid(now), code: newSessionCode(), tokenSalt: newSalt(), legacyTokenHash: null };
}

/**
 * A UUID version 7 (RFC 9562): the creation time in milliseconds, a 12-bit
 * counter, then 62 random bits. Requests and their events are indexed by id;
 * a random id lands every insert on a different B-tree page, which each
 * commit then writes out whole, while ids that grow with time fill the last
 * pages. The counter keeps ids of one millisecond in the order they were
 * made, so newest-first lists order them right too. Request ids are not
 * secrets (links carry a separate 256-bit token).
 */
export function timeOrderedUuid(ms: number): string {
  // Node's randomUUID draws from a pooled buffer: cheaper than randomBytes.
  // Its variant bits (index 19) are already RFC 9562's.
  const random = randomUUID();
  if (ms > last.ms) {
    last.ms = ms;
    // Starts low in the counter's range, so a busy millisecond does not run out.
    last.counter = parseInt(random.charAt(0), 16);
  } else if (++last.counter > 0xfff) {
    // 4096 ids in one millisecond (or a clock that went back): borrow the next one.
    last.ms += 1;
    last.counter = 0;
  }
  const time = last.ms.toString(16).padStart(12, '0');
  const counter = last.counter.toString(16).padStart(3, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${counter}${random.slice(18)}`;
}
const last = { ms: 0, counter: 0 };
