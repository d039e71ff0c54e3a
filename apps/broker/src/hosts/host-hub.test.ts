import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { CloseCode, PROTOCOL_VERSION } from '@beckon/protocol';
import { snapshot, startFixture, waitFor, type Fixture } from '../testing/fixture.ts';
import {
  connectHost,
  enrolHost,
  newHostKey,
  rawHost,
  rotateFrame,
  signWith,
  TEST_PRESENCE,
} from '../testing/host-client.ts';

let f: Fixture;
before(async () => {
  f = await startFixture();
});
after(() => f.stop());

/** The database once pending presence is written (it is written in batches). */
async function settled(): Promise<string> {
  await f.broker.hostHub.flushPresence();
  return snapshot(f.config.dbFile);
}

const hostOnline = async (id: string) => (await f.api('GET', `/api/v1/hosts/${id}`)).body.online as boolean;

function live() {
  const ws = new WebSocket(`${f.url.replace('http', 'ws')}/api/v1/live`, [
    'beckon.v1',
    `bearer.${f.adminToken}`,
  ]);
  const messages: { type: string; host?: { id: string; online: boolean }; hostId?: string }[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
  return { ws, messages, opened: new Promise((r) => ws.once('open', r)) };
}

test('a host enrols with a code and its public key, then authenticates by signing a fresh challenge', async () => {
  const key = newHostKey();
  const hostId = await enrolHost(f.url, f.adminToken, key);
  assert.equal(await hostOnline(hostId), false);
  const agent = live();
  await agent.opened;
  const host = await connectHost(f.url, hostId, key);
  const welcome = await host.next('welcome');
  assert.equal(welcome.hostId, hostId);
  assert.ok(await waitFor(() => hostOnline(hostId), 5000, 'online'));
  await waitFor(
    () => agent.messages.some((m) => m.type === 'host_changed' && m.host?.online),
    5000,
    'live online',
  );
  // Presence the host reports is shown in the registry.
  host.send({ type: 'presence', info: { ...TEST_PRESENCE, userPresent: true, screenLocked: true } });
  await waitFor(
    async () => (await f.api('GET', `/api/v1/hosts/${hostId}`)).body.presence?.screenLocked === true,
    5000,
    'presence',
  );
  host.ws.close();
  await waitFor(async () => !(await hostOnline(hostId)), 5000, 'offline');
  await waitFor(
    () => agent.messages.some((m) => m.type === 'host_changed' && m.host?.id === hostId && !m.host.online),
    5000,
    'live offline',
  );
  const row = (await f.api('GET', `/api/v1/hosts/${hostId}`)).body;
  assert.ok(row.lastSeenAt, 'last seen is kept');
  agent.ws.close();
});

test('an enrolment code works once, and a wrong one enrols nothing', async () => {
  const code = (await f.api('POST', '/api/v1/hosts/enrolment-codes', { ttlMinutes: 5 })).body.code as string;
  const enrol = (publicKey: string, c = code) =>
    f.api('POST', '/api/v1/hosts/enrol', { code: c, publicKey, name: 'x', presence: TEST_PRESENCE });
  const before = await settled();
  assert.equal((await enrol(newHostKey().publicKey, 'A'.repeat(43))).status, 401);
  assert.equal((await enrol('not-a-key')).status, 400);
  assert.equal(await settled(), before, 'refusals changed nothing');
  assert.equal((await enrol(newHostKey().publicKey)).status, 201);
  assert.equal((await enrol(newHostKey().publicKey)).status, 401, 'used once');
  // Only admins make codes.
  assert.equal((await f.api('POST', '/api/v1/hosts/enrolment-codes', {}, null)).status, 401);
});

test('a forged host (right id, wrong key) is refused, and nothing changes', async () => {
  const key = newHostKey();
  const hostId = await enrolHost(f.url, f.adminToken, key);
  const before = await settled();
  const forged = await connectHost(f.url, hostId, newHostKey());
  assert.equal((await forged.closed).code, CloseCode.UNAUTHENTICATED);
  assert.ok(!forged.messages.some((m) => m.type === 'welcome'));
  // A signature over another challenge (a replay) is refused too.
  const first = await connectHost(f.url, hostId, key);
  await first.next('welcome');
  const oldNonce = (first.messages[0] as { nonce: string }).nonce;
  first.ws.close();
  await first.closed;
  const replay = rawHost(f.url);
  await replay.nonce;
  replay.send({
    type: 'hello',
    v: PROTOCOL_VERSION,
    hostId,
    proof: signWith(key, `beckon-host-auth/v1\n${hostId}\n${oldNonce}`),
  });
  assert.equal((await replay.closed).code, CloseCode.UNAUTHENTICATED);
  const after = await settled();
  // Only the genuine connection wrote (its last-seen); strip that column and compare.
  const strip = (s: string) => s.replace(/"last_seen_at":"[^"]*"/g, '"last_seen_at":null');
  assert.equal(strip(after), strip(before));
  assert.equal(await hostOnline(hostId), false);
});

test('a deleted host is closed at once and refused afterwards', async () => {
  const key = newHostKey();
  const hostId = await enrolHost(f.url, f.adminToken, key);
  const host = await connectHost(f.url, hostId, key);
  await host.next('welcome');
  assert.equal((await f.api('DELETE', `/api/v1/hosts/${hostId}`)).status, 204);
  assert.equal((await host.closed).code, CloseCode.CREDENTIAL_REVOKED);
  const before = await settled();
  const again = await connectHost(f.url, hostId, key);
  assert.equal((await again.closed).code, CloseCode.UNAUTHENTICATED);
  assert.equal((await f.api('GET', `/api/v1/hosts/${hostId}`)).status, 404);
  assert.equal(await settled(), before);
});

test('a host rotates its key: the new one opens, the old one no longer does', async () => {
  const oldKey = newHostKey();
  const hostId = await enrolHost(f.url, f.adminToken, oldKey);
  const host = await connectHost(f.url, hostId, oldKey);
  const nonce = await host.nonce;
  await host.next('welcome');
  const fingerprint = (await f.api('GET', `/api/v1/hosts/${hostId}`)).body.keyFingerprint;
  const newKey = newHostKey();
  // A proof not made by the new key is refused.
  const bad = {
    ...rotateFrame(hostId, nonce, newKey),
    proof: rotateFrame(hostId, nonce, newHostKey()).proof,
  };
  const witness = await connectHost(f.url, hostId, oldKey);
  await witness.next('welcome');
  witness.send(bad);
  assert.equal((await witness.closed).code, CloseCode.BAD_MESSAGE);
  const h2 = await connectHost(f.url, hostId, oldKey);
  const n2 = await h2.nonce;
  await h2.next('welcome');
  h2.send(rotateFrame(hostId, n2, newKey));
  await h2.next('key_rotated');
  assert.notEqual((await f.api('GET', `/api/v1/hosts/${hostId}`)).body.keyFingerprint, fingerprint);
  h2.ws.close();
  const stale = await connectHost(f.url, hostId, oldKey);
  assert.equal((await stale.closed).code, CloseCode.UNAUTHENTICATED);
  const fresh = await connectHost(f.url, hostId, newKey);
  await fresh.next('welcome');
  fresh.ws.close();
  host.ws.close();
});

test('the registry: list with filters and cursor, rename, tag, group; scoped to the organisation', async () => {
  const group = (await f.api('POST', '/api/v1/host-groups', { name: 'Kiosks' })).body;
  assert.ok(group.id);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push(await enrolHost(f.url, f.adminToken, newHostKey(), `kiosk-${i}`));
  const renamed = await f.api('PATCH', `/api/v1/hosts/${ids[0]}`, {
    name: 'kiosk-lobby',
    tags: ['lobby', 'eu'],
    groupId: group.id,
  });
  assert.equal(renamed.status, 200);
  assert.deepEqual(renamed.body.tags, ['lobby', 'eu']);
  assert.equal((await f.api('PATCH', `/api/v1/hosts/${ids[1]}`, { groupId: group.id })).status, 200);
  const byTag = (await f.api('GET', '/api/v1/hosts?tag=lobby')).body;
  assert.deepEqual(
    byTag.items.map((h: { id: string }) => h.id),
    [ids[0]],
  );
  const byGroup = (await f.api('GET', `/api/v1/hosts?group=${group.id}`)).body;
  assert.equal(byGroup.items.length, 2);
  const byName = (await f.api('GET', '/api/v1/hosts?q=kiosk-')).body;
  assert.equal(byName.items.length, 5);
  // Cursor pagination walks every kiosk once, in name order.
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: { name: string }[]; nextCursor: string | null } = (
      await f.api('GET', `/api/v1/hosts?q=kiosk&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
    ).body;
    seen.push(...page.items.map((h) => h.name));
    cursor = page.nextCursor;
  } while (cursor);
  assert.deepEqual(seen, [...seen].sort());
  assert.equal(new Set(seen).size, 5);
  // Bad input is a 400 and changes nothing.
  const before = await settled();
  assert.equal((await f.api('PATCH', `/api/v1/hosts/${ids[2]}`, { tags: ['a b'] })).status, 400);
  assert.equal((await f.api('PATCH', `/api/v1/hosts/${ids[2]}`, { groupId: ids[3] })).status, 400);
  assert.equal((await f.api('GET', '/api/v1/hosts?cursor=zzz')).status, 400);
  assert.equal((await f.api('GET', '/api/v1/hosts?limit=0')).status, 400);
  assert.equal(await settled(), before);
});

test('another organisation sees none of these hosts and cannot touch them', async () => {
  const { addOrgWithUser, login } = await import('../testing/fixture.ts');
  await addOrgWithUser(f.config.dbFile, 'other@example.com', 'another long password');
  const other = await login(f.url, 'other@example.com', 'another long password');
  const hostId = await enrolHost(f.url, f.adminToken, newHostKey());
  assert.equal((await f.api('GET', '/api/v1/hosts', undefined, other)).body.items.length, 0);
  assert.equal((await f.api('GET', `/api/v1/hosts/${hostId}`, undefined, other)).status, 404);
  assert.equal((await f.api('DELETE', `/api/v1/hosts/${hostId}`, undefined, other)).status, 404);
  assert.equal((await f.api('PATCH', `/api/v1/hosts/${hostId}`, { name: 'mine' }, other)).status, 404);
});

test("Connect needs the agent's rights on the host's group and an online host", async () => {
  const { login } = await import('../testing/fixture.ts');
  const user = {
    email: 'kim@example.com',
    name: 'Kim',
    password: 'kim has a long password',
    role: 'support_agent',
  };
  assert.equal((await f.api('POST', '/api/v1/users', user)).status, 201);
  const kim = await login(f.url, user.email, user.password);
  const kimId = (await f.api('GET', '/api/v1/me', undefined, kim)).body.user.id as string;
  const group = (await f.api('POST', '/api/v1/host-groups', { name: 'Tills' })).body;
  const key = newHostKey();
  const hostId = await enrolHost(f.url, f.adminToken, key, 'till-1');
  await f.api('PATCH', `/api/v1/hosts/${hostId}`, { groupId: group.id });

  const detail = await f.api('GET', `/api/v1/hosts/${hostId}`, undefined, kim);
  assert.deepEqual(detail.body.rights, { connect: false, control: false, files: false, systemInfo: false });
  assert.equal((await f.api('POST', `/api/v1/hosts/${hostId}/connect`, undefined, kim)).status, 403);
  // Only admins give rights; rights without connect give nothing.
  const rights = { connect: true, control: false, files: false, systemInfo: false };
  assert.equal(
    (await f.api('PUT', `/api/v1/host-groups/${group.id}/rights/${kimId}`, rights, kim)).status,
    403,
  );
  const noConnect = { connect: false, control: true, files: true, systemInfo: true };
  assert.deepEqual((await f.api('PUT', `/api/v1/host-groups/${group.id}/rights/${kimId}`, noConnect)).body, {
    connect: false,
    control: false,
    files: false,
    systemInfo: false,
  });
  assert.equal((await f.api('PUT', `/api/v1/host-groups/${group.id}/rights/${kimId}`, rights)).status, 200);
  assert.deepEqual((await f.api('GET', `/api/v1/host-groups/${group.id}/rights`)).body, {
    items: [{ userId: kimId, rights }],
  });
  assert.equal((await f.api('GET', `/api/v1/host-groups/${group.id}/rights`, undefined, kim)).status, 403);
  assert.deepEqual((await f.api('GET', `/api/v1/hosts/${hostId}`, undefined, kim)).body.rights, rights);
  // Offline: nothing to connect to.
  const offline = await f.api('POST', `/api/v1/hosts/${hostId}/connect`, undefined, kim);
  assert.equal(offline.status, 409);
  assert.equal(offline.body.error.code, 'peer_absent');
  // Online: the request is made (view only, by Kim's rights) and offered to the host on its socket.
  const host = await connectHost(f.url, hostId, key);
  await host.next('welcome');
  const made = await f.api('POST', `/api/v1/hosts/${hostId}/connect`, undefined, kim);
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.deepEqual(made.body.permissions, ['view']);
  const offer = await host.next('session_offer');
  assert.equal(offer.requestId, made.body.id);
  assert.equal(offer.code, made.body.code);
  host.ws.close();
});

test('heartbeats are answered, before authentication they are refused', async () => {
  const key = newHostKey();
  const hostId = await enrolHost(f.url, f.adminToken, key, 'beat');
  const host = await connectHost(f.url, hostId, key);
  await host.next('welcome');
  host.send({ type: 'ping', t: 42 });
  assert.equal((await host.next('pong')).t, 42);
  host.ws.close();
  const early = rawHost(f.url);
  await early.nonce;
  early.send({ type: 'ping', t: 1 });
  assert.equal((await early.closed).code, CloseCode.UNAUTHENTICATED);
});

test('system information is asked of the online host; a flooding host is closed', async () => {
  const key = newHostKey();
  const hostId = await enrolHost(f.url, f.adminToken, key, 'info');
  assert.equal((await f.api('GET', `/api/v1/hosts/${hostId}/system-info`)).status, 409, 'offline');
  const host = await connectHost(f.url, hostId, key);
  await host.next('welcome');
  const info = {
    os: { platform: 'linux', distro: 'Debian', release: '12', arch: 'x64', hostname: 'info' },
    cpu: { manufacturer: 'x', brand: 'y', cores: 2, physicalCores: 1, speedGHz: 2 },
    memory: { totalBytes: 1024 },
    disks: [],
    network: [],
  };
  host.ws.on('message', (d) => {
    const m = JSON.parse(d.toString()) as { type: string; id?: string };
    if (m.type === 'sysinfo_request') host.send({ type: 'sysinfo', id: m.id, info });
  });
  const got = await f.api('GET', `/api/v1/hosts/${hostId}/system-info`);
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, info);
  for (let i = 0; i < 60; i++) host.send({ type: 'ping', t: i });
  assert.equal((await host.closed).code, CloseCode.RATE_LIMITED);
});

test('the OpenAPI document lists the hosts API', async () => {
  const doc = (await f.api('GET', '/api/docs', undefined, null)).body;
  assert.ok(doc.paths['/api/v1/hosts'].get.parameters.some((p: { name: string }) => p.name === 'tag'));
  assert.ok(doc.paths['/api/v1/hosts/{id}'].delete);
  assert.ok(doc.paths['/api/v1/hosts/enrol'].post.requestBody);
});

test('a signed-in user who may not see requests sees no hosts either', async () => {
  const { login } = await import('../testing/fixture.ts');
  const user = {
    email: 'nobody@example.com',
    name: 'Nobody',
    password: 'nobody has a long password',
    role: 'support_agent',
    permissions: [],
  };
  assert.equal((await f.api('POST', '/api/v1/users', user)).status, 201);
  const token = await login(f.url, user.email, user.password);
  assert.equal((await f.api('GET', '/api/v1/hosts', undefined, token)).status, 403);
  assert.equal((await f.api('GET', '/api/v1/host-groups', undefined, token)).status, 403);
});
