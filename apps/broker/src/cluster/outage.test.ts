import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PG_MIGRATIONS } from '../storage/postgres/migrations/index.ts';
import { startCluster, type Cluster } from '../testing/cluster.ts';
import { login, request, sleep, waitFor } from '../testing/fixture.ts';
import { serviceNowTicket as ticket, startHelpdeskSim, type HelpdeskSim } from '../testing/helpdesk-sim.ts';
import { pgRows as query } from '../testing/postgres-server.ts';
import { freePort } from '../testing/free-port.ts';
import { startSmtpSink, type SmtpSink } from '../testing/smtp-sink.ts';

/**
 * Issue 19's outage: three brokers started at the same moment on a fresh
 * PostgreSQL, an SMTP server and a webhook receiver that are down (nothing
 * listens on their ports) while work is queued on every broker and brokers are
 * SIGKILLed and restarted; once both come up, every mail and every delivery
 * arrives, each once. Nothing was half-sent (the receivers refused every
 * connection), so there is no ambiguous send to excuse a duplicate.
 */

const countBy = (keys: string[]) => {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
};
const header = (raw: string, name: string) => new RegExp(`^${name}:\\s*(\\S+)`, 'im').exec(raw)?.[1] ?? '?';

test('three brokers started at once migrate once; mails and webhooks queued during an SMTP and receiver outage, through SIGKILLs and restarts, each arrive once', async () => {
  // The receivers' ports are chosen now; nothing listens there until the end.
  const smtpPort = await freePort();
  const hookPort = await freePort();
  let cluster: Cluster | undefined;
  let sink: SmtpSink | undefined;
  let sim: HelpdeskSim | undefined;
  const t0 = Date.now();
  // OUTAGE_TRACE=1 prints where the time goes (a loaded machine makes broker starts slow).
  const mark = (what: string) => process.env.OUTAGE_TRACE && console.log(`${Date.now() - t0} ms: ${what}`);
  try {
    cluster = await startCluster({
      brokers: 3,
      together: true,
      env: {
        BECKON_SMTP_URL: `smtp://127.0.0.1:${smtpPort}?ignoreTLS=true`,
        BECKON_WEBHOOK_ALLOWLIST: '127.0.0.1',
        BECKON_MAIL_RETRY_BASE_MS: '100',
        BECKON_MAIL_RETRY_MAX_MS: '400',
        BECKON_WEBHOOK_RETRY_BASE_MS: '100',
        BECKON_WEBHOOK_RETRY_MAX_MS: '400',
        BECKON_WEBHOOK_TIMEOUT_MS: '1000',
        // A kill landing between a claim and its outcome leaves the rows leased: short here, so
        // the takeover after the lease happens within the test (by default minutes).
        BECKON_WORKER_LEASE_MS: '4000',
      },
    });
    const c = cluster;
    mark('cluster up');
    const db = c.databaseUrl;

    // Every broker came up on the database the three raced to migrate: each migration recorded
    // once, and one organisation with one administrator (first-run setup raced too).
    const applied = await query<{ id: string; n: string }>(
      db,
      'SELECT id, count(*) AS n FROM schema_migrations GROUP BY id ORDER BY id',
    );
    assert.deepEqual(
      applied.map((r) => [r.id, Number(r.n)]),
      PG_MIGRATIONS.map((m) => [m.id, 1]).sort(),
    );
    assert.equal(Number((await query<{ n: string }>(db, 'SELECT count(*) AS n FROM orgs'))[0]!.n), 1);
    assert.equal(Number((await query<{ n: string }>(db, 'SELECT count(*) AS n FROM users'))[0]!.n), 1);
    for (const b of c.brokers) assert.equal((await request(b.url, 'GET', '/healthz')).status, 200);

    const admin = await login(c.url, c.admin.email, c.admin.password);
    const hook = await request(
      c.url,
      'POST',
      '/api/v1/webhooks',
      { url: `http://127.0.0.1:${hookPort}/hooks/beckon`, events: ['case.created', 'case.closed'] },
      admin,
    );
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    const integration = (
      await request(
        c.url,
        'POST',
        '/api/v1/api-tokens',
        { name: 'SN', scopes: ['service_cases:write'] },
        admin,
      )
    ).body.secret as string;

    /** Recipients whose invite was committed (a 201), and cases to close later. */
    const invited: string[] = [];
    const cases: { id: string; broker: number }[] = [];
    let n = 0;
    /** A case (invite + case.created) and a session request with an invite, on broker `i`. */
    const work = async (i: number) => {
      const url = c.brokers[i]!.url;
      const k = n++;
      const email = `case${k}@example.com`;
      const made = await request(
        url,
        'POST',
        '/api/v1/service-cases',
        { recipientName: `Case ${k}`, recipientEmail: email, ticket: ticket(`SN-${k}`) },
        integration,
      ).catch(() => null);
      if (made?.status === 201) {
        invited.push(email);
        cases.push({ id: made.body.id as string, broker: i });
      }
      const asked = `request${k}@example.com`;
      const req = await request(
        url,
        'POST',
        '/api/v1/session-requests',
        { recipientName: `Request ${k}`, recipientEmail: asked, sendInvite: true },
        admin,
      ).catch(() => null);
      if (req?.status === 201) invited.push(asked);
    };
    const closeOne = async (i: number) => {
      const open = cases.shift();
      if (!open) return;
      const res = await request(
        c.brokers[i]!.url,
        'POST',
        `/api/v1/service-cases/${open.id}/close`,
        undefined,
        integration,
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
    };
    const attempted = async () =>
      (
        await query<{ mails: string; hooks: string }>(
          db,
          `SELECT (SELECT count(*) FROM outbox WHERE attempts > 0) AS mails,
                  (SELECT count(*) FROM webhook_deliveries WHERE attempts > 0) AS hooks`,
        )
      )[0]!;

    // Work on every broker; the workers try, fail and back off.
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) await work(i);
    await waitFor(
      async () => {
        const a = await attempted();
        return Number(a.mails) > 0 && Number(a.hooks) > 0;
      },
      10_000,
      'failed attempts while the receivers are down',
    );

    mark('attempts seen');
    // Rounds of kills and restarts, a different broker each time, with work (and a kill in the
    // middle of it) on the others meanwhile.
    for (let round = 0; round < 3; round++) {
      const victim = round % 3;
      const others = [0, 1, 2].filter((i) => i !== victim);
      const burst = Promise.all([work(victim), work(victim), ...others.map((i) => work(i))]);
      await sleep(20 + round * 15);
      await c.brokers[victim]!.kill();
      await burst;
      for (const i of others) {
        await work(i);
        await closeOne(i);
      }
      await sleep(300);
      mark(`round ${round}: restarting`);
      await c.brokers[victim]!.restart();
      mark(`round ${round}: restarted`);
      await work(victim);
      await closeOne(victim);
    }
    // A graceful restart too (SIGTERM: the workers stop mid-backoff).
    await c.brokers[1]!.restart();
    await work(1);
    for (let i = 0; i < 3; i++) await closeOne(i);
    await sleep(500);

    const pending = await query<{ n: string }>(
      db,
      `SELECT (SELECT count(*) FROM outbox WHERE status <> 'pending') +
              (SELECT count(*) FROM webhook_deliveries WHERE status <> 'pending') AS n`,
    );
    assert.equal(
      Number(pending[0]!.n),
      0,
      'nothing went out (or failed for good) while the receivers were down',
    );

    mark('receivers up');
    // Both come back on the ports the brokers were configured with.
    const posts: string[] = [];
    const upAt = Date.now();
    sink = await startSmtpSink({ port: smtpPort });
    sim = await startHelpdeskSim({
      port: hookPort,
      handler(req) {
        posts.push(String(req.headers['beckon-delivery'] ?? ''));
        return false;
      },
    });
    sim.secret = hook.body.secret as string;

    const settled = async () =>
      (
        await query<{ n: string }>(
          db,
          `SELECT (SELECT count(*) FROM outbox WHERE status = 'pending') +
                  (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending') AS n`,
        )
      )[0]!.n === '0';
    await waitFor(settled, 30_000, 'every mail sent and every delivery delivered').catch(
      async (err: Error) => {
        // What is left, and who holds it: a lease left by a killed broker shows here.
        const left = await query(
          db,
          `SELECT 'mail' AS kind, id::text, attempts, next_attempt_at, lease_owner, lease_until FROM outbox WHERE status = 'pending'
         UNION ALL SELECT 'delivery', id, attempts, next_attempt_at, lease_owner, lease_until
           FROM webhook_deliveries WHERE status = 'pending'`,
        );
        throw new Error(`${err.message} at ${new Date().toISOString()}: ${JSON.stringify(left)}`, {
          cause: err,
        });
      },
    );
    const drainMs = Date.now() - upAt;
    await sleep(1500); // a duplicate would arrive now

    const mails = await query<{ id: string; status: string }>(
      db,
      'SELECT id::text AS id, status FROM outbox ORDER BY id',
    );
    const deliveries = await query<{ id: string; status: string }>(
      db,
      'SELECT id, status FROM webhook_deliveries ORDER BY seq',
    );
    assert.ok(mails.every((m) => m.status === 'sent'));
    assert.ok(deliveries.every((d) => d.status === 'delivered'));

    // Every mail once: by outbox id and by Message-ID, and every committed invite among them.
    const received = sink.received;
    const byId = countBy(received.map((m) => header(m.raw, 'X-Beckon-Outbox-Id')));
    const byMessageId = countBy(received.map((m) => header(m.raw, 'Message-ID')));
    assert.deepEqual(
      [...byId.entries()].filter(([, k]) => k > 1),
      [],
      'no mail twice',
    );
    assert.equal(byMessageId.size, received.length, 'no Message-ID twice');
    assert.deepEqual(
      [...byId.keys()].sort(),
      mails.map((m) => String(m.id)).sort(),
      'every queued mail arrived',
    );
    const to = new Set(received.flatMap((m) => m.to));
    assert.deepEqual(
      invited.filter((e) => !to.has(e)),
      [],
      'every committed invite arrived',
    );

    // Every delivery once, by its id, signed.
    const byDelivery = countBy(posts);
    assert.deepEqual(
      [...byDelivery.entries()].filter(([, k]) => k > 1),
      [],
      'no delivery twice',
    );
    assert.deepEqual(
      [...byDelivery.keys()].sort(),
      deliveries.map((d) => d.id).sort(),
      'every delivery arrived',
    );
    assert.ok(
      sim.received.every((r) => r.verified),
      'signatures verify',
    );
    const types = countBy(sim.received.map((r) => r.event.type));
    assert.ok(
      (types.get('case.created') ?? 0) >= 12 && (types.get('case.closed') ?? 0) >= 8,
      JSON.stringify([...types]),
    );
    console.log(
      `outage: ${mails.length} mails, ${deliveries.length} deliveries, each once (${invited.length} invites committed), all out ${drainMs} ms after the receivers came up`,
    );
  } finally {
    await sim?.stop();
    await sink?.stop();
    await cluster?.stop();
  }
});
