import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startClockedBroker, type ClockedBroker } from '../testing/clocked-broker.ts';
import { connectHost, enrolHost, newHostKey, type RawHost } from '../testing/host-client.ts';
import { ADMIN, login, waitFor } from '../testing/fixture.ts';
import { withTestDb } from '../testing/test-storage.ts';

// Unattended access, the broker's half, over real HTTP and a real host socket
// (Ed25519-authenticated) on a broker whose clock the test sets: the ask in a
// live session, the cap, the host's answer, the window at Connect across a
// DST change, revocation, the record and the webhooks.

let b: ClockedBroker;
let hostId: string;
let host: RawHost;
let orgId: string;
let me: { id: string; name: string };
let sink: Server;
const received: {
  headers: Record<string, unknown>;
  body: { type: string; data: Record<string, unknown>; host: { name: string } };
}[] = [];

let token = '';
/** Moves the broker's clock, and signs in again: a jump of months outlives any sign-in. */
async function setClock(iso: string): Promise<void> {
  b.advance(Date.parse(iso) - b.now().getTime());
  token = await login(b.url, ADMIN.email, ADMIN.password);
}
const api = (method: string, path: string, body?: unknown) => b.api(method, path, body, { token });

before(async () => {
  // A webhook receiver on loopback: deliveries are real, signed HTTP posts.
  sink = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(body) });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  b = await startClockedBroker({ BECKON_WEBHOOK_ALLOWLIST: '127.0.0.1' });
  await setClock('2027-03-26T09:00:00Z');
  const key = newHostKey();
  hostId = await enrolHost(b.url, token, key, 'Front desk');
  host = await connectHost(b.url, hostId, key);
  await host.next('welcome');
  await waitFor(async () => (await api('GET', `/api/v1/hosts/${hostId}`)).body.online, 5000, 'online');
  const who = (await api('GET', '/api/v1/me')).body.user;
  orgId = who.orgId;
  me = { id: who.id, name: who.name };
  // Webhooks for every unattended event (deliveries are rows; nobody needs to receive them here).
  const hook = await api('POST', '/api/v1/webhooks', {
    url: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/hook`,
    events: [
      'unattended.granted',
      'unattended.revoked',
      'unattended.session_started',
      'unattended.session_ended',
    ],
  });
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
});
after(async () => {
  host.ws.close();
  sink.close();
  await b.stop();
  b.cleanup();
});

/** An attended connect brought to a live session, as the room would after Allow and a connected peer. */
async function liveSession(): Promise<string> {
  const connect = await api('POST', `/api/v1/hosts/${hostId}/connect`, {});
  assert.equal(connect.status, 201, JSON.stringify(connect.body));
  const id = connect.body.id as string;
  const requests = b.broker.services.requests;
  const user = { type: 'user' as const, id: me.id, name: me.name };
  const client = { type: 'client' as const, id: null, name: null };
  await requests.applyEvent(orgId, id, 'client_joined', client, null);
  await requests.applyEvent(orgId, id, 'connect_requested', user, null);
  await requests.applyEvent(orgId, id, 'consent_granted', client, 'user');
  await requests.applyEvent(orgId, id, 'peer_connected', user, 'direct');
  return id;
}

const ask = (requestId: string, body: object) =>
  api('POST', `/api/v1/session-requests/${requestId}/unattended`, {
    permissions: ['view', 'control'],
    timeZone: 'Europe/Berlin',
    ...body,
  });

const rows = (sql: string) => withTestDb(`${b.dataDir}/beckon.sqlite`, (q) => q(sql));

test('UA5: two weeks and a day with customer credentials is refused, with nothing asked or stored', async () => {
  const requestId = await liveSession();
  const before = host.messages.length;
  const res = await ask(requestId, { mode: 'at_setup', duration: { kind: 'days', days: 15 } });
  assert.equal(res.status, 422);
  assert.equal(res.body.error.code, 'grant_too_long');
  assert.match(res.body.error.message, /at most 14 days/);
  const range = await ask(requestId, {
    mode: 'at_setup',
    duration: { kind: 'range', from: '2027-04-01', to: '2027-04-15' },
  });
  assert.equal(range.body.error.code, 'grant_too_long');
  assert.equal(host.messages.length, before, 'nothing reached the host');
  assert.equal((await rows('SELECT * FROM unattended_grants')).length, 0);
});

test('UA2: not in a request that is not live', async () => {
  const connect = await api('POST', `/api/v1/hosts/${hostId}/connect`, {});
  const res = await ask(connect.body.id, { mode: 'at_connection', duration: { kind: 'unlimited' } });
  assert.equal(res.status, 409);
  assert.match(res.body.error.message, /live session/);
});

test('ask → the host approves at setup → a daily window in Berlin admits across the DST change, at the broker', async () => {
  const requestId = await liveSession();
  const pending = ask(requestId, {
    mode: 'at_setup',
    duration: { kind: 'days', days: 14 },
    daily: { from: '09:00', to: '17:00' },
  });
  const question = await waitFor(
    () => host.messages.find((m) => m.type === 'grant_request'),
    5000,
    'grant_request on the host socket',
  );
  assert.ok(question.type === 'grant_request');
  assert.equal(question.requestId, requestId);
  assert.equal(question.agentId, me.id);
  assert.equal(question.orgName, 'Acme Support');
  // A host cannot answer for a grant that is not its own: another id changes nothing.
  host.send({
    type: 'grant_answer',
    grantId: question.grantId,
    approved: true,
    why: 'user',
    verifiedUser: 'customer',
    verifiedAt: b.now().toISOString(),
  });
  const res = await pending;
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.status, 'active');
  assert.equal(res.body.verifiedUser, 'customer');
  assert.equal(res.body.admitsNow, true, '10:00 CET on 26 March');
  const list = (await api('GET', `/api/v1/hosts/${hostId}/grants`)).body.items;
  assert.equal(list.length, 1);
  assert.ok(!JSON.stringify(await rows('SELECT * FROM unattended_grants')).includes('password'));

  // Unattended connects need a reason.
  const noReason = await api('POST', `/api/v1/hosts/${hostId}/connect`, { unattended: {} });
  assert.equal(noReason.status, 400);

  // 29 March, summer time: 08:30 CEST is 06:30 UTC (outside), 09:30 CEST is 07:30 UTC (inside).
  await setClock('2027-03-29T06:30:00Z');
  const outside = await api('POST', `/api/v1/hosts/${hostId}/connect`, {
    unattended: { reason: 'INC-4711 patch' },
  });
  assert.equal(outside.status, 403);
  assert.equal(outside.body.error.code, 'grant_not_active');
  await setClock('2027-03-29T07:30:00Z');
  const inside = await api('POST', `/api/v1/hosts/${hostId}/connect`, {
    unattended: { reason: 'INC-4711 patch' },
  });
  assert.equal(inside.status, 201, JSON.stringify(inside.body));
  const offer = await waitFor(
    () => host.messages.find((m) => m.type === 'session_offer' && m.requestId === inside.body.id),
    5000,
    'the unattended offer',
  );
  assert.ok(offer.type === 'session_offer');
  assert.deepEqual(offer.unattended, { grantId: res.body.id, reason: 'INC-4711 patch' });

  // The session runs and ends: both webhooks, with the reason and the duration.
  // The start's write is held back, so the end comes while it is still on its
  // way, as it can under load: the end must wait for it, not be dropped.
  const grantStore = b.broker.services.storage.grants;
  const boundary = grantStore.sessionBoundary.bind(grantStore);
  grantStore.sessionBoundary = async (...args) => {
    if (args[1] === 'start') await new Promise((r) => setTimeout(r, 300));
    return boundary(...args);
  };
  const requests = b.broker.services.requests;
  const user = { type: 'user' as const, id: me.id, name: me.name };
  const client = { type: 'client' as const, id: null, name: null };
  await requests.applyEvent(orgId, inside.body.id, 'client_joined', client, null);
  await requests.applyEvent(orgId, inside.body.id, 'connect_requested', user, null);
  await requests.applyEvent(orgId, inside.body.id, 'consent_granted', client, 'grant');
  await requests.applyEvent(orgId, inside.body.id, 'peer_connected', user, 'direct');
  b.advance(90_000);
  await requests.applyEvent(orgId, inside.body.id, 'session_ended', user, 'agent_ended');
  await waitFor(
    () => received.some((r) => r.body.type === 'unattended.session_ended'),
    10_000,
    'session webhooks delivered',
  );
  grantStore.sessionBoundary = boundary;
  assert.deepEqual(
    received.map((r) => r.body.type),
    ['unattended.granted', 'unattended.session_started', 'unattended.session_ended'],
  );
  const ended = received[2]!;
  assert.equal(ended.body.data.reason, 'INC-4711 patch');
  const ms = ended.body.data.durationMs as number;
  assert.ok(ms >= 90_000 && ms < 95_000, `duration ${ms}`);
  assert.equal(ended.body.host.name, 'Front desk');
  // Signed like every other delivery: both signature headers.
  assert.match(String(ended.headers['beckon-signature']), /v1=/);
  assert.match(String(ended.headers['webhook-signature']), /^v1,/);

  // Revoked from the console: the host is told at once, and the next connect is refused.
  const revoked = await api('POST', `/api/v1/hosts/${hostId}/grants/${res.body.id}/revoke`, {});
  assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
  assert.equal(revoked.body.status, 'revoked');
  await waitFor(
    () => host.messages.find((m) => m.type === 'grant_revoked'),
    5000,
    'grant_revoked on the host',
  );
  const after = await api('POST', `/api/v1/hosts/${hostId}/connect`, { unattended: { reason: 'again' } });
  assert.equal(after.body.error.code, 'grant_not_active');

  const kinds = await rows('SELECT kind, actor_type, address, detail FROM grant_events ORDER BY id');
  assert.deepEqual(
    kinds.map((k) => k.kind),
    ['asked', 'granted', 'refused', 'used', 'session_started', 'session_ended', 'revoked', 'refused'],
  );
  assert.ok(kinds.filter((k) => k.actor_type === 'user').every((k) => typeof k.address === 'string'));
  // Each is also one entry of the tamper-evident audit log, with the reason of the use.
  const audited = await rows(
    "SELECT action, details FROM audit_log WHERE action LIKE 'unattended.%' ORDER BY seq",
  );
  assert.deepEqual(
    audited.map((a) => a.action),
    kinds.map((k) => `unattended.${k.kind}`),
  );
  assert.match(String(audited.find((a) => a.action === 'unattended.used')?.details), /detail/);
});

test('the host denies (or the person stays silent): no grant, and Connect stays refused', async () => {
  await setClock('2027-03-30T08:00:00Z');
  const requestId = await liveSession();
  const pending = ask(requestId, { mode: 'at_connection', duration: { kind: 'unlimited' } });
  const question = await waitFor(
    () => host.messages.find((m) => m.type === 'grant_request' && m.requestId === requestId),
    5000,
    'grant_request',
  );
  assert.ok(question.type === 'grant_request');
  host.send({ type: 'grant_answer', grantId: question.grantId, approved: false, why: 'timeout' });
  const res = await pending;
  assert.equal(res.body.status, 'denied');
  const connect = await api('POST', `/api/v1/hosts/${hostId}/connect`, { unattended: { reason: 'try' } });
  assert.equal(connect.body.error.code, 'grant_not_active');
});

test('the person revokes on the computer: the broker records it and refuses from then on', async () => {
  const requestId = await liveSession();
  const pending = ask(requestId, { mode: 'at_connection', duration: { kind: 'days', days: 30 } });
  const question = await waitFor(
    () => host.messages.find((m) => m.type === 'grant_request' && m.requestId === requestId),
    5000,
    'grant_request',
  );
  assert.ok(question.type === 'grant_request');
  host.send({ type: 'grant_answer', grantId: question.grantId, approved: true, why: 'user' });
  assert.equal((await pending).body.status, 'active');
  host.send({ type: 'grant_revoked', grantId: question.grantId });
  await waitFor(
    async () =>
      (await api('GET', `/api/v1/hosts/${hostId}/grants`)).body.items.find(
        (g: { id: string }) => g.id === question.grantId,
      )?.status === 'revoked',
    5000,
    'revoked by the host',
  );
  const connect = await api('POST', `/api/v1/hosts/${hostId}/connect`, { unattended: { reason: 'try' } });
  assert.equal(connect.body.error.code, 'grant_not_active');
});

test('UA1/UA2: an agent whose host group does not give the unattended right may not ask; once an admin gives it, the ask reaches the host', async () => {
  const kim = {
    name: 'Kim',
    email: 'kim.ua@example.com',
    password: 'kim has a long password',
    role: 'support_agent',
  };
  assert.equal((await api('POST', '/api/v1/users', kim)).status, 201);
  const kimToken = await login(b.url, kim.email, kim.password);
  const kimId = (await b.api('GET', '/api/v1/me', undefined, { token: kimToken })).body.user.id as string;
  const group = (await api('POST', '/api/v1/host-groups', { name: 'Desks' })).body;
  await api('PATCH', `/api/v1/hosts/${hostId}`, { groupId: group.id });
  const rights = { connect: true, control: true, files: false, systemInfo: false };
  assert.equal((await api('PUT', `/api/v1/host-groups/${group.id}/rights/${kimId}`, rights)).status, 200);

  const asKim = (method: string, path: string, body?: unknown) =>
    b.api(method, path, body, { token: kimToken });
  const connect = await asKim('POST', `/api/v1/hosts/${hostId}/connect`, {});
  assert.equal(connect.status, 201, JSON.stringify(connect.body));
  const id = connect.body.id as string;
  const requests = b.broker.services.requests;
  const user = { type: 'user' as const, id: kimId, name: kim.name };
  const client = { type: 'client' as const, id: null, name: null };
  await requests.applyEvent(orgId, id, 'client_joined', client, null);
  await requests.applyEvent(orgId, id, 'connect_requested', user, null);
  await requests.applyEvent(orgId, id, 'consent_granted', client, 'user');
  await requests.applyEvent(orgId, id, 'peer_connected', user, 'direct');
  const body = {
    mode: 'at_connection',
    permissions: ['view', 'control'],
    duration: { kind: 'days', days: 2 },
    timeZone: 'UTC',
  };
  const refused = await asKim('POST', `/api/v1/session-requests/${id}/unattended`, body);
  assert.equal(refused.status, 403);
  assert.match(refused.body.error.message, /no right to ask for unattended access/);
  // The admin is not the agent in this session: only that agent may ask.
  assert.equal((await api('POST', `/api/v1/session-requests/${id}/unattended`, body)).status, 403);

  assert.equal(
    (await api('PUT', `/api/v1/host-groups/${group.id}/rights/${kimId}`, { ...rights, unattended: true }))
      .status,
    200,
  );
  const pending = asKim('POST', `/api/v1/session-requests/${id}/unattended`, body);
  const question = await waitFor(
    () => host.messages.find((m) => m.type === 'grant_request' && m.requestId === id),
    5000,
    'grant_request',
  );
  assert.ok(question.type === 'grant_request' && question.agentId === kimId);
  host.send({ type: 'grant_answer', grantId: question.grantId, approved: false, why: 'user' });
  assert.equal((await pending).body.status, 'denied');
});
