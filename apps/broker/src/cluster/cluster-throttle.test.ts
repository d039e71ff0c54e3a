import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, test } from 'node:test';
import { AuditAction } from '@beckon/protocol';
import { startCluster, type Cluster } from '../testing/cluster.ts';
import { login, request, sleep, waitFor } from '../testing/fixture.ts';

/**
 * Guesses spread over three brokers behind haproxy count as on one broker:
 * three real brokers, one Redis, real haproxy. Source addresses are real
 * loopback addresses (Linux routes all of 127/8 to lo), which haproxy puts in
 * X-Forwarded-For for the brokers.
 */
let cluster: Cluster;
before(async () => {
  cluster = await startCluster({ brokers: 3 });
});
after(() => cluster.stop());

function joinFrom(base: string, from: string, code: string): Promise<number> {
  const url = new URL('/api/v1/join', base);
  const payload = JSON.stringify({ code });
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
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Misses the tests before the global budget's have counted (they spend some of it). */
let earlierMisses = 0;

const wrongCode = (i: number) => `s${String(10_000_000 + ((i * 7_919) % 89_999_999)).padStart(8, '0')}`;

function tally(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

test('10,000 wrong codes from one address, spread over three brokers, are throttled exactly as on one', async () => {
  const statuses: number[] = [];
  const t0 = performance.now();
  // Straight to the brokers in turn (b1, b2, b3, b1, …), so the spread is certain; one at a
  // time, so the count does not depend on how lookups in flight interleave (see README).
  for (let i = 0; i < 10_000; i++)
    statuses.push(await joinFrom(cluster.brokers[i % 3]?.url ?? '', '127.0.0.2', wrongCode(i)));
  const ms = performance.now() - t0;
  // One broker lets exactly 5 misses through, then locks the address out for good (the lock-out
  // doubles with every knock); three brokers each counting alone would let 15 through.
  assert.deepEqual(tally(statuses), { 404: 5, 429: 9_995 });
  earlierMisses += 5;
  console.log(
    `10,000 wrong codes over three brokers in ${Math.round(ms)} ms: ${JSON.stringify(tally(statuses))}`,
  );
});

test('a burst of 300 concurrent wrong codes from one address over three brokers gets the 5 lookups one broker gives', async () => {
  // All sent at once, round-robin over the brokers: each lookup in flight counts as a miss on every
  // broker until it is over, so the sixth is refused wherever it lands (without that, all 300 got through).
  const statuses = await Promise.all(
    Array.from({ length: 300 }, (_, i) =>
      joinFrom(cluster.brokers[i % 3]?.url ?? '', '127.0.0.3', wrongCode(20_000 + i)),
    ),
  );
  assert.deepEqual(tally(statuses), { 404: 5, 429: 295 });
  earlierMisses += 5;
});

test('misses from 1,000 addresses through haproxy spend the one global budget, and the alarm is raised once', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 1000; i += 25) {
    const batch = await Promise.all(
      Array.from({ length: 25 }, (_, k) => {
        const n = i + k;
        return joinFrom(cluster.url, `127.1.${Math.floor(n / 250)}.${(n % 250) + 1}`, wrongCode(50_000 + n));
      }),
    );
    statuses.push(...batch);
  }
  const counts = tally(statuses);
  // The budget is 200 misses (decaying by half a minute... a few more slip in while it decays)
  // plus a reserve of 4 a minute once it is spent; three budgets of their own would let 600 through.
  const missed = counts[404] ?? 0;
  const total = missed + earlierMisses;
  assert.ok(total >= 200 && total <= 220, `misses let through: ${missed} (and ${earlierMisses} before)`);
  assert.equal(missed + (counts[429] ?? 0), 1000);
  const token = await login(cluster.url, cluster.admin.email, cluster.admin.password);
  const alarms = async () => {
    const page = await request(
      cluster.url,
      'GET',
      `/api/v1/audit?action=${AuditAction.JOIN_GUESSING_ALARM}`,
      undefined,
      token,
    );
    assert.equal(page.status, 200);
    return (page.body.items as unknown[]).length;
  };
  await waitFor(alarms, 5000, 'the alarm in the audit log');
  await sleep(1000);
  assert.equal(await alarms(), 1, 'one alarm for the whole cluster');
  console.log(`1,000 addresses through haproxy: ${JSON.stringify(counts)}`);
});
