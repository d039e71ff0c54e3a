import autocannon from 'autocannon';
import { analyze, SETUP_NAMES, startSetup, type Setup } from '../lib/backends.ts';
import { fmt, printTable } from '../lib/table.ts';

// The broker's storage backends side by side (bench/lib/backends.ts): one
// broker on SQLite, one on PostgreSQL, and two brokers on one PostgreSQL
// database and one Redis with the clients split between them (the scale-out
// shape). Same clients, same bodies, one pass each after a warm-up; on 2
// shared cores the brokers, PostgreSQL and autocannon all compete for the
// same CPU, so two brokers cannot show more than the CPU they share.

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
  type Row = { name: string; create: Measured; list: Measured };
  const results: Row[] = [];
  for (let i = 0; i < SETUP_NAMES.length; i++) {
    const s: Setup = await startSetup(i);
    try {
      const urls = s.brokers.map((b) => b.url);
      // One sign-in for both: sessions are in the shared database.
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${s.brokers[0]!.token}` };
      const create = { method: 'POST', headers, body };
      const list = { method: 'GET', headers };
      await load(urls, connections, '/api/v1/session-requests', create, 2);
      const created = await load(urls, connections, '/api/v1/session-requests', create, seconds);
      analyze(s);
      await load(urls, connections, '/api/v1/session-requests?limit=50', list, 1);
      const listed = await load(urls, connections, '/api/v1/session-requests?limit=50', list, seconds);
      results.push({ name: s.name, create: created, list: listed });
    } finally {
      await s.stop();
    }
  }
  const [sqlite, one, two] = results as [Row, Row, Row];
  const pct = (a: number, b: number) => `${fmt((100 * a) / b, 0)}%`;
  // The row says whether it meets its target, so a pasted table cannot be read as better than it is.
  const verdict = (value: string, met: boolean, target: string) =>
    `${value} (target ${target}: ${met ? 'met' : 'MISSED'})`;
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
      r === sqlite
        ? '100%'
        : verdict(pct(r.create.rps, sqlite.create.rps), r.create.rps >= 0.5 * sqlite.create.rps, '≥ 50 %'),
      r === two
        ? verdict(`${fmt(two.create.rps / one!.create.rps, 2)}×`, two.create.rps >= one!.create.rps, '≥ 1.0×')
        : '',
    ]),
  );
  console.log(
    `\nPostgreSQL with its own durability settings (fsync, synchronous_commit, full_page_writes on), ` +
      `BECKON_DATABASE_POOL=${process.env.BECKON_DATABASE_POOL ?? 'default'}; two brokers share it and one Redis; ` +
      'ANALYZE before the lists, as autovacuum would have run on a database older than this bench.',
  );
}
