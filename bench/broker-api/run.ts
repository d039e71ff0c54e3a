import autocannon from 'autocannon';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBroker } from '../lib/broker.ts';
import { startServer as start, type Server } from '../lib/server.ts';
import { fmt, printTable } from '../lib/table.ts';

// bench/broker-api: create and list throughput and latency with 50 concurrent
// clients, beside a bare fastify route measured in the same run.
// Each server runs in its own process; autocannon runs here. The bare route
// answers with the broker's own response bodies, so serialization is equal.
const CONNECTIONS = 50;
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);

async function run(url: string, method: string, headers: Record<string, string>, body?: string) {
  const r = await autocannon({ url, method, connections: CONNECTIONS, duration: DURATION, headers, body });
  if (r.non2xx > 0 || r.errors > 0)
    console.warn(`  ${method} ${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return r;
}

const here = new URL('.', import.meta.url).pathname;
const broker = await startBroker();
const { dataDir, token } = broker;
let bare: Server | undefined;
try {
  const json = { 'content-type': 'application/json' };
  const auth = { ...json, authorization: `Bearer ${token}` };
  const body = JSON.stringify({
    recipientName: 'Bench User',
    recipientEmail: 'user@example.com',
    comment: 'bench',
  });
  // Seed 60 requests, and hand the bare route the broker's own answers as its bodies.
  let created: unknown;
  for (let i = 0; i < 60; i++) {
    const res = await fetch(`${broker.url}/api/v1/session-requests`, { method: 'POST', headers: auth, body });
    created = await res.json();
  }
  const list = await (
    await fetch(`${broker.url}/api/v1/session-requests?limit=50`, { headers: auth })
  ).json();
  const sampleFile = join(dataDir, 'sample.json');
  writeFileSync(sampleFile, JSON.stringify({ created, list }));
  bare = await start([join(here, 'bare-server.ts'), sampleFile], {}, /(http:\/\/\S+)/);

  console.log(`broker-api: ${CONNECTIONS} connections, ${DURATION}s per scenario, node ${process.version}`);
  const bareCreate = await run(`${bare.url}/bare`, 'POST', json, body);
  const create = await run(`${broker.url}/api/v1/session-requests`, 'POST', auth, body);
  const bareList = await run(`${bare.url}/bare`, 'GET', {});
  const listRun = await run(`${broker.url}/api/v1/session-requests?limit=50`, 'GET', auth);

  const row = (
    name: string,
    r: Awaited<ReturnType<typeof run>>,
    peer: Awaited<ReturnType<typeof run>>,
    target: number,
  ) => [
    name,
    fmt(r.requests.average, 0),
    fmt(peer.requests.average, 0),
    `${fmt((100 * r.requests.average) / peer.requests.average)}%`,
    `≥ ${target}%`,
    fmt(r.latency.p50),
    fmt(r.latency.p99),
    fmt(peer.latency.p50),
    fmt(peer.latency.p99),
  ];
  printTable(
    'Broker API vs bare fastify route (same run, same machine)',
    [
      'scenario',
      'beckon req/s',
      'bare req/s',
      'ratio',
      'target',
      'beckon p50 ms',
      'beckon p99 ms',
      'bare p50 ms',
      'bare p99 ms',
    ],
    [
      row('create (POST, 201, SQLite FULL sync)', create, bareCreate, 30),
      row('list (GET, 50 newest of all created)', listRun, bareList, 50),
    ],
  );
  console.log(`\n${create.requests.total} requests created during the run; list pages 50 of them.`);
} finally {
  bare?.child.kill();
  broker.stop();
}
