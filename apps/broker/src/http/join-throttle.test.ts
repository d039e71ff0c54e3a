import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { RESERVE_PER_MINUTE } from '../domain/join-service-throttle.ts';
import { startClockedBroker } from '../testing/clocked-broker.ts';
import { ADMIN, startFixture, waitFor, type Fixture } from '../testing/fixture.ts';

/** One join attempt from a chosen loopback source address (Linux routes all of 127/8 to lo). */
function joinFrom(
  f: Fixture,
  from: string,
  body: unknown,
): Promise<{ status: number; ms: number; body: string }> {
  const url = new URL('/api/v1/join', f.url);
  const payload = JSON.stringify(body);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, body }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const wrongCode = (i: number) => `s${String(10_000_000 + ((i * 7_919) % 89_999_999)).padStart(8, '0')}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

test('10,000 wrong codes from one address are all refused, and the lock-out grows', async () => {
  const f = await startFixture();
  try {
    const r = (await f.api('POST', '/api/v1/session-requests', { recipientName: 'Ada' })).body;
    const statuses = new Map<number, number>();
    const retries: number[] = [];
    // 20 at a time: fast, and still one address.
    for (let i = 0; i < 10_000; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, (_, k) => f.api('POST', '/api/v1/join', { code: wrongCode(i + k) }, null)),
      );
      for (const res of batch) {
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 429) retries.push(Number(res.headers.get('retry-after')));
      }
    }
    assert.equal(statuses.get(200), undefined);
    assert.ok(
      (statuses.get(404) ?? 0) <= 5,
      `at most a handful of guesses are looked up: ${statuses.get(404)}`,
    );
    assert.ok((statuses.get(429) ?? 0) >= 9_995);
    assert.ok(retries.at(-1)! > retries[0]! * 10, `lock-out grows: ${retries[0]} → ${retries.at(-1)}`);
    // Even the right code is refused from the locked address.
    assert.equal((await f.api('POST', '/api/v1/join', { code: r.displayCode }, null)).status, 429);
  } finally {
    await f.stop();
  }
});

test('once the global budget is spent, 1,000 fresh addresses get a bounded number of guesses in the hour; the alarm fires once', async (t) => {
  const b = await startClockedBroker();
  try {
    const r = (await b.api('POST', '/api/v1/session-requests', { recipientName: 'Ada' })).body;
    const alarms = async () =>
      ((await b.api('GET', '/api/v1/admin/outbox')).body.items as { kind: string; to: string }[]).filter(
        (m) => m.kind === 'join_guessing_alarm',
      );
    const guess = (from: string, code: string) =>
      b.api('POST', '/api/v1/join', { code }, { from, token: null });
    // Spend the budget (200, less what leaked meanwhile): wrong codes, one from each of 250 addresses.
    const spending: number[] = [];
    for (let i = 0; i < 250; i += 25) {
      const batch = Array.from({ length: 25 }, (_, k) =>
        guess(`10.1.${Math.floor((i + k) / 250)}.${(i + k) % 250}`, wrongCode(i + k)),
      );
      spending.push(...(await Promise.all(batch)).map((res) => res.status));
    }
    const looked = spending.filter((s) => s === 404).length;
    assert.ok(looked >= 200 && looked < 200 + 2 * RESERVE_PER_MINUTE, `${looked} looked up while spending`);
    const told = await waitFor(
      async () => (await alarms()).length > 0 && (await alarms()),
      5000,
      'the alarm',
    );
    assert.deepEqual(
      told.map((m) => m.to),
      [ADMIN.email],
    );

    // The hour after: 1,000 fresh addresses, each trying again every five minutes (12,000 attempts).
    const fresh = Array.from({ length: 1000 }, (_, i) => `10.2.${Math.floor(i / 250)}.${i % 250}`);
    let wrong = 0;
    let firstRound = 0;
    const statuses = new Map<number, number>();
    for (let i = 0; i < 12_000; i += 20) {
      const batch = Array.from({ length: 20 }, (_, k) =>
        guess(fresh[(i + k) % 1000]!, wrongCode(1000 + i + k)),
      );
      b.advance(20 * 300);
      for (const [k, res] of (await Promise.all(batch)).entries()) {
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 404) {
          wrong++;
          if (i + k < 1000) firstRound++;
        }
      }
    }
    const bound = RESERVE_PER_MINUTE + 60 * RESERVE_PER_MINUTE;
    t.diagnostic(
      `wrong guesses by 1,000 fresh addresses in the hour after the budget was spent: ${wrong} ` +
        `(bound ${bound}; ${firstRound} in the first round; statuses ${JSON.stringify([...statuses])})`,
    );
    assert.equal(statuses.get(200), undefined);
    assert.ok(wrong <= bound, `${wrong} wrong guesses > ${bound}`);
    // The first round takes five minutes: the reserve's burst and five minutes of it.
    assert.ok(firstRound <= RESERVE_PER_MINUTE * 6, `fresh addresses do not each get a guess: ${firstRound}`);
    assert.equal((await alarms()).length, 1, 'the alarm fires once');

    // A person with the right code, from an address that never missed, still gets in (within the reserve).
    let res = await guess('10.9.9.9', r.displayCode);
    if (res.status === 429) {
      b.advance(Number(res.headers.get('retry-after')) * 1000);
      res = await guess('10.9.9.9', r.displayCode);
    }
    assert.equal(res.status, 200, JSON.stringify(res.body));
  } finally {
    await b.stop();
    b.cleanup();
  }
});

test('IPv6 counts by /64 (the prefix is configurable)', async () => {
  for (const [prefix, expected] of [
    ['64', 5],
    ['128', 50],
  ] as const) {
    const b = await startClockedBroker({ BECKON_THROTTLE_IPV6_PREFIX: prefix });
    try {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          b.api(
            'POST',
            '/api/v1/join',
            { code: wrongCode(i) },
            { from: `2001:db8:1:2:${i.toString(16)}::1`, token: null },
          ),
        ),
      );
      const looked = results.filter((res) => res.status === 404).length;
      assert.equal(looked, expected, `prefix /${prefix}: ${looked} guesses looked up`);
      assert.ok(results.every((res) => res.status === 404 || res.status === 429));
    } finally {
      await b.stop();
      b.cleanup();
    }
  }
});

test('wrong, expired and closed codes get the same answer in the same time', async (t) => {
  // 450 misses from fresh addresses: a budget this test is not about must not ration them.
  const f = await startFixture({ BECKON_JOIN_MISS_BUDGET: '100000' });
  try {
    const codes = { wrong: [] as string[], expired: [] as string[], closed: [] as string[] };
    const soon = new Date(Date.now() + 1500).toISOString();
    for (let i = 0; i < 30; i++) {
      const e = (await f.api('POST', '/api/v1/session-requests', { recipientName: 'E', expiresAt: soon }))
        .body;
      codes.expired.push(e.displayCode);
      const c = (await f.api('POST', '/api/v1/session-requests', { recipientName: 'C' })).body;
      await f.api('POST', `/api/v1/session-requests/${c.id}/close`);
      codes.closed.push(c.displayCode);
      codes.wrong.push(wrongCode(i * 31 + 7));
    }
    await waitFor(
      async () =>
        (await f.api('GET', '/api/v1/session-requests?status=expired&limit=100')).body.items?.length === 30,
      10_000,
      'expiry',
    );
    const times = { wrong: [] as number[], expired: [] as number[], closed: [] as number[] };
    const bodies = new Set<string>();
    let n = 0;
    // Interleaved, each from a fresh address so no lock-out interferes; several rounds for stable medians.
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 30; i++) {
        for (const kind of ['wrong', 'expired', 'closed'] as const) {
          const from = `127.2.${Math.floor(n / 250)}.${1 + (n % 250)}`;
          n++;
          const res = await joinFrom(f, from, { code: codes[kind][i] });
          assert.equal(res.status, 404, kind);
          times[kind].push(res.ms);
          bodies.add(res.body);
        }
      }
    }
    assert.equal(bodies.size, 1, `one answer for all: ${[...bodies].join(' | ')}`);
    const m = { wrong: median(times.wrong), expired: median(times.expired), closed: median(times.closed) };
    const spread = Math.max(m.wrong, m.expired, m.closed) - Math.min(m.wrong, m.expired, m.closed);
    t.diagnostic(`join medians (ms): ${JSON.stringify(m)}`);
    assert.ok(spread < 1, `medians within 1 ms: ${JSON.stringify(m)}`);
  } finally {
    await f.stop();
  }
});
