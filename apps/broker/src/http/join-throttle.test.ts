import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { startFixture, waitFor, type Fixture } from '../test-support/fixture.ts';

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

test('misses spread over 1,000 addresses trip the global budget; a clean address still gets in', async () => {
  const f = await startFixture();
  try {
    const r = (await f.api('POST', '/api/v1/session-requests', { recipientName: 'Ada' })).body;
    const addresses = Array.from(
      { length: 1000 },
      (_, i) => `127.0.${10 + Math.floor(i / 250)}.${1 + (i % 250)}`,
    );
    const first: number[] = [];
    for (let i = 0; i < addresses.length; i += 25) {
      const batch = addresses.slice(i, i + 25);
      first.push(
        ...(await Promise.all(batch.map((a, k) => joinFrom(f, a, { code: wrongCode(i + k) })))).map(
          (x) => x.status,
        ),
      );
    }
    // Every first guess is looked up (each address is clean), which spends the global budget.
    assert.ok(first.every((s) => s === 404));
    // Now every address that has missed is slowed, even with the right code.
    const second = await Promise.all(
      addresses.slice(0, 50).map((a, i) => joinFrom(f, a, { code: wrongCode(5000 + i) })),
    );
    assert.ok(second.every((x) => x.status === 429));
    assert.equal((await joinFrom(f, addresses[60]!, { code: r.displayCode })).status, 429);
    // An address that never missed is not punished for the others.
    assert.equal((await joinFrom(f, '127.0.99.1', { code: r.displayCode })).status, 200);
  } finally {
    await f.stop();
  }
});

test('wrong, expired and closed codes get the same answer in the same time', async (t) => {
  const f = await startFixture();
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
