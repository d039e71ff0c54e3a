import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokerEvent } from '../domain/webhook-events.ts';
import { seedOrg } from '../storage/contract/seed.ts';
import { openSqliteStorage } from '../storage/sqlite/index.ts';
import type { Storage } from '../storage/types.ts';
import { waitFor } from '../testing/fixture.ts';
import { startHelpdeskSim, type HelpdeskSim } from '../testing/helpdesk-sim.ts';
import { webhookSecret } from './signature.ts';
import { parseAllowlist } from './url-guard.ts';
import { startWebhookWorker, type WebhookLogger } from './worker.ts';

const quiet: WebhookLogger = { info() {}, warn() {}, error() {} };
const brokerSecret = createSecretKey(randomBytes(32));

/** Two brokers (two Storage instances on one SQLite file), one endpoint at a real receiver. */
async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-webhook-leases-'));
  const file = join(dir, 'beckon.sqlite');
  const a = openSqliteStorage(file);
  const b = openSqliteStorage(file);
  const sim = await startHelpdeskSim();
  const { org } = await seedOrg(a);
  const id = randomUUID();
  const salt = randomUUID();
  await a.webhooks.create({
    id,
    orgId: org.id,
    url: sim.url,
    events: ['audit.head'],
    description: null,
    secretSalt: salt,
    active: true,
    signing: 'both',
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  });
  sim.secret = webhookSecret(brokerSecret, id, salt);
  const queue = async (n: number) => {
    for (let i = 0; i < n; i++)
      await a.webhooks.broadcast(
        brokerEvent({
          type: 'audit.head',
          occurredAt: new Date(Date.now() - 1000).toISOString(),
          data: { seq: i + 1, hash: 'a'.repeat(64), at: new Date().toISOString() },
        }),
      );
  };
  return {
    a,
    b,
    sim,
    orgId: org.id,
    webhookId: id,
    queue,
    async stop() {
      await sim.stop();
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const worker = (storage: Storage, sim: HelpdeskSim, owner: string, now?: () => Date) =>
  startWebhookWorker({
    store: storage.webhooks,
    allowlist: parseAllowlist(['127.0.0.1']),
    secretOf: (d) => webhookSecret(brokerSecret, d.webhookId, d.secretSalt),
    logger: quiet,
    limits: { timeoutMs: 2000, maxResponseBytes: 1024 },
    backoffBaseMs: 50,
    backoffMaxMs: 200,
    maxAgeMs: 600_000,
    pollMs: 20,
    owner,
    ...(now && { now }),
  });

test('two brokers sending one delivery queue: every delivery is posted once', async () => {
  const t = await setup();
  try {
    await t.queue(30);
    const workers = [worker(t.a, t.sim, 'broker-a'), worker(t.b, t.sim, 'broker-b')];
    await waitFor(() => t.sim.received.length === 30, 20_000, 'all delivered');
    await new Promise((r) => setTimeout(r, 200));
    await Promise.all(workers.map((w) => w.stop()));
    assert.equal(t.sim.hits, 30, 'no delivery posted twice');
    assert.ok(t.sim.received.every((r) => r.verified));
  } finally {
    await t.stop();
  }
});

test('a delivery keeps its id across retries and across a broker that died holding it', async () => {
  const t = await setup();
  try {
    await t.queue(1);
    // Broker a claims the delivery and dies before posting it.
    const leaseMs = 60_000;
    const [held] = await t.a.webhooks.claim(
      t.webhookId,
      'dead-broker',
      new Date().toISOString(),
      new Date(Date.now() + leaseMs).toISOString(),
      5,
    );
    assert.ok(held);
    let skewMs = 0;
    t.sim.status = 503;
    const w = worker(t.b, t.sim, 'live-broker', () => new Date(Date.now() + skewMs));
    try {
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(t.sim.hits, 0, "nothing while the dead broker's lease holds");
      skewMs = leaseMs + 1000;
      await waitFor(() => t.sim.hits >= 2, 10_000, 'posted and retried');
      t.sim.status = 200;
      await waitFor(() => t.sim.received.length === 1, 10_000, 'delivered');
    } finally {
      await w.stop();
    }
    assert.equal(t.sim.received[0]?.deliveryId, held.id, 'the id the dead broker held, through every retry');
    const [d] = await t.b.webhooks.deliveries(t.orgId, t.webhookId, 'delivered', 5);
    assert.equal(d?.id, held.id);
    assert.ok((d?.attempts ?? 0) >= 3);
  } finally {
    await t.stop();
  }
});

test('a worker stopping with heads claimed but not started gives them back: another broker takes them at once', async () => {
  const t = await setup();
  try {
    await t.queue(3);
    // Stopped before its first look's claim comes back: it claims, starts nothing, and must not keep them.
    const a = worker(t.a, t.sim, 'broker-a');
    await a.stop();
    const claimed = await waitFor(
      async () => {
        const now = new Date();
        const heads = await t.b.webhooks.claim(
          t.webhookId,
          'broker-b',
          now.toISOString(),
          new Date(now.getTime() + 60_000).toISOString(),
          10,
        );
        return heads.length > 0 && heads;
      },
      3000,
      "a's unstarted heads free, well before its lease would have run out",
    );
    assert.ok(claimed.every((d) => d.attempts === 0));
    assert.equal(t.sim.hits, 0, 'a sent nothing');
  } finally {
    await t.stop();
  }
});
