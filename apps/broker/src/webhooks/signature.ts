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

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
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
