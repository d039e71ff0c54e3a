import { createHmac, type KeyObject } from 'node:crypto';
import { base64url } from '@beckon/protocol';
import type { RequestRecord, RequestStore } from '../storage/types.ts';
import { hashToken, safeEqual } from './secrets.ts';

/**
 * Customer-link tokens (`/j/<token>`, 32 bytes as 43 base64url characters):
 * the request's id (16 bytes) followed by a 128-bit HMAC of that id and the
 * request's salt under the broker's secret.
 *
 * The token names its own row, so it is found by primary key and checked by
 * recomputing the MAC in constant time. Nothing about it is stored: no hash
 * column, no index. An index over random hashes put every new request on a
 * different B-tree page, and that index, not the row, was most of what a
 * create wrote (bench/broker-api). Only the broker's secret can mint a MAC,
 * so knowing a request id (agents see them) gives no way in.
 *
 * Tokens minted before this format (v1: a 256-bit HMAC, stored as a SHA-256
 * hash) still open their requests through `legacy_token_hash`.
 */
const ID_BYTES = 16;
const MAC_BYTES = 16;

// Link tokens never change for a request: derive each once per secret (bounded memory).
const linkTokens = new WeakMap<KeyObject, Map<string, string>>();

/** A request's link token: its id, then the MAC of id and salt. */
export function deriveLinkToken(secret: KeyObject, requestId: string, salt: string): string {
  let tokens = linkTokens.get(secret);
  if (!tokens) linkTokens.set(secret, (tokens = new Map()));
  const key = `${requestId}:${salt}`;
  let token = tokens.get(key);
  if (token === undefined) {
    const mac = createHmac('sha256', secret).update(`link:v2:${key}`).digest().subarray(0, MAC_BYTES);
    token = base64url(Buffer.concat([Buffer.from(requestId.replaceAll('-', ''), 'hex'), mac]));
    if (tokens.size >= 50_000) tokens.clear();
    tokens.set(key, token);
  }
  return token;
}

/** The request id a well-formed token names (not yet checked): the UUID in its first 16 bytes. */
export function requestIdOfLinkToken(token: string): string {
  const hex = Buffer.from(token, 'base64url').subarray(0, ID_BYTES).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The request a link token opens, whatever its status, or null. `token` must
 * already match the protocol's LinkTokenSchema. A wrong token and one for a
 * request that does not exist cost the same two indexed lookups.
 */
export async function findByLinkToken(
  ctx: { secret: KeyObject; requests: RequestStore },
  token: string,
): Promise<RequestRecord | null> {
  const record = await ctx.requests.findById(requestIdOfLinkToken(token));
  if (record && safeEqual(deriveLinkToken(ctx.secret, record.id, record.tokenSalt), token)) return record;
  return ctx.requests.findByLegacyTokenHash(hashToken(token));
}
