import assert from 'node:assert/strict';
import { contract } from './harness.ts';
import { at, newMail, seedOrg } from './seed.ts';

contract(
  'outbox: enqueue, claim what is due oldest first, mark sent or retry, list newest first',
  async ({ storage }) => {
    const { org } = await seedOrg(storage);
    const first = await storage.outbox.enqueue(newMail(org.id, { subject: 'one', createdAt: at(1) }));
    const second = await storage.outbox.enqueue(newMail(org.id, { subject: 'two', createdAt: at(2) }));
    await storage.outbox.enqueue(newMail(org.id, { subject: 'later', createdAt: at(100) }));
    const claimed = await storage.outbox.claim('a', at(10), at(70), 10);
    assert.deepEqual(
      claimed.map((m) => m.id),
      [first, second],
      'due ones only, oldest first',
    );
    assert.equal(claimed[0]?.html, '<p>hello</p>');
    assert.equal(await storage.outbox.markSent(first, at(11)), true);
    assert.equal(await storage.outbox.markSent(first, at(12)), false, 'sent once');
    assert.equal(await storage.outbox.markRetry(second, 'a', '451 try later', at(40), false), true);
    const listed = await storage.outbox.list(org.id, 10);
    assert.deepEqual(
      listed.map((m) => [m.subject, m.status, m.attempts]),
      [
        ['later', 'pending', 0],
        ['two', 'pending', 1],
        ['one', 'sent', 1],
      ],
    );
    assert.equal(listed[1]?.lastError, '451 try later');
    assert.deepEqual(await storage.outbox.claim('a', at(30), at(90), 10), [], 'not before its next attempt');
    assert.deepEqual(
      (await storage.outbox.claim('a', at(40), at(100), 10)).map((m) => m.id),
      [second],
    );
    assert.equal(await storage.outbox.markRetry(second, 'a', '550 no such user', at(50), true), true);
    assert.equal((await storage.outbox.list(org.id, 10))[1]?.status, 'failed');
    assert.deepEqual(
      await storage.outbox.claim('a', at(60), at(120), 10),
      [],
      'a failed mail is never claimed',
    );
  },
);

contract(
  "outbox leases: a held mail is nobody else's; an abandoned one is claimed again after its lease",
  async ({ storage }) => {
    const { org } = await seedOrg(storage);
    const id = await storage.outbox.enqueue(newMail(org.id));
    assert.equal((await storage.outbox.claim('a', at(10), at(70), 10)).length, 1);
    assert.deepEqual(await storage.outbox.claim('b', at(20), at(80), 10), [], 'held by a');
    assert.equal(
      (await storage.outbox.claim('a', at(20), at(80), 10)).length,
      1,
      'its owner claims it again',
    );
    // `a` dies without finishing: at its lease's end the mail is b's.
    assert.deepEqual(await storage.outbox.claim('b', at(79), at(139), 10), []);
    assert.deepEqual(
      (await storage.outbox.claim('b', at(80), at(140), 10)).map((m) => m.id),
      [id],
    );
    assert.equal(
      await storage.outbox.markRetry(id, 'a', 'late', at(81), false),
      false,
      'a no longer holds it',
    );
    assert.equal(await storage.outbox.markRetry(id, 'b', 'timeout', at(90), false), true);
    assert.equal(
      (await storage.outbox.list(org.id, 1))[0]?.attempts,
      1,
      'only the holder recorded an attempt',
    );
  },
);

contract('outbox leases: two brokers claiming at once never take the same mail', async (db) => {
  const { org } = await seedOrg(db.storage);
  const other = await db.another();
  const ids: number[] = [];
  for (let i = 0; i < 40; i++)
    ids.push(await db.storage.outbox.enqueue(newMail(org.id, { subject: `m${i}` })));
  // Two workers, each claiming and finishing batches as the mail worker does.
  const work = async (store: typeof other, owner: string) => {
    const sent: number[] = []; // every mail this worker claimed, and would send
    for (;;) {
      const batch = await store.outbox.claim(owner, at(10), at(70), 3);
      if (batch.length === 0) return sent;
      for (const m of batch) {
        sent.push(m.id);
        await store.outbox.markSent(m.id, at(11));
      }
    }
  };
  const [a, b] = await Promise.all([work(db.storage, 'a'), work(other, 'b')]);
  const all = [...a, ...b];
  assert.equal(new Set(all).size, all.length, 'no mail sent twice');
  assert.deepEqual(
    all.sort((x, y) => x - y),
    ids,
  );
  assert.ok(a.length > 0 && b.length > 0, 'both brokers got work');
});

contract('outbox release: the holder gives back pending mails at once; nothing else changes', async (db) => {
  const { org } = await seedOrg(db.storage);
  const other = await db.another();
  const ids: number[] = [];
  for (let i = 0; i < 3; i++)
    ids.push(await db.storage.outbox.enqueue(newMail(org.id, { subject: `m${i}`, createdAt: at(1) })));
  const [one, two, three] = ids as [number, number, number];
  assert.equal((await db.storage.outbox.claim('a', at(10), at(600), 10)).length, 3);
  assert.equal(await db.storage.outbox.markSent(one, at(11)), true);
  assert.equal(await other.outbox.release([two, three], 'b'), 0, 'only the holder releases');
  assert.deepEqual(await other.outbox.claim('b', at(12), at(600), 10), [], 'still held by a');
  assert.equal(await other.outbox.release([one, two, three], 'a'), 2, 'a sent mail is not pending');
  assert.equal(await other.outbox.release([], 'a'), 0);
  const taken = await other.outbox.claim('b', at(13), at(600), 10);
  assert.deepEqual(
    taken.map((m) => [m.id, m.attempts, m.status]),
    [
      [two, 0, 'pending'],
      [three, 0, 'pending'],
    ],
    'free at once, well before the lease would have run out, attempts unchanged',
  );
  const mails = await db.storage.outbox.list(org.id, 10);
  assert.equal(mails.find((m) => m.id === one)?.status, 'sent');
});

contract(
  'worker leases: one holder at a time, renewed by it, taken over once run out, released',
  async (db) => {
    const { leases } = db.storage;
    const other = await db.another();
    assert.equal(await leases.acquire('sweep', 'a', at(0), at(30)), true);
    assert.equal(await other.leases.acquire('sweep', 'b', at(10), at(40)), false);
    assert.equal(await leases.acquire('sweep', 'a', at(20), at(50)), true, 'renewed');
    assert.equal(await other.leases.acquire('sweep', 'b', at(40), at(70)), false, 'the renewal holds');
    assert.equal(await other.leases.acquire('sweep', 'b', at(50), at(80)), true, 'run out: taken over');
    assert.equal(await leases.acquire('sweep', 'a', at(60), at(90)), false);
    await leases.release('sweep', 'a');
    assert.equal(await leases.acquire('sweep', 'a', at(61), at(91)), false, 'only the holder releases');
    await other.leases.release('sweep', 'b');
    assert.equal(await leases.acquire('sweep', 'a', at(62), at(92)), true);
    assert.equal(await leases.acquire('other-task', 'b', at(62), at(92)), true, 'names are apart');
  },
);
