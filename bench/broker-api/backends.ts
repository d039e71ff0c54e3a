import autocannon from 'autocannon';
import { analyze, startSetup, type Setup } from '../lib/backends.ts';
import { fmt, printTable } from '../lib/table.ts';

// The broker's storage backends side by side (bench/lib/backends.ts): one
// broker on SQLite, one on PostgreSQL, and two brokers on one PostgreSQL
// database and one Redis with the clients split between them (the scale-out
// shape). Same clients, same bodies, after a warm-up; on 2 shared cores the
// brokers, PostgreSQL and autocannon all compete for the same CPU, so two
// brokers cannot show more than the CPU they share: the ratio is the cost of
// their coordination.

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

export async function compareBackends(
  connections: number,
  seconds: number,
  body: string,
  rounds: number,
): Promise<void> {
  type Row = { name: string; create: Measured; list: Measured };
  const results: Row[] = [];
  const clients = (s: Setup) => {
    const urls = s.brokers.map((b) => b.url);
    // One sign-in for both: sessions are in the shared database.
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${s.brokers[0]!.token}` };
    return {
      create: (secs: number) =>
        load(urls, connections, '/api/v1/session-requests', { method: 'POST', headers, body }, secs),
      list: (secs: number) =>
        load(urls, connections, '/api/v1/session-requests?limit=50', { method: 'GET', headers }, secs),
    };
  };
  const lists = async (s: Setup) => {
    analyze(s);
    await clients(s).list(1);
    return clients(s).list(seconds);
  };

  const sqlite = await startSetup(0);
  try {
    await clients(sqlite).create(2);
    const create = await clients(sqlite).create(seconds);
    results.push({ name: sqlite.name, create, list: await lists(sqlite) });
  } finally {
    await sqlite.stop();
  }

  // One broker and two brokers on PostgreSQL are up together (the idle one
  // costs next to nothing) and their creates measured in alternating rounds:
  // one pass each swung the ratio between 0.6× and 1.3× on these 2 cores,
  // with whatever else the machine did landing on one side only. The table
  // shows each setup's median round, and every round's ratio below it.
  const one = await startSetup(1);
  const two = await startSetup(2).catch(async (error: unknown) => {
    await one.stop();
    throw error;
  });
  const ratios: number[] = [];
  try {
    const pair = [clients(one), clients(two)] as const;
    // A full pass each to warm up: a fresh cluster's first WAL segments and a
    // broker's JIT made the first round the slowest by far, for both.
    for (const c of pair) await c.create(seconds);
    const measured: [Measured[], Measured[]] = [[], []];
    for (let r = 0; r < rounds; r++) {
      // Which goes first alternates, so a drift of the machine favours neither.
      const order = r % 2 === 0 ? ([0, 1] as const) : ([1, 0] as const);
      for (const i of order) measured[i].push(await pair[i].create(seconds));
      ratios.push(measured[1][r]!.rps / measured[0][r]!.rps);
    }
    const median = (m: Measured[]) => [...m].sort((a, b) => a.rps - b.rps)[Math.floor(m.length / 2)]!;
    results.push({ name: one.name, create: median(measured[0]), list: await lists(one) });
    results.push({ name: two.name, create: median(measured[1]), list: await lists(two) });
  } finally {
    await two.stop();
    await one.stop();
  }
  const [first, , pair] = results as [Row, Row, Row];
  // Rounds are pairs measured back to back, so their ratios are compared, not the medians' ratio.
  const medianRatio = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!;
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
      r === first
        ? '100%'
        : verdict(pct(r.create.rps, first.create.rps), r.create.rps >= 0.5 * first.create.rps, '≥ 50 %'),
      r === pair ? verdict(`${fmt(medianRatio, 2)}×`, medianRatio >= 1, '≥ 1.0×') : '',
    ]),
  );
  console.log(
    `\nPostgreSQL with its own durability settings (fsync, synchronous_commit, full_page_writes on), ` +
      `BECKON_DATABASE_POOL=${process.env.BECKON_DATABASE_POOL ?? 'default'}; two brokers share it and one Redis; ` +
      'ANALYZE before the lists, as autovacuum would have run on a database older than this bench.',
  );
  console.log(
    `Two brokers ÷ one broker, creates, round by round: ${ratios.map((r) => `${fmt(r, 2)}×`).join(', ')} ` +
      '(the table shows the median).',
  );
}
