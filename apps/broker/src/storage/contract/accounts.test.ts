import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { contract } from './harness.ts';
import { at, auditDraft, seedOrg, userRecord } from './seed.ts';

contract('orgs: setup happens once; the organisation is read back', async ({ storage }) => {
  assert.equal(await storage.orgs.isSetUp(), false);
  const { org, admin } = await seedOrg(storage);
  assert.equal(await storage.orgs.isSetUp(), true);
  assert.deepEqual(await storage.orgs.get(org.id), org);
  assert.equal(await storage.orgs.get(randomUUID()), null);
  const again = { id: randomUUID(), name: 'Other', createdAt: at(1) };
  assert.equal(await storage.orgs.setupOnce(again, userRecord(again.id, { role: 'admin' })), false);
  assert.equal(await storage.orgs.get(again.id), null, 'a refused setup writes nothing');
  assert.deepEqual(await storage.users.byId(admin.id), admin);
});

contract(
  'users: create, look up, list without secrets, update; audit drafts commit with them',
  async ({ storage }) => {
    const { org, admin } = await seedOrg(storage);
    const u = userRecord(org.id, { email: 'bob@example.com' });
    await storage.users.create(u, [auditDraft(org.id, 1)]);
    assert.deepEqual(await storage.users.byEmail('bob@example.com'), u);
    assert.equal(await storage.users.byEmail('nobody@example.com'), null);
    const listed = await storage.users.list(org.id);
    assert.deepEqual(
      listed.map((x) => x.email),
      ['admin@example.com', 'bob@example.com'],
    );
    assert.ok(
      listed.every((x) => !('passwordHash' in x)),
      'no password hashes in a list',
    );
    await storage.users.update(u.id, { name: 'Robert', role: 'admin', disabled: true }, [
      auditDraft(org.id, 2),
    ]);
    const updated = await storage.users.byId(u.id);
    assert.deepEqual([updated?.name, updated?.role, updated?.disabled], ['Robert', 'admin', true]);
    assert.deepEqual(
      (await storage.users.listAdmins()).map((x) => x.id),
      [admin.id],
      'disabled admins hear nothing',
    );
    await storage.users.update(u.id, {});
    assert.equal((await storage.audit.head()).seq, 2);
    await assert.rejects(
      storage.users.create({ ...u, id: randomUUID() }, [auditDraft(org.id, 3)]),
      'an email is taken once',
    );
    assert.equal((await storage.audit.head()).seq, 2, 'the refused create appended nothing');
  },
);

contract('auth sessions: create, look up, revoke, purge the expired', async ({ storage }) => {
  const { admin } = await seedOrg(storage);
  const s = { tokenHash: 'a'.repeat(64), userId: admin.id, createdAt: at(0), expiresAt: at(60) };
  await storage.authSessions.create(s, [auditDraft(admin.orgId, 1)]);
  assert.deepEqual(await storage.authSessions.byTokenHash(s.tokenHash), s);
  await storage.authSessions.create({ ...s, tokenHash: 'b'.repeat(64), expiresAt: at(10) });
  assert.equal(await storage.authSessions.purgeExpired(at(30)), 1);
  assert.equal(await storage.authSessions.byTokenHash('b'.repeat(64)), null);
  await storage.authSessions.revoke(s.tokenHash, [auditDraft(admin.orgId, 2)]);
  assert.equal(await storage.authSessions.byTokenHash(s.tokenHash), null);
  assert.equal((await storage.audit.head()).seq, 2);
});

contract('queues and devices: create, list, get, membership, ownership', async ({ storage }) => {
  const { org, admin } = await seedOrg(storage);
  const q = { id: randomUUID(), name: 'Level 1', memberIds: [admin.id], createdAt: at(1) };
  await storage.queues.create(org.id, q, [auditDraft(org.id, 1)]);
  assert.deepEqual(await storage.queues.get(org.id, q.id), q);
  assert.equal(await storage.queues.get(randomUUID(), q.id), null);
  assert.deepEqual(await storage.queues.list(org.id), [q]);
  assert.deepEqual(await storage.queues.ofMember(admin.id), [q.id]);
  // A member who does not exist: the whole queue is refused, its row too.
  const bad = { id: randomUUID(), name: 'Ghosts', memberIds: [randomUUID()], createdAt: at(2) };
  await assert.rejects(storage.queues.create(org.id, bad));
  assert.equal(await storage.queues.get(org.id, bad.id), null);

  const d = {
    id: randomUUID(),
    userId: admin.id,
    name: 'Laptop',
    platform: 'linux' as const,
    createdAt: at(3),
    lastSeenAt: null,
  };
  await storage.devices.register(org.id, d);
  assert.deepEqual(await storage.devices.get(org.id, d.id), d);
  assert.deepEqual(await storage.devices.list(org.id), [d]);
  assert.deepEqual(await storage.devices.ofUser(admin.id), [d.id]);
  assert.equal(await storage.devices.get(randomUUID(), d.id), null);
});
