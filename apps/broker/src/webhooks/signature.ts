import { base64url } from '@beckon/protocol';
import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * An endpoint's signing secret: an HMAC of its id and a per-endpoint salt
 * under the broker's secret. The database holds only the salt, yet the secret
 * can be derived again for every delivery; rotating means a new salt.
 */
export function webhookSecret(brokerSecret: KeyObject, webhookId: string, salt: string): string {
  return `whsec_${base64url(createHmac('sha256', brokerSecret).update(`webhook:v1:${webhookId}:${salt}`).digest())}`;
}

/**
 * The same key for the Standard Webhooks scheme: `whsec_` + standard base64
 * of the key bytes, as that spec (and its libraries) decode it. The key bytes
 * are those behind the Stripe-style secret (base64url after `whsec_`), so one
 * rotation changes both.
 */
export function standardWebhooksSecret(secret: string): string {
  return `whsec_${webhookKeyBytes(secret).toString('base64')}`;
}

/** The key bytes a Stripe-style secret string stands for (its base64url part). */
export function webhookKeyBytes(secret: string): Buffer {
  if (!secret.startsWith('whsec_')) throw new Error('not a webhook secret');
  return Buffer.from(secret.slice('whsec_'.length), 'base64url');
}

/**
 * Standard Webhooks (https://www.standardwebhooks.com/): the value of
 * `webhook-signature`, `v1,<base64 HMAC-SHA256 of "<id>.<t>.<raw body>">`
 * keyed by the key bytes (not the secret string, unlike the Stripe-style one).
 */
export function standardSignature(secret: string, id: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', webhookKeyBytes(secret)).update(`${id}.${unixSeconds}.${body}`).digest();
  return `v1,${mac.toString('base64')}`;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed by the secret string itself. */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * What a receiver does: recompute the HMAC over the raw body, compare in
 * constant time, and refuse stale timestamps (replays). Here for tests and as
 * the reference for integrators.
 */
export function verifySignature(
  secret: string,
  header: string,
  body: string,
  nowSeconds: number,
  toleranceSec = 300,
): boolean {
  const parts = new Map(
    header.split(',').map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSec || !/^[0-9a-f]{64}$/.test(v1))
    return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}
