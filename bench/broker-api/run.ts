import autocannon from 'autocannon';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBroker } from '@beckon/broker/testing';
import { compareBackends } from './backends.ts';
import { startServer as start, type Server } from '../lib/server.ts';
import { fmt, printTable } from '../lib/table.ts';

// bench/broker-api: create and list throughput and latency with 50 concurrent
// clients, beside a bare fastify route measured in the same run.
// Each server runs in its own process; autocannon runs here. The bare route
// answers with the broker's own response bodies, so serialization is equal.
// On 2 shared cores one pass of a few seconds swings by ±20% (the bare
// route's most of all), so both sides are warmed up first, then measured in
// alternating rounds; the table shows the median round.
const CONNECTIONS = 50;
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// One broker against two on PostgreSQL: the ratio of two setups that each swing, so more rounds.
const PAIR_ROUNDS = Number(process.env.BENCH_PAIR_ROUNDS ?? 5);
const WARMUP_SECONDS = 2;

type Result = Awaited<ReturnType<typeof autocannon>>;

async function run(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
  duration = DURATION,
) {
  const r = await autocannon({ url, method, connections: CONNECTIONS, duration, headers, body });
  if (r.non2xx > 0 || r.errors > 0)
    console.warn(`  ${method} ${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return r;
}

/** The round whose ratio is the median (its own pair of results, so its latencies belong together). */
function medianRound(rounds: { ours: Result; peer: Result }[]) {
  const ratio = (r: { ours: Result; peer: Result }) => r.ours.requests.average / r.peer.requests.average;
  const sorted = [...rounds].sort((a, b) => ratio(a) - ratio(b));
  return { median: sorted[Math.floor(sorted.length / 2)]!, ratios: rounds.map(ratio) };
}

const here = new URL('.', import.meta.url).pathname;
const body = JSON.stringify({
  recipientName: 'Bench User',
  recipientEmail: 'user@example.com',
  comment: 'bench',
});
// BENCH_BARE=0 skips the bare-route table (for measuring only the backends).
if (process.env.BENCH_BARE !== '0') await compareWithBare();

async function compareWithBare(): Promise<void> {
  const broker = await startBroker();
  const { dataDir, token } = broker;
  let bare: Server | undefined;
  try {
    const json = { 'content-type': 'application/json' };
    const auth = { ...json, authorization: `Bearer ${token}` };
    // Seed 60 requests, and hand the bare route the broker's own answers as its bodies.
    let created: unknown;
    for (let i = 0; i < 60; i++) {
      const res = await fetch(`${broker.url}/api/v1/session-requests`, {
        method: 'POST',
        headers: auth,
        body,
      });
      created = await res.json();
    }
    const list = await (
      await fetch(`${broker.url}/api/v1/session-requests?limit=50`, { headers: auth })
    ).json();
    const sampleFile = join(dataDir, 'sample.json');
    writeFileSync(sampleFile, JSON.stringify({ created, list }));
    bare = await start([join(here, 'bare-server.ts'), sampleFile], {}, /(http:\/\/\S+)/);

    console.log(
      `broker-api: ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION}s per scenario, node ${process.version}`,
    );
    const scenarios = {
      bareCreate: (seconds = DURATION) => run(`${bare!.url}/bare`, 'POST', json, body, seconds),
      create: (seconds = DURATION) =>
        run(`${broker.url}/api/v1/session-requests`, 'POST', auth, body, seconds),
      bareList: (seconds = DURATION) => run(`${bare!.url}/bare`, 'GET', {}, undefined, seconds),
      list: (seconds = DURATION) =>
        run(`${broker.url}/api/v1/session-requests?limit=50`, 'GET', auth, undefined, seconds),
    };
    // Warm-up: both servers' hot paths compiled before anything counts.
    for (const scenario of Object.values(scenarios)) await scenario(WARMUP_SECONDS);
    const creates: { ours: Result; peer: Result }[] = [];
    const lists: { ours: Result; peer: Result }[] = [];
    let createdInRuns = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const peer = await scenarios.bareCreate();
      const ours = await scenarios.create();
      createdInRuns += ours.requests.total;
      creates.push({ ours, peer });
      lists.push({ peer: await scenarios.bareList(), ours: await scenarios.list() });
    }

    const row = (name: string, rounds: { ours: Result; peer: Result }[], target: number) => {
      const { median, ratios } = medianRound(rounds);
      const { ours: r, peer } = median;
      return [
        name,
        fmt(r.requests.average, 0),
        fmt(peer.requests.average, 0),
        `${fmt((100 * r.requests.average) / peer.requests.average)}%`,
        ratios.map((x) => fmt(100 * x, 0)).join(' / '),
        `≥ ${target}%`,
        fmt(r.latency.p50),
        fmt(r.latency.p99),
        fmt(peer.latency.p50),
        fmt(peer.latency.p99),
      ];
    };
    printTable(
      'Broker API vs bare fastify route (same run, same machine; the median of alternating rounds)',
      [
        'scenario',
        'beckon req/s',
        'bare req/s',
        'ratio',
        'ratio per round %',
        'target',
        'beckon p50 ms',
        'beckon p99 ms',
        'bare p50 ms',
        'bare p99 ms',
      ],
      [
        row('create (POST, 201, SQLite FULL sync)', creates, 30),
        row('list (GET, 50 newest of all created)', lists, 50),
      ],
    );
    console.log(`\n${createdInRuns} requests created in the measured rounds; list pages 50 of the newest.`);
  } finally {
    bare?.child.kill();
    await broker.stop();
  }
}
// BENCH_BACKENDS=0 skips the backends table (it needs PostgreSQL 15's binaries).
if (process.env.BENCH_BACKENDS !== '0') await compareBackends(CONNECTIONS, DURATION, body, PAIR_ROUNDS);
