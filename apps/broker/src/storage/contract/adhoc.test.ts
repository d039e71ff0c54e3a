import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { adhocWebhook } from '../../domain/adhoc-webhooks.ts';
import type { AdhocAnnouncer, AdhocRecord } from '../adhoc-types.ts';
import type { Storage } from '../types.ts';
import { contract } from './harness.ts';
import { at, newMail, seedOrg, userRecord } from './seed.ts';

const presence = { hostname: 'pc', os: 'linux' as const, userPresent: true, screenLocked: false };

function session(orgId: string, providerId: string, over: Partial<AdhocRecord> = {}): AdhocRecord {
  return {
    id: randomUUID(),
    orgId,
    providerId,
    userName: 'Uma User',
    email: 'uma@example.com',
    language: 'en',
    comment: null,
    status: 'created',
    passwordHash: 'scrypt$x',
    hostId: null,
    createdAt: at(1),
    activatedAt: null,
    expiresAt: null,
    endedAt: null,
    endReason: null,
    removedAt: null,
    ...over,
  };
}

async function created(storage: Storage, orgId: string, providerId: string, code = randomUUID()) {
  const r = session(orgId, providerId);
  const out = await storage.adhoc.create(
    r,
    { codeHash: code, installTokenHash: randomUUID() },
    { seats: 5, orgLimit: 5 },
    newMail(orgId, { kind: 'adhoc_invite' }),
    adhocWebhook,
  );
  assert.deepEqual(out, { ok: true });
  return { r, code };
}

contract(
  'adhoc: limits are checked with the create; a refused create writes nothing',
  async ({ storage }) => {
    const { org, admin } = await seedOrg(storage);
    await storage.adhoc.setSeats(org.id, 2);
    assert.equal(await storage.adhoc.seats(org.id), 2);
    const second = userRecord(org.id);
    const third = userRecord(org.id);
    await storage.users.create(second);
    await storage.users.create(third);
    const limits = { seats: 2, orgLimit: 5 };
    const create = (providerId: string) =>
      storage.adhoc.create(
        session(org.id, providerId),
        { codeHash: randomUUID(), installTokenHash: randomUUID() },
        limits,
        newMail(org.id),
        adhocWebhook,
      );
    assert.deepEqual(await create(admin.id), { ok: true });
    assert.deepEqual(await create(admin.id), { ok: false, reason: 'provider_limit' });
    assert.deepEqual(await create(second.id), { ok: true });
    assert.deepEqual(await create(third.id), { ok: false, reason: 'no_seat' });
    assert.deepEqual(
      await storage.adhoc.create(
        session(org.id, third.id),
        { codeHash: 'x', installTokenHash: 'y' },
        { seats: 9, orgLimit: 2 },
        newMail(org.id),
        adhocWebhook,
      ),
      { ok: false, reason: 'org_limit' },
    );
    assert.equal(await storage.adhoc.activeCount(org.id), 2);
    assert.equal((await storage.outbox.list(org.id, 10)).length, 2, 'refused creates queued no invite');
    // The announcement failing rolls the whole create back.
    const failing: AdhocAnnouncer = () => {
      throw new Error('no');
    };
    await storage.adhoc.setSeats(org.id, 3);
    const r = session(org.id, third.id);
    await assert.rejects(
      storage.adhoc.create(
        r,
        { codeHash: 'z', installTokenHash: 'w' },
        { seats: 3, orgLimit: 5 },
        newMail(org.id),
        failing,
      ),
    );
    assert.equal(await storage.adhoc.get(org.id, r.id), null);
    assert.equal((await storage.outbox.list(org.id, 10)).length, 2);
  },
);

contract(
  'adhoc: the code activates once, adding the temporary host; ending deletes it; the host reports removal',
  async ({ storage }) => {
    const { org, admin } = await seedOrg(storage);
    const { r, code } = await created(storage, org.id, admin.id);
    const seen: string[] = [];
    const announce: AdhocAnnouncer = (s, e) => {
      seen.push(`${e.kind}:${s.status}`);
      return adhocWebhook(s, e);
    };
    const activation = {
      codeHash: code,
      now: at(10),
      expiresAt: at(86_410),
      removalTokenHash: 'rt',
      host: { id: randomUUID(), name: 'uma-pc', publicKey: 'pk', presence },
    };
    const ok = await storage.adhoc.activate(activation, announce);
    assert.ok(ok.ok && ok.session.status === 'activated' && ok.session.hostId === activation.host.id);
    assert.deepEqual(
      await storage.adhoc.activate(
        { ...activation, host: { ...activation.host, id: randomUUID(), publicKey: 'pk2' } },
        announce,
      ),
      { ok: false, reason: 'invalid_code' },
    );
    assert.equal((await storage.hosts.byId(activation.host.id))?.tags[0], 'ad-hoc');
    assert.equal((await storage.adhoc.byHost(activation.host.id))?.id, r.id);
    assert.equal(await storage.adhoc.byInstallToken('nope'), null);
    await storage.adhoc.addEvent(r.id, 'connection', at(20), admin.id, null, announce);
    assert.deepEqual(
      (await storage.adhoc.due(at(86_410))).map((x) => x.id),
      [r.id],
    );
    assert.deepEqual(await storage.adhoc.due(at(100)), []);

    assert.equal(await storage.adhoc.report(r.id, 'wrong', 'removed', at(30), announce), null);
    const removed = await storage.adhoc.report(r.id, 'rt', 'removed', at(30), announce);
    assert.equal(removed?.status, 'removed');
    assert.equal(removed?.endReason, 'user');
    assert.equal(await storage.hosts.byId(activation.host.id), null, 'the key opens nothing any more');
    assert.equal(
      await storage.adhoc.end(r.id, at(31), 'provider', admin.id, announce),
      null,
      'not active any more',
    );
    assert.deepEqual(seen, ['activated:activated', 'connection:activated', 'ended:ended', 'removed:removed']);
    assert.deepEqual(
      (await storage.adhoc.events(r.id)).map((e) => e.kind),
      ['created', 'activated', 'connection', 'ended', 'removed'],
    );
    assert.deepEqual(
      (await storage.adhoc.list(org.id)).map((x) => x.id),
      [r.id],
    );
    assert.equal(await storage.adhoc.get(randomUUID(), r.id), null);
  },
);

contract('adhoc: two brokers ending one session at once: exactly one ends it', async (db) => {
  const { org, admin } = await seedOrg(db.storage);
  const other = await db.another();
  const { r } = await created(db.storage, org.id, admin.id);
  const ends = await Promise.all([
    db.storage.adhoc.end(r.id, at(5), 'provider', admin.id, adhocWebhook),
    other.adhoc.end(r.id, at(5), 'expired', null, adhocWebhook),
  ]);
  assert.equal(ends.filter((e) => e !== null).length, 1);
  assert.equal((await db.storage.adhoc.events(r.id)).filter((e) => e.kind === 'ended').length, 1);
});
