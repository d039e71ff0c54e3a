import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { startBroker } from '@beckon/broker/testing';
import { percentile } from '../lib/server.ts';
import { fmt, printTable } from '../lib/table.ts';

// bench/webhooks: how fast the broker's durable webhook queue drains to a
// local receiver, and how long an event takes from its commit to its arrival,
// beside a bare loop POSTing the same bodies to the same receiver in the same
// run (the ceiling for one process sending one connection per delivery).
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 3000);
const LIVE_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LIVE_CLIENTS = 4;
const BARE_CONCURRENCY = 16;

interface Arrival {
  type: string;
  caseId: string;
  /** Event commit → arrival, from the body's occurredAt (same machine, same clock). */
  delayMs: number;
}

// ---- the receiver: verifies every signature, de-duplicates by delivery id ----
let secret = '';
const arrivals: Arrival[] = [];
const seen = new Set<string>();
let badSignatures = 0;
let duplicates = 0;

function verified(header: string, body: string): boolean {
  const t = /t=(\d+)/.exec(header)?.[1];
  const v1 = /v1=([0-9a-f]{64})/.exec(header)?.[1];
  if (!t || !v1) return false;
  const mac = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(mac, Buffer.from(v1, 'hex'));
}

const receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => (body += c));
  req.on('end', () => {
    const at = Date.now();
    const id = String(req.headers['beckon-delivery'] ?? '');
    if (seen.has(id)) duplicates++;
    else {
      seen.add(id);
      if (!verified(String(req.headers['beckon-signature'] ?? ''), body)) badSignatures++;
      const event = JSON.parse(body) as { type: string; occurredAt: string; case: { id: string } };
      arrivals.push({ type: event.type, caseId: event.case.id, delayMs: at - Date.parse(event.occurredAt) });
    }
    res.writeHead(204).end();
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;

const broker = await startBroker({ BECKON_WEBHOOK_ALLOWLIST: '127.0.0.1' });

async function api(
  method: string,
  path: string,
  body: unknown,
  token: string,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${broker.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      authorization: `Bearer ${token}`,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

let n = 0;
const caseBody = () => ({
  recipientName: 'Bench User',
  ticket: {
    system: 'bench',
    ticketId: `T-${++n}`,
    category: 'Printing',
    type: 'incident',
    priority: 'high',
    source: 'email',
  },
});

async function waitUntil(fn: () => boolean, timeoutMs: number, what: string) {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out: ${what} (${arrivals.length} arrived)`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** POSTs bodies to the receiver, BARE_CONCURRENCY at a time, one connection each, like the worker. */
async function bareLoop(bodies: string[]): Promise<number> {
  let next = 0;
  const one = (body: string) =>
    new Promise<void>((resolve, reject) => {
      // Signed and numbered like the broker's deliveries, so both pay for the same work.
      const t = Math.floor(Date.now() / 1000);
      const headers = {
        'content-type': 'application/json',
        'beckon-delivery': `bare-${next}`,
        'beckon-signature': `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`,
      };
      const req = request(hookUrl, { method: 'POST', agent: false, headers }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(body);
    });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: BARE_CONCURRENCY }, async () => {
      while (next < bodies.length) await one(bodies[next++]!);
    }),
  );
  return (bodies.length / (performance.now() - t0)) * 1000;
}

try {
  const admin = broker.token;
  const hook = await api(
    'POST',
    '/api/v1/webhooks',
    { url: hookUrl, events: ['case.created', 'case.closed'] },
    admin,
  );
  secret = hook.secret as string;
  const token = (
    await api('POST', '/api/v1/api-tokens', { name: 'bench', scopes: ['service_cases:write'] }, admin)
  ).secret as string;

  console.log(
    `webhooks: backlog ${BACKLOG}, live ${LIVE_SECONDS}s with ${LIVE_CLIENTS} clients, node ${process.version}`,
  );

  // 1. Drain: a backlog queued while the endpoint is paused, then released at once.
  await api('PATCH', `/api/v1/webhooks/${hook.id as string}`, { active: false }, admin);
  for (let i = 0; i < BACKLOG; i += 50)
    await Promise.all(
      Array.from({ length: Math.min(50, BACKLOG - i) }, () =>
        api('POST', '/api/v1/service-cases', caseBody(), token),
      ),
    );
  const t0 = performance.now();
  await api('PATCH', `/api/v1/webhooks/${hook.id as string}`, { active: true }, admin);
  await waitUntil(
    () => arrivals.length >= BACKLOG,
    Number(process.env.BENCH_DRAIN_TIMEOUT ?? 600_000),
    'backlog drained',
  );
  const drainRate = (BACKLOG / (performance.now() - t0)) * 1000;
  const bodies = arrivals.map((a) =>
    JSON.stringify({ type: a.type, occurredAt: new Date().toISOString(), case: { id: a.caseId } }),
  );
  arrivals.length = 0;
  const bareRate = await bareLoop(bodies);
  arrivals.length = 0;
  if (badSignatures > 0 || duplicates > 0) throw new Error('the bare loop must arrive clean');

  // 2. Live: cases created and closed continuously; every event timed from its commit to its arrival.
  let events = 0;
  const stopAt = Date.now() + LIVE_SECONDS * 1000;
  const liveStart = performance.now();
  await Promise.all(
    Array.from({ length: LIVE_CLIENTS }, async () => {
      while (Date.now() < stopAt) {
        const c = await api('POST', '/api/v1/service-cases', caseBody(), token);
        await api('POST', `/api/v1/service-cases/${c.id as string}/close`, undefined, token);
        events += 2;
      }
    }),
  );
  await waitUntil(() => arrivals.length >= events, 60_000, 'live deliveries');
  const liveRate = (events / (performance.now() - liveStart)) * 1000;
  const delays = arrivals.map((a) => a.delayMs).sort((a, b) => a - b);
  const p99 = percentile(delays, 99);

  printTable(
    'Webhook deliveries to a local receiver (signed, one connection per delivery)',
    ['scenario', 'deliveries', 'deliveries/s', 'event→delivery p50 ms', 'p99 ms', 'max ms', 'target'],
    [
      ['bare POST loop (peer, same bodies)', bodies.length, fmt(bareRate, 0), '–', '–', '–', '–'],
      ['broker: drain a backlog', BACKLOG, fmt(drainRate, 0), '–', '–', '–', '–'],
      [
        `broker: live (${LIVE_CLIENTS} clients create + close cases)`,
        events,
        fmt(liveRate, 0),
        fmt(percentile(delays, 50), 0),
        fmt(p99, 0),
        fmt(delays.at(-1) ?? NaN, 0),
        `p99 ≤ 1000 ms ${p99 <= 1000 ? '✓' : '✗'}`,
      ],
    ],
  );
  console.log(`\nsignatures that failed to verify: ${badSignatures}; duplicate deliveries: ${duplicates}.`);
  console.log(`drain rate is ${fmt((100 * drainRate) / bareRate)}% of the bare loop.`);
} finally {
  await broker.stop();
  receiver.close();
}
