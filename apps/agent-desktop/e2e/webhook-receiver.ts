import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';

/** One POST a webhook endpoint received, as it arrived. */
export interface Received {
  event: string;
  delivery: string;
  signature: string;
  /** The Standard Webhooks headers: `webhook-id`, `webhook-timestamp`, `webhook-signature`. */
  standard: { id: string; timestamp: string; signature: string };
  body: string;
}

/**
 * A helpdesk's webhook endpoint, in the test: records every delivery and
 * answers 200, or 500 while `failing` is set (to make deliveries fail).
 */
export async function startReceiver() {
  const received: Received[] = [];
  let failing = false;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      if (failing) {
        res.writeHead(500).end('down for maintenance');
        return;
      }
      received.push({
        event: String(req.headers['beckon-event'] ?? ''),
        delivery: String(req.headers['beckon-delivery'] ?? ''),
        signature: String(req.headers['beckon-signature'] ?? ''),
        standard: {
          id: String(req.headers['webhook-id'] ?? ''),
          timestamp: String(req.headers['webhook-timestamp'] ?? ''),
          signature: String(req.headers['webhook-signature'] ?? ''),
        },
        body,
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    setFailing(value: boolean) {
      failing = value;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `Beckon-Signature: t=…,v1=<hex HMAC-SHA256 of "<t>.<body>">` checked with the endpoint's secret. */
export function signatureValid(r: Received, secret: string): boolean {
  const t = /t=(\d+)/.exec(r.signature)?.[1];
  const v1 = /v1=([0-9a-f]{64})/.exec(r.signature)?.[1];
  if (!t || !v1) return false;
  const mac = createHmac('sha256', secret).update(`${t}.${r.body}`).digest();
  return timingSafeEqual(mac, Buffer.from(v1, 'hex'));
}

/**
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed by the bytes
 * after `whsec_`: written from the Standard Webhooks specification, as a receiver would.
 */
export function standardSignatureValid(r: Received, whsec: string): boolean {
  const key = Buffer.from(whsec.replace(/^whsec_/, ''), 'base64');
  const mac = createHmac('sha256', key).update(`${r.standard.id}.${r.standard.timestamp}.${r.body}`).digest();
  return r.standard.signature
    .split(' ')
    .map((s) => /^v1,(.+)$/.exec(s)?.[1])
    .some(
      (b64) =>
        b64 !== undefined &&
        Buffer.from(b64, 'base64').length === mac.length &&
        timingSafeEqual(mac, Buffer.from(b64, 'base64')),
    );
}
