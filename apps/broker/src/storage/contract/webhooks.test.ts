import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { WebhookEventType } from '@beckon/protocol';
import type { QueuedWebhookEvent, WebhookRecord } from '../helpdesk-types.ts';
import type { Storage } from '../types.ts';
import { contract } from './harness.ts';
import { at, auditDraft, seedOrg } from './seed.ts';

const endpoint = (
  orgId: string,
  events: WebhookEventType[],
  over: Partial<WebhookRecord> = {},
): WebhookRecord => ({
  id: randomUUID(),
  orgId,
  url: 'https://hooks.example.com/beckon',
  events,
  description: null,
  secretSalt: randomUUID(),
  active: true,
  signing: 'both',
  createdAt: at(0),
  updatedAt: at(0),
  ...over,
});

const event = (
  orgId: string | null,
  chain: string,
  s: number,
  type: WebhookEventType = 'audit.head',
): QueuedWebhookEvent => {
  const eventId = randomUUID();
  return {
    orgId,
    requestId: null,
    chain,
    eventId,
    type,
    occurredAt: at(s),
    payload: JSON.stringify({ id: eventId, s }),
  };
};

async function oneEndpoint(storage: Storage) {
  const { org } = await seedOrg(storage);
  const w = endpoint(org.id, ['audit.head']);
  await storage.webhooks.create(w);
  return { org, w };
}

contract(
  'webhooks: endpoints are created, read, updated, removed; audit drafts commit with them',
  async ({ storage }) => {
    const { org } = await seedOrg(storage);
    const w = endpoint(org.id, ['case.created']);
    await storage.webhooks.create(w, [auditDraft(org.id, 1)]);
    assert.deepEqual(await storage.webhooks.get(org.id, w.id), { ...w, lastDelivery: null });
    assert.equal(await storage.webhooks.get(randomUUID(), w.id), null);
    assert.equal((await storage.audit.head()).seq, 1);
    assert.equal(
      await storage.webhooks.update(org.id, w.id, { active: false, url: 'https://x.example.com/' }, at(5)),
      true,
    );
    const updated = await storage.webhooks.get(org.id, w.id);
    assert.equal(updated?.active, false);
    assert.equal(updated?.url, 'https://x.example.com/');
    assert.equal(updated?.updatedAt, at(5));
    assert.deepEqual(await storage.webhooks.activeEndpoints(), [], 'a paused endpoint is not sent to');
    assert.equal(await storage.webhooks.update(org.id, randomUUID(), { active: true }, at(6)), false);
    assert.equal(await storage.webhooks.remove(org.id, w.id, at(7), [auditDraft(org.id, 2)]), true);
    assert.equal(await storage.webhooks.remove(org.id, w.id, at(8)), false, 'removed once');
    assert.deepEqual(await storage.webhooks.list(org.id), []);
    assert.equal((await storage.audit.head()).seq, 2);
  },
);

contract(
  'webhooks: an event is queued for every subscribed endpoint, paused ones included',
  async ({ storage }) => {
    const { org } = await seedOrg(storage);
    const a = endpoint(org.id, ['audit.head', 'security.alarm']);
    const b = endpoint(org.id, ['audit.head'], { active: false });
    const c = endpoint(org.id, ['case.created']);
    for (const w of [a, b, c]) await storage.webhooks.create(w);
    const e = event(null, '', 1);
    assert.equal(await storage.webhooks.broadcast(e, [auditDraft(null, 1)]), 2);
    const [da] = await storage.webhooks.deliveries(org.id, a.id, undefined, 10);
    const [db] = await storage.webhooks.deliveries(org.id, b.id, 'pending', 10);
    assert.equal(da?.eventId, e.eventId);
    assert.equal(db?.eventId, e.eventId);
    assert.notEqual(da?.id, db?.id, 'each delivery has its own id');
    assert.deepEqual(await storage.webhooks.deliveries(org.id, c.id, undefined, 10), []);
    assert.equal((await storage.audit.head()).seq, 1);
    assert.deepEqual((await storage.webhooks.activeEndpoints()).sort(), [a.id, c.id].sort());
  },
);

contract(
  'webhooks: claims take chain heads in order; a retry keeps the delivery id; delivered ends it',
  async ({ storage }) => {
    const { org, w } = await oneEndpoint(storage);
    await storage.webhooks.broadcast(event(org.id, 'case-1', 1));
    await storage.webhooks.broadcast(event(org.id, 'case-1', 2));
    await storage.webhooks.broadcast(event(org.id, 'case-2', 3));
    const heads = await storage.webhooks.claim(w.id, 'a', at(10), at(70), 10);
    assert.deepEqual(
      heads.map((d) => [d.chain, JSON.parse(d.payload).s]),
      [
        ['case-1', 1],
        ['case-2', 3],
      ],
    );
    assert.equal(heads[0]?.url, w.url);
    assert.equal(heads[0]?.secretSalt, w.secretSalt);
    const head = heads[0]!;
    assert.equal(
      await storage.webhooks.markRetry(head.seq, 'a', {
        at: at(11),
        statusCode: 503,
        error: 'HTTP 503',
        nextAttemptAt: at(40),
        failed: false,
      }),
      true,
    );
    assert.equal(
      await storage.webhooks.nextDueAt(),
      at(3),
      'case-2 head is due first (still held, still pending)',
    );
    const retried = await storage.webhooks.claim(w.id, 'a', at(40), at(100), 10);
    const again = retried.find((d) => d.chain === 'case-1');
    assert.equal(again?.id, head.id, 'the same delivery id on the retry');
    assert.equal(again?.attempts, 1);
    assert.equal(await storage.webhooks.markDelivered(head.seq, at(41), 204), true);
    assert.equal(await storage.webhooks.markDelivered(head.seq, at(42), 204), false, 'delivered once');
    const next = await storage.webhooks.claim(w.id, 'a', at(50), at(110), 10);
    assert.deepEqual(next.map((d) => JSON.parse(d.payload).s).sort(), [2, 3], 'the chain moves on');
    const got = await storage.webhooks.get(org.id, w.id);
    assert.deepEqual(got?.lastDelivery, { status: 'pending', at: at(3), statusCode: null }, 'the newest');
  },
);

contract(
  "webhook leases: a held head is nobody else's, and holds its chain; abandoned, it is claimed after its lease",
  async (db) => {
    const { org, w } = await oneEndpoint(db.storage);
    const other = await db.another();
    await db.storage.webhooks.broadcast(event(org.id, 'case-1', 1));
    await db.storage.webhooks.broadcast(event(org.id, 'case-1', 2));
    const [mine] = await db.storage.webhooks.claim(w.id, 'a', at(10), at(70), 10);
    assert.ok(mine);
    assert.deepEqual(
      await other.webhooks.claim(w.id, 'b', at(20), at(80), 10),
      [],
      'neither the head nor what waits behind it',
    );
    const [taken] = await other.webhooks.claim(w.id, 'b', at(70), at(130), 10);
    assert.equal(taken?.id, mine.id, 'the same delivery, with the same id, after a dies');
    assert.equal(
      await db.storage.webhooks.markRetry(mine.seq, 'a', {
        at: at(71),
        statusCode: null,
        error: 'late',
        nextAttemptAt: at(80),
        failed: false,
      }),
      false,
      'a no longer holds it',
    );
    assert.equal(await other.webhooks.markDelivered(taken.seq, at(72), 200), true);
  },
);

contract('webhook release: the holder gives back pending heads at once; nothing else changes', async (db) => {
  const { org, w } = await oneEndpoint(db.storage);
  const other = await db.another();
  for (let i = 0; i < 3; i++) await db.storage.webhooks.broadcast(event(org.id, `case-${i}`, i));
  const heads = await db.storage.webhooks.claim(w.id, 'a', at(10), at(600), 10);
  assert.equal(heads.length, 3);
  const [one, two, three] = heads as [(typeof heads)[0], (typeof heads)[0], (typeof heads)[0]];
  assert.equal(await db.storage.webhooks.markDelivered(one.seq, at(11), 200), true);
  assert.equal(await other.webhooks.release([two.seq, three.seq], 'b'), 0, 'only the holder releases');
  assert.deepEqual(await other.webhooks.claim(w.id, 'b', at(12), at(600), 10), [], 'still held by a');
  assert.equal(
    await other.webhooks.release([one.seq, two.seq, three.seq], 'a'),
    2,
    'a delivered one is not pending',
  );
  assert.equal(await other.webhooks.release([], 'a'), 0);
  const taken = await other.webhooks.claim(w.id, 'b', at(13), at(600), 10);
  assert.deepEqual(
    taken.map((d) => [d.id, d.attempts]).sort(),
    [
      [two.id, 0],
      [three.id, 0],
    ].sort(),
    'free at once, well before the lease would have run out, attempts unchanged',
  );
});

contract('webhook leases: two brokers claiming at once never take the same delivery', async (db) => {
  const { org, w } = await oneEndpoint(db.storage);
  const other = await db.another();
  for (let i = 0; i < 30; i++) await db.storage.webhooks.broadcast(event(org.id, `case-${i % 10}`, i));
  const work = async (store: Storage, owner: string) => {
    const sent: string[] = [];
    for (;;) {
      const batch = await store.webhooks.claim(w.id, owner, at(100), at(160), 2);
      if (batch.length === 0) return sent;
      for (const d of batch) {
        sent.push(d.id);
        await store.webhooks.markDelivered(d.seq, at(101), 200);
      }
    }
  };
  const [a, b] = await Promise.all([work(db.storage, 'a'), work(other, 'b')]);
  assert.equal(new Set([...a, ...b]).size, a.length + b.length, 'no delivery claimed twice');
  assert.equal(a.length + b.length, 30);
});

contract(
  'webhooks: failed for good, redelivered at once; removing an endpoint fails what is pending',
  async ({ storage }) => {
    const { org, w } = await oneEndpoint(storage);
    await storage.webhooks.broadcast(event(org.id, 'c', 1));
    await storage.webhooks.broadcast(event(org.id, 'd', 2));
    const [d] = await storage.webhooks.claim(w.id, 'a', at(10), at(70), 1);
    await storage.webhooks.markRetry(d!.seq, 'a', {
      at: at(11),
      statusCode: 410,
      error: 'HTTP 410',
      nextAttemptAt: at(20),
      failed: true,
    });
    const [failed] = await storage.webhooks.deliveries(org.id, w.id, 'failed', 10);
    assert.equal(failed?.id, d!.id);
    assert.equal(failed?.lastStatusCode, 410);
    assert.equal(await storage.webhooks.redeliver(org.id, w.id, d!.id, at(30)), true);
    assert.equal(await storage.webhooks.redeliver(org.id, w.id, d!.id, at(31)), false, 'only a failed one');
    assert.equal(await storage.webhooks.remove(org.id, w.id, at(40)), true);
    assert.equal((await storage.webhooks.deliveries(org.id, w.id, 'pending', 10)).length, 0);
    assert.equal((await storage.webhooks.deliveries(org.id, w.id, 'failed', 10)).length, 2);
    assert.equal(await storage.webhooks.nextDueAt(), null);
  },
);
