import { WebhookEventSchema, type WebhookEvent } from '@beckon/protocol';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { verifySignature } from '../webhooks/signature.ts';

export interface Received {
  deliveryId: string;
  eventHeader: string;
  signature: string;
  raw: string;
  event: WebhookEvent;
  /** Whether the signature verified under the secret known when it arrived. */
  verified: boolean;
  at: number;
}

/**
 * A helpdesk as the broker sees it: an HTTP server receiving webhooks. It
 * verifies each signature, parses each body with the protocol schema, and
 * keeps deliveries de-duplicated by their delivery id (at-least-once in,
 * exactly-once out), as a real receiver should.
 */
export interface HelpdeskSim {
  url: string;
  port: number;
  /** Unique deliveries, in arrival order. */
  received: Received[];
  /** Every POST, duplicates included. */
  hits: number;
  secret: string;
  /** Answer with this status instead of 200 (e.g. 503 to simulate an outage). */
  status: number;
  /** Answer this much later (a slow receiver). */
  delayMs: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  ofCase(caseId: string): Received[];
}

export async function startHelpdeskSim(
  opts: {
    port?: number;
    host?: string;
    path?: string;
    handler?: (req: IncomingMessage, res: ServerResponse) => boolean;
  } = {},
): Promise<HelpdeskSim> {
  const host = opts.host ?? '127.0.0.1';
  let server: Server | null = null;
  const seen = new Set<string>();
  const sim: HelpdeskSim = {
    url: '',
    port: opts.port ?? 0,
    received: [],
    hits: 0,
    secret: '',
    status: 200,
    delayMs: 0,
    async start() {
      server = createServer((req, res) => {
        sim.hits++;
        if (opts.handler?.(req, res)) return;
        let raw = '';
        req.setEncoding('utf8');
        req.on('data', (c: string) => (raw += c));
        req.on('end', () => {
          const deliveryId = String(req.headers['beckon-delivery'] ?? '');
          if (sim.status === 200 && !seen.has(deliveryId)) {
            seen.add(deliveryId);
            const signature = String(req.headers['beckon-signature'] ?? '');
            sim.received.push({
              deliveryId,
              eventHeader: String(req.headers['beckon-event'] ?? ''),
              signature,
              raw,
              event: WebhookEventSchema.parse(JSON.parse(raw)),
              verified: verifySignature(sim.secret, signature, raw, Math.floor(Date.now() / 1000)),
              at: Date.now(),
            });
          }
          const answer = () => res.writeHead(sim.status).end();
          if (sim.delayMs > 0) setTimeout(answer, sim.delayMs);
          else answer();
        });
      });
      await new Promise<void>((resolve) => server!.listen(sim.port, host, resolve));
      sim.port = (server!.address() as { port: number }).port;
      sim.url = `http://${host}:${sim.port}${opts.path ?? '/hooks/beckon'}`;
    },
    async stop() {
      const s = server;
      server = null;
      if (!s) return;
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    },
    ofCase: (caseId) => sim.received.filter((r) => 'case' in r.event && r.event.case.id === caseId),
  };
  await sim.start();
  return sim;
}

/** A helpdesk ticket as a service case carries it (SC). */
export const serviceNowTicket = (ticketId: string) => ({
  system: 'servicenow',
  ticketId,
  category: 'Network',
  type: 'request',
  priority: 'low',
  source: 'portal',
});
