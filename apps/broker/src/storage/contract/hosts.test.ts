import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { recorded } from '../../domain/grant-records.ts';
import { queuedEvent } from '../../domain/webhook-events.ts';
import type { GrantEventRecord, GrantRecord } from '../grant-types.ts';
import type { Storage } from '../types.ts';
import { contract } from './harness.ts';
import { at, seedOrg, seedRequest } from './seed.ts';

const presence = { hostname: 'pc-1', os: 'linux' as const, userPresent: true, screenLocked: false };
const rights = { connect: true, control: true, files: false, systemInfo: true };

async function enrolled(storage: Storage, orgId: string, by: string, key: string = randomUUID()) {
  const codeHash = randomUUID();
  await storage.hosts.addEnrolmentCode({
    codeHash,
    orgId,
    groupId: null,
    createdBy: by,
    createdAt: at(0),
    expiresAt: at(600),
  });
  const out = await storage.hosts.enrol(codeHash, at(1), {
    id: randomUUID(),
    name: 'PC 1',
    publicKey: key,
    presence,
    enrolledAt: at(1),
  });
  if (!out.ok) throw new Error(out.reason);
  return out.host;
}

contract(
  'hosts: a code enrols once, before it expires; a key is enrolled once; refusals change nothing',
  async ({ storage }) => {
    const { org, admin } = await seedOrg(storage);
    const group = { id: randomUUID(), orgId: org.id, name: 'Office', createdAt: at(0) };
    assert.equal(await storage.hosts.createGroup(group), true);
    assert.equal(
      await storage.hosts.createGroup({ ...group, id: randomUUID() }),
      false,
      'a name is taken once',
    );
    const code = {
      codeHash: 'c1',
      orgId: org.id,
      groupId: group.id,
      createdBy: admin.id,
      createdAt: at(0),
      expiresAt: at(60),
    };
    await storage.hosts.addEnrolmentCode(code);
    const host = { id: randomUUID(), name: 'PC', publicKey: 'k1', presence, enrolledAt: at(1) };
    assert.deepEqual(
      await storage.hosts.enrol('c1', at(61), host),
      { ok: false, reason: 'invalid_code' },
      'expired',
    );
    await storage.hosts.addEnrolmentCode({ ...code, codeHash: 'c2', expiresAt: at(600) });
    const ok = await storage.hosts.enrol('c2', at(2), host);
    assert.ok(ok.ok && ok.host.groupId === group.id && ok.host.orgId === org.id);
    assert.deepEqual(await storage.hosts.enrol('c2', at(3), { ...host, id: randomUUID(), publicKey: 'k2' }), {
      ok: false,
      reason: 'invalid_code',
    });
    await storage.hosts.addEnrolmentCode({ ...code, codeHash: 'c3', expiresAt: at(600) });
    assert.deepEqual(await storage.hosts.enrol('c3', at(4), { ...host, id: randomUUID() }), {
      ok: false,
      reason: 'key_in_use',
    });
    const again = await storage.hosts.enrol('c3', at(5), { ...host, id: randomUUID(), publicKey: 'k3' });
    assert.ok(again.ok, 'the code refused for its key was not used up');
    assert.deepEqual(await storage.hosts.groups(org.id), [group]);
    assert.deepEqual(await storage.hosts.group(org.id, group.id), group);
    assert.equal(await storage.hosts.group(randomUUID(), group.id), null);
  },
);

contract(
  'hosts: list by filter and page, update, touch presence, rotate the key, delete; rights per group',
  async ({ storage }) => {
    const { org, admin } = await seedOrg(storage);
    const a = await enrolled(storage, org.id, admin.id, 'ka');
    const b = await enrolled(storage, org.id, admin.id, 'kb');
    const group = { id: randomUUID(), orgId: org.id, name: 'Lab', createdAt: at(0) };
    await storage.hosts.createGroup(group);
    const renamed = await storage.hosts.update(org.id, a.id, {
      name: 'Alpha',
      tags: ['lab'],
      groupId: group.id,
    });
    assert.deepEqual([renamed?.name, renamed?.tags, renamed?.groupId], ['Alpha', ['lab'], group.id]);
    assert.equal(await storage.hosts.update(randomUUID(), a.id, { name: 'x' }), null);
    const list = (f: object) => storage.hosts.list({ orgId: org.id, limit: 10, ...f });
    assert.deepEqual(
      (await list({ tag: 'lab' })).map((h) => h.id),
      [a.id],
    );
    assert.deepEqual(
      (await list({ group: 'none' })).map((h) => h.id),
      [b.id],
    );
    assert.deepEqual(
      (await list({ group: group.id })).map((h) => h.id),
      [a.id],
    );
    assert.deepEqual(
      (await list({ q: 'alph' })).map((h) => h.id),
      [a.id],
    );
    assert.deepEqual(
      (await list({ limit: 1, after: { name: 'Alpha', id: a.id } })).map((h) => h.id),
      [b.id],
    );

    await storage.hosts.touchMany([
      { id: a.id, lastSeenAt: at(9), presence: { ...presence, screenLocked: true } },
      { id: b.id, lastSeenAt: at(8) },
    ]);
    const seen = await storage.hosts.byId(a.id);
    assert.equal(seen?.lastSeenAt, at(9));
    assert.equal(seen?.presence?.screenLocked, true);
    await storage.hosts.touchMany([]);

    assert.equal(await storage.hosts.rotateKey(a.id, 'wrong', 'ka2'), false);
    assert.equal(await storage.hosts.rotateKey(a.id, 'ka', 'kb'), false, 'a key in use elsewhere');
    assert.equal(await storage.hosts.rotateKey(a.id, 'ka', 'ka2'), true);
    assert.equal((await storage.hosts.byId(a.id))?.publicKey, 'ka2');

    assert.equal(await storage.hosts.rights(group.id, admin.id), null);
    await storage.hosts.setRights(group.id, admin.id, rights);
    await storage.hosts.setRights(group.id, admin.id, { ...rights, files: true });
    assert.deepEqual(await storage.hosts.rights(group.id, admin.id), { ...rights, files: true });
    assert.deepEqual(await storage.hosts.groupRights(group.id), [
      { userId: admin.id, rights: { ...rights, files: true } },
    ]);

    assert.equal(await storage.hosts.delete(org.id, b.id), true);
    assert.equal(await storage.hosts.delete(org.id, b.id), false);
    assert.equal(await storage.hosts.byId(b.id), null);
  },
);

contract(
  'grants: ask, settle once, revoke once; each event with its audit entry and webhook in one transaction',
  async ({ storage }) => {
    const { org, admin } = await seedOrg(storage);
    const host = await enrolled(storage, org.id, admin.id);
    const request = await seedRequest(storage, org.id);
    const g: GrantRecord = {
      id: randomUUID(),
      orgId: org.id,
      hostId: host.id,
      agentId: admin.id,
      agentName: admin.name,
      requestId: request.id,
      mode: 'at_connection',
      permissions: ['view', 'control'],
      duration: { kind: 'days', days: 7 },
      daily: null,
      timeZone: 'Europe/Berlin',
      status: 'pending',
      createdAt: at(1),
      approvedAt: null,
      verifiedUser: null,
      verifiedAt: null,
      revokedAt: null,
      revokedBy: null,
    };
    const ev = (
      kind: GrantEventRecord['kind'],
      s: number,
      grantId: string | null = g.id,
    ): GrantEventRecord => ({
      orgId: org.id,
      hostId: host.id,
      grantId,
      requestId: request.id,
      kind,
      actor: { type: 'user', id: admin.id, name: admin.name },
      address: '192.0.2.1',
      detail: null,
      at: at(s),
    });
    await storage.webhooks.create({
      id: randomUUID(),
      orgId: org.id,
      url: 'https://hooks.example.com/',
      events: ['unattended.granted', 'unattended.revoked'],
      description: null,
      secretSalt: 's',
      active: true,
      signing: 'both',
      createdAt: at(0),
      updatedAt: at(0),
    });
    const [w] = await storage.webhooks.list(org.id);
    await storage.grants.create(g, recorded(ev('asked', 1)));
    assert.deepEqual(await storage.grants.byId(g.id), g);
    const hook = queuedEvent(org.id, null, {
      type: 'unattended.granted',
      occurredAt: at(2),
      host: { id: host.id, name: host.name },
      data: {
        grant: { id: g.id, agent: { id: admin.id, name: admin.name }, mode: g.mode },
        approvedAt: at(2),
        verifiedUser: null,
      },
    });
    const update = { status: 'active' as const, approvedAt: at(2), verifiedUser: null, verifiedAt: null };
    assert.equal(
      (await storage.grants.settle(g.id, update, recorded(ev('granted', 2)), hook))?.status,
      'active',
    );
    assert.equal(
      await storage.grants.settle(g.id, update, recorded(ev('granted', 3)), hook),
      null,
      'settled once',
    );
    assert.deepEqual(
      (await storage.grants.activeFor(host.id, admin.id)).map((x) => x.id),
      [g.id],
    );
    assert.deepEqual(
      (await storage.grants.ofHost(org.id, host.id)).map((x) => x.id),
      [g.id],
    );
    const revokeHook = (r: GrantRecord) =>
      queuedEvent(r.orgId, null, {
        type: 'unattended.revoked',
        occurredAt: at(4),
        host: { id: host.id, name: host.name },
        data: {
          grant: { id: r.id, agent: { id: admin.id, name: admin.name }, mode: r.mode },
          revokedAt: at(4),
          revokedBy: 'Ada',
        },
      });
    assert.equal(
      (await storage.grants.revoke(g.id, at(4), 'Ada', recorded(ev('revoked', 4)), revokeHook))?.revokedBy,
      'Ada',
    );
    assert.equal(
      await storage.grants.revoke(g.id, at(5), 'Ada', recorded(ev('revoked', 5)), revokeHook),
      null,
    );
    await storage.grants.record(recorded(ev('refused', 6, null)));
    assert.deepEqual(
      (await storage.grants.events(org.id, host.id, 10)).map((e) => e.kind),
      ['refused', 'revoked', 'granted', 'asked'],
    );
    assert.equal((await storage.audit.head()).seq, 4, 'one audit entry per event');
    assert.equal((await storage.webhooks.deliveries(org.id, w!.id, undefined, 10)).length, 2);
  },
);

contract('grants: host sessions are linked, and start and end once each', async ({ storage }) => {
  const { org, admin } = await seedOrg(storage);
  const host = await enrolled(storage, org.id, admin.id);
  const request = await seedRequest(storage, org.id);
  const link = {
    requestId: request.id,
    orgId: org.id,
    hostId: host.id,
    agentId: admin.id,
    grantId: null,
    reason: 'patching',
    createdAt: at(1),
    startedAt: null,
    endedAt: null,
  };
  await storage.grants.linkSession(link);
  assert.deepEqual(await storage.grants.hostSession(request.id), link);
  const event = recorded({
    orgId: org.id,
    hostId: host.id,
    grantId: null,
    requestId: request.id,
    kind: 'session_ended',
    actor: { type: 'system', id: null, name: null },
    address: null,
    detail: null,
    at: at(2),
  });
  assert.equal(
    await storage.grants.sessionBoundary(request.id, 'end', at(2), event, () => null),
    null,
    'no end before a start',
  );
  assert.equal(
    (
      await storage.grants.sessionBoundary(
        request.id,
        'start',
        at(3),
        { ...event, event: { ...event.event, kind: 'session_started' } },
        () => null,
      )
    )?.startedAt,
    at(3),
  );
  assert.equal(
    await storage.grants.sessionBoundary(request.id, 'start', at(4), event, () => null),
    null,
    'started once',
  );
  assert.deepEqual(await storage.grants.liveSessionsOf(randomUUID()), []);
  assert.equal(
    (await storage.grants.sessionBoundary(request.id, 'end', at(5), event, () => null))?.endedAt,
    at(5),
  );
  assert.equal(
    await storage.grants.sessionBoundary(request.id, 'end', at(6), event, () => null),
    null,
    'ended once',
  );
});
