import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { fmt, printTable } from '../lib/table.ts';

// The broker's storage backends side by side: one broker on SQLite, one on
// PostgreSQL, and two brokers on one PostgreSQL database with the clients
// split between them (the scale-out shape). Same clients, same bodies, one
// pass each after a warm-up; on 2 shared cores the brokers, PostgreSQL and
// autocannon all compete for the same CPU, so two brokers cannot show more
// than the CPU they share.

// A throwaway cluster from the broker's test support, started as a process (benches do not import apps).
const PG_CLI = join(import.meta.dirname, '../../apps/broker/src/testing/postgres-cli.ts');

interface Pg {
  url: string;
  child: ChildProcess;
}

function startPostgres(): Promise<Pg> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PG_CLI, '--database'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      if (lines.length >= 3) resolve({ url: lines[1]!, child });
    });
    child.once('exit', (code) => reject(new Error(`the bench PostgreSQL exited ${code}`)));
  });
}

type Measured = { rps: number; p50: number; p99: number };

/** `connections` clients split over the brokers, all at once; requests a second summed. */
async function load(
  urls: string[],
  connections: number,
  path: string,
  opts: { method: string; headers: Record<string, string>; body?: string },
  seconds: number,
): Promise<Measured> {
  const results = await Promise.all(
    urls.map((url) =>
      autocannon({
        url: `${url}${path}`,
        connections: Math.round(connections / urls.length),
        duration: seconds,
        ...opts,
      }),
    ),
  );
  for (const r of results)
    if (r.non2xx > 0 || r.errors > 0)
      console.warn(`  ${opts.method} ${path}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return {
    rps: results.reduce((sum, r) => sum + r.requests.average, 0),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
  };
}

export async function compareBackends(connections: number, seconds: number, body: string): Promise<void> {
  const setups: { name: string; brokers: TestBroker[]; pg?: Pg }[] = [];
  try {
    setups.push({ name: 'SQLite, one broker', brokers: [await startBroker()] });
    const pg1 = await startPostgres();
    setups.push({
      name: 'PostgreSQL, one broker',
      brokers: [await startBroker({ BECKON_DATABASE_URL: pg1.url })],
      pg: pg1,
    });
    const pg2 = await startPostgres();
    // Brokers sharing a database share the secret that signs link tokens.
    const shared = { BECKON_DATABASE_URL: pg2.url, BECKON_SECRET: randomBytes(32).toString('hex') };
    const first = await startBroker(shared);
    setups.push({ name: 'PostgreSQL, two brokers', brokers: [first, await startBroker(shared)], pg: pg2 });

    const results: { name: string; create: Measured; list: Measured }[] = [];
    for (const s of setups) {
      const urls = s.brokers.map((b) => b.url);
      // One sign-in for both: sessions are in the shared database.
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${s.brokers[0]!.token}` };
      const create = { method: 'POST', headers, body };
      const list = { method: 'GET', headers };
      await load(urls, connections, '/api/v1/session-requests', create, 2);
      await load(urls, connections, '/api/v1/session-requests?limit=50', list, 1);
      results.push({
        name: s.name,
        create: await load(urls, connections, '/api/v1/session-requests', create, seconds),
        list: await load(urls, connections, '/api/v1/session-requests?limit=50', list, seconds),
      });
    }
    const [sqlite, one, two] = results;
    const pct = (a: number, b: number) => `${fmt((100 * a) / b, 0)}%`;
    printTable(
      'Storage backends: the same clients against SQLite, PostgreSQL, and two brokers on one PostgreSQL',
      [
        'setup',
        'create req/s',
        'create p50 / p99 ms',
        'list req/s',
        'list p50 / p99 ms',
        'create vs SQLite',
        'create vs one broker',
      ],
      results.map((r) => [
        r.name,
        fmt(r.create.rps, 0),
        `${fmt(r.create.p50)} / ${fmt(r.create.p99)}`,
        fmt(r.list.rps, 0),
        `${fmt(r.list.p50)} / ${fmt(r.list.p99)}`,
        pct(r.create.rps, sqlite!.create.rps),
        r === two ? `${fmt(two.create.rps / one!.create.rps, 2)}×` : '',
      ]),
    );
    console.log("\nTargets: PostgreSQL creates ≥ 50 % of SQLite's; two brokers ≥ 1.0× one.");
  } finally {
    for (const s of setups) {
      for (const b of s.brokers) await b.stop();
      s.pg?.child.kill('SIGTERM');
    }
  }
}
