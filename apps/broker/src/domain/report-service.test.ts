import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { login, startFixture, type Fixture } from '../testing/fixture.ts';
import { withTestDb } from '../testing/test-storage.ts';

/**
 * Reports over a seeded month of sessions around the 2026 DST changes
 * (New York on March 8, Berlin on March 29), checked against totals the test
 * computes on its own, with Intl's calendar rather than the broker's code.
 */

interface Seeded {
  start: string;
  end: string | null;
  ms: number;
  agentId: string;
  category: string | null;
  priority: string | null;
  type: string | null;
  source: string | null;
}

let f: Fixture;
let reader: string;
const techs: { id: string; name: string }[] = [];
const seeded: Seeded[] = [];

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

before(async () => {
  f = await startFixture();
  for (const name of ['Ana', 'Ben', 'Chiara']) {
    const res = await f.api('POST', '/api/v1/users', {
      email: `${name.toLowerCase()}@example.com`,
      name,
      password: 'a long enough password',
      role: 'support_agent',
    });
    techs.push({ id: res.body.id, name });
  }
  reader = (await f.api('POST', '/api/v1/api-tokens', { name: 'BI', scopes: ['reports:read'] })).body.secret;

  const rnd = random(42);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  const span = Date.parse('2026-04-02T00:00:00Z') - Date.parse('2026-03-04T00:00:00Z');
  const starts: string[] = [
    // Right at local midnights around the changes, in both zones.
    '2026-03-28T22:59:59.999Z', // Berlin 23:59 on the 28th (CET)
    '2026-03-28T23:00:00.000Z', // Berlin 00:00 on the 29th, the 23-hour day
    '2026-03-29T21:59:59.999Z', // Berlin 23:59 on the 29th (CEST)
    '2026-03-29T22:00:00.000Z', // Berlin 00:00 on the 30th
    '2026-03-08T04:59:59.999Z', // New York 23:59 on the 7th (EST)
    '2026-03-08T05:00:00.000Z', // New York 00:00 on the 8th
    '2026-03-09T03:59:59.999Z', // New York 23:59 on the 8th (EDT)
    '2026-03-09T04:00:00.000Z', // New York 00:00 on the 9th
  ];
  for (let i = 0; i < 400; i++)
    starts.push(new Date(Date.parse('2026-03-04T00:00:00Z') + Math.floor(rnd() * span)).toISOString());

  await withTestDb(f.config.dbFile, async (q) => {
    const orgId = (await q('SELECT id FROM orgs'))[0]!.id as string;
    const insertRequest = (...params: unknown[]) =>
      q(
        `INSERT INTO session_requests (id, org_id, code, token_salt, status, recipient_name, language,
       expires_at, time_zone, assignee_type, permissions, ticket, created_by_type, created_at, updated_at, closed_at)
     VALUES (?, ?, ?, 'salt', 'closed', 'Seeded', 'en', ?, 'UTC', 'unassigned', '["view"]', ?, 'system', ?, ?, ?)`,
        params,
      );
    const insertSession = (...params: unknown[]) =>
      q(
        `INSERT INTO session_records (id, org_id, request_id, started_at, ended_at, duration_ms, agent_id, agent_name, outcome)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'agent_ended')`,
        params,
      );
    for (const [i, start] of starts.entries()) {
      const withTicket = rnd() < 0.85;
      const s: Seeded = {
        start,
        end: null,
        ms: 1000 + Math.floor(rnd() * 7_200_000),
        agentId: pick(techs).id,
        category: withTicket ? pick(['Printing', 'Network', 'Access', 'Hardware']) : null,
        priority: withTicket ? pick(['low', 'medium', 'high', 'urgent']) : null,
        type: withTicket ? pick(['incident', 'request']) : null,
        source: withTicket ? pick(['email', 'phone', 'portal']) : null,
      };
      const ended = i % 37 !== 5; // a few still running: never counted
      s.end = ended ? new Date(Date.parse(start) + s.ms).toISOString() : null;
      const ticket = withTicket
        ? JSON.stringify({
            system: 'zd',
            ticketId: `T${i}`,
            category: s.category,
            type: s.type,
            priority: s.priority,
            source: s.source,
          })
        : null;
      const id = randomUUID();
      await insertRequest(id, orgId, `s${String(10_000_000 + i)}`, start, ticket, start, start, start);
      const agent = techs.find((t) => t.id === s.agentId)!;
      await insertSession(randomUUID(), orgId, id, start, s.end, ended ? s.ms : null, agent.id, agent.name);
      seeded.push(s);
    }
  });
});
after(() => f.stop());

const localDate = (iso: string, tz: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));

function expected(tz: string, from: string, to: string, tech?: string) {
  const hits = seeded.filter((s) => {
    const d = localDate(s.start, tz);
    return s.end !== null && d >= from && d <= to && (!tech || s.agentId === tech);
  });
  const group = (key: (s: Seeded) => string | null) => {
    const m = new Map<string | null, { n: number; ms: number }>();
    for (const s of hits) {
      const g = m.get(key(s)) ?? { n: 0, ms: 0 };
      g.n++;
      g.ms += s.ms;
      m.set(key(s), g);
    }
    return m;
  };
  const totalMs = hits.reduce((a, s) => a + s.ms, 0);
  return {
    n: hits.length,
    totalMs,
    byTech: group((s) => s.agentId),
    byCategory: group((s) => s.category),
    byPriority: group((s) => s.priority),
    byType: group((s) => s.type),
    bySource: group((s) => s.source),
    byDay: group((s) => localDate(s.start, tz)),
  };
}

type Row = { key: string | null; sessions: number; totalDurationSec: number; averageDurationSec: number };
function sameRows(actual: Row[], want: Map<string | null, { n: number; ms: number }>, what: string) {
  assert.equal(actual.length, want.size, `${what}: groups`);
  for (const r of actual) {
    const w = want.get(r.key);
    assert.ok(w, `${what}: unexpected group ${r.key}`);
    assert.equal(r.sessions, w.n, `${what} ${r.key}: sessions`);
    assert.equal(r.totalDurationSec, w.ms / 1000, `${what} ${r.key}: total`);
    assert.equal(r.averageDurationSec, Math.round(w.ms / w.n) / 1000, `${what} ${r.key}: average`);
  }
}

const report = (q: string, token: string | null = reader) =>
  f.api('GET', `/api/v1/reports/sessions?${q}`, undefined, token);

test('totals and every breakdown match, in two time zones across their DST changes', async () => {
  for (const [tz, from, to] of [
    ['Europe/Berlin', '2026-03-27', '2026-03-30'],
    ['America/New_York', '2026-03-07', '2026-03-09'],
    ['Europe/Berlin', '2026-03-01', '2026-03-31'],
    ['America/New_York', '2026-03-01', '2026-03-31'],
    ['Asia/Tokyo', '2026-03-10', '2026-03-20'],
  ] as const) {
    const res = await report(`from=${from}&to=${to}&tz=${encodeURIComponent(tz)}&groupBy=day`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const r = res.body;
    const want = expected(tz, from, to);
    assert.ok(want.n > 0);
    assert.equal(r.totals.sessions, want.n, `${tz} sessions`);
    assert.equal(r.totals.totalDurationSec, want.totalMs / 1000, `${tz} total`);
    assert.equal(r.totals.averageDurationSec, Math.round(want.totalMs / want.n) / 1000, `${tz} average`);
    sameRows(r.byTechnician, want.byTech, `${tz} technician`);
    sameRows(r.byCategory, want.byCategory, `${tz} category`);
    sameRows(r.byPriority, want.byPriority, `${tz} priority`);
    sameRows(r.byType, want.byType, `${tz} type`);
    sameRows(r.bySource, want.bySource, `${tz} source`);
    sameRows(r.groups, want.byDay, `${tz} day`);
    assert.deepEqual(
      r.groups.map((g: Row) => g.key),
      [...want.byDay.keys()].sort(),
      'days in order',
    );
  }
});

test('a day is the local calendar day: the 23-hour day of the spring change', async () => {
  const r = (await report('from=2026-03-29&to=2026-03-29&tz=Europe/Berlin')).body;
  assert.equal(r.from, '2026-03-28T23:00:00.000Z');
  assert.equal(r.to, '2026-03-29T22:00:00.000Z');
  const starts = seeded.filter((s) => s.end && s.start >= r.from && s.start < r.to).length;
  assert.equal(r.totals.sessions, starts);
  assert.equal(r.totals.sessions, expected('Europe/Berlin', '2026-03-29', '2026-03-29').n);
  const ny = (await report('from=2026-03-08&to=2026-03-08&tz=America/New_York')).body;
  assert.equal(ny.from, '2026-03-08T05:00:00.000Z');
  assert.equal(ny.to, '2026-03-09T04:00:00.000Z');
});

test('by technician, with the technician filter and as CSV', async () => {
  const tech = techs[1]!;
  const r = (await report(`from=2026-03-01&to=2026-03-31&tz=UTC&technician=${tech.id}&groupBy=category`))
    .body;
  const want = expected('UTC', '2026-03-01', '2026-03-31', tech.id);
  assert.equal(r.totals.sessions, want.n);
  assert.deepEqual(
    r.byTechnician.map((x: { key: string; label: string }) => [x.key, x.label]),
    [[tech.id, tech.name]],
  );
  sameRows(r.groups, want.byCategory, 'groupBy category');
  assert.ok(
    r.byCategory.some((x: { key: string | null; label: string }) => x.key === null && x.label === '(none)'),
  );

  const csv = await f.api(
    'GET',
    `/api/v1/reports/sessions?from=2026-03-01&to=2026-03-31&tz=UTC&technician=${tech.id}`,
    undefined,
    reader,
    {
      accept: 'text/csv',
    },
  );
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
  const lines = (csv.body as string).trim().split('\r\n');
  assert.equal(lines[0], 'section,key,label,sessions,total_duration_sec,average_duration_sec');
  const total = lines[1]!.split(',');
  assert.equal(total[0], 'total');
  assert.equal(Number(total.at(-3)), want.n);
  assert.equal(Number(total.at(-2)), want.totalMs / 1000);
  assert.ok(lines.some((l) => l.startsWith(`technician,${tech.id},${tech.name},${want.n},`)));
  const viaFormat = await report(`from=2026-03-01&to=2026-03-31&tz=UTC&technician=${tech.id}&format=csv`);
  assert.equal(viaFormat.body, csv.body);
});

test('the time zone is required, ranges are checked, and only reports:read or admins may read', async () => {
  assert.equal((await report('from=2026-03-01&to=2026-03-31')).status, 400);
  assert.equal((await report('from=2026-03-01&to=2026-03-31&tz=Mars/Olympus')).status, 400);
  assert.equal((await report('from=2026-03-31&to=2026-03-01&tz=UTC')).status, 400);
  assert.equal((await report('from=2024-01-01&to=2026-03-01&tz=UTC')).status, 400);
  assert.equal((await report('from=2026-03-01&to=2026-03-31&tz=UTC', f.adminToken)).status, 200);
  const cases = (await f.api('POST', '/api/v1/api-tokens', { name: 'Cases', scopes: ['service_cases:read'] }))
    .body.secret;
  assert.equal((await report('from=2026-03-01&to=2026-03-31&tz=UTC', cases)).status, 403);
  const agent = await login(f.url, 'ana@example.com', 'a long enough password');
  assert.equal((await report('from=2026-03-01&to=2026-03-31&tz=UTC', agent)).status, 403);
});
