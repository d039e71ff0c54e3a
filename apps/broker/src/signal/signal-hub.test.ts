import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CloseCode, PROTOCOL_VERSION, SIGNAL_MAX_FRAME_BYTES } from '@beckon/protocol';
import { sleep, snapshot, startFixture, waitFor, type Fixture } from '../testing/fixture.ts';
import { joinAgent, joinAssist, rawSignal } from '../testing/signal-client.ts';

let f: Fixture;
before(async () => {
  f = await startFixture({
    BECKON_SIGNAL_GRACE_MS: '400',
    BECKON_SIGNAL_HEARTBEAT_MS: '200',
    BECKON_TURN_URLS: 'turn:127.0.0.1:3478?transport=udp',
    BECKON_TURN_SECRET: 'a-shared-secret-for-tests',
    BECKON_STUN_URLS: 'stun:127.0.0.1:3478',
  });
});
after(() => f.stop());

const offer = { type: 'signal', data: { type: 'offer', sdp: 'v=0\r\n' } };

async function newRequest(extra: Record<string, unknown> = {}) {
  const r = await f.api('POST', '/api/v1/session-requests', {
    recipientName: 'Ada',
    comment: 'printer',
    ...extra,
  });
  assert.equal(r.status, 201);
  return r.body as { id: string; displayCode: string; customerLink: string; status: string };
}
const statusOf = async (id: string) =>
  (await f.api('GET', `/api/v1/session-requests/${id}`)).body.status as string;

test('a whole session: join, consent, relay, connected, ended, closed', async () => {
  const r = await newRequest();
  const assist = await joinAssist(f.url, { code: r.displayCode });
  const welcome = await assist.next('welcome');
  assert.equal(welcome.role, 'assist');
  assert.equal(welcome.requestId, r.id);
  // TURN credentials in coturn's REST scheme: "<expiry>:<subject>" and a base64 HMAC.
  const turn = welcome.iceServers.find((s) => String(s.urls).includes('turn:'));
  assert.match(turn?.username ?? '', /^\d{10}:/);
  assert.ok((turn?.credential ?? '').length > 20);
  await waitFor(async () => (await statusOf(r.id)) === 'waiting', 5000, 'waiting');

  const agent = await joinAgent(f.url, f.adminToken, r.id);
  assert.equal((await agent.next('welcome')).peerPresent, true);

  agent.send({ type: 'connect', permissions: ['view', 'control'] });
  const ask = await assist.next('consent_request');
  assert.equal(ask.orgName, 'Acme Support');
  assert.equal(ask.comment, 'printer');
  assert.deepEqual(ask.permissions, ['view', 'control']);
  assert.equal(ask.timeoutSec, 60);

  // The end user narrows the grant to view only.
  assist.send({ type: 'consent', questionId: ask.questionId, granted: true, permissions: ['view'] });
  const result = await agent.next('consent_result');
  assert.deepEqual(result, { type: 'consent_result', granted: true, permissions: ['view'], reason: 'user' });
  await waitFor(async () => (await statusOf(r.id)) === 'ready', 5000, 'ready');

  const before = assist.messages.length;
  agent.send(offer);
  assert.deepEqual((await assist.next('signal', before)).data, offer.data);
  const back = agent.messages.length;
  assist.send({ type: 'signal', data: { type: 'answer', sdp: 'v=0\r\n' } });
  assert.equal((await agent.next('signal', back)).data.type, 'answer');

  assist.send({ type: 'peer_state', state: 'connected', relayed: false });
  await waitFor(async () => (await statusOf(r.id)) === 'in_session', 5000, 'in_session');
  await agent.next('status');

  const mark = assist.messages.length;
  agent.send({ type: 'end_session' });
  assert.equal((await assist.next('session_ended', mark)).reason, 'agent_ended');
  await waitFor(async () => (await statusOf(r.id)) === 'waiting', 5000, 'back to waiting');

  await f.api('POST', `/api/v1/session-requests/${r.id}/close`);
  assert.equal((await assist.closed).code, CloseCode.REQUEST_ENDED);
  assert.equal((await agent.closed).code, CloseCode.REQUEST_ENDED);
  assert.ok(assist.messages.some((m) => m.type === 'status' && m.status === 'closed'));
  const events = (await f.api('GET', `/api/v1/session-requests/${r.id}`)).body.events as { kind: string }[];
  assert.deepEqual(
    events.map((e) => e.kind).filter((k) => k !== 'created'),
    ['client_joined', 'connect_requested', 'consent_granted', 'peer_connected', 'session_ended', 'closed'],
  );
});

test('a browser host: the agent is told its kind, and more than view is refused before anyone is asked', async () => {
  const r = await newRequest();
  const agent = await joinAgent(f.url, f.adminToken, r.id);
  assert.equal((await agent.next('welcome')).peerHost, undefined);
  const assist = await joinAssist(f.url, { code: r.displayCode }, 'browser');
  assert.deepEqual(await agent.next('peer'), {
    type: 'peer',
    role: 'assist',
    present: true,
    host: 'browser',
  });

  agent.send({ type: 'connect', permissions: ['view', 'control'] });
  const refused = await agent.next('error');
  assert.equal(refused.code, 'permission_denied');
  assert.match(refused.message, /browser: view only/);
  assert.ok(!assist.messages.some((m) => m.type === 'consent_request'));
  assert.equal(await statusOf(r.id), 'waiting');

  agent.send({ type: 'connect', permissions: ['view'] });
  const ask = await assist.next('consent_request');
  assert.deepEqual(ask.permissions, ['view']);
  // An agent arriving later learns the kind from its welcome.
  agent.ws.close();
  await agent.closed;
  const again = await joinAgent(f.url, f.adminToken, r.id);
  assert.equal((await again.next('welcome')).peerHost, 'browser');
  again.ws.close();
  assist.ws.close();
});

test('an app host is named as one', async () => {
  const r = await newRequest();
  const assist = await joinAssist(f.url, { code: r.displayCode });
  const agent = await joinAgent(f.url, f.adminToken, r.id);
  assert.equal((await agent.next('welcome')).peerHost, 'app');
  agent.ws.close();
  assist.ws.close();
});

test('nothing is relayed before consent, and a deny reaches the agent at once', async () => {
  const r = await newRequest();
  const assist = await joinAssist(f.url, { token: r.customerLink.split('/j/')[1] as string });
  const agent = await joinAgent(f.url, f.adminToken, r.id);
  agent.send(offer);
  const err = await agent.next('error');
  assert.equal(err.code, 'permission_denied');
  assist.send({ type: 'signal', data: { type: 'answer', sdp: 'x' } });
  assert.equal((await assist.next('error')).code, 'permission_denied');
  assert.ok(!assist.messages.some((m) => m.type === 'signal'));

  agent.send({ type: 'connect', permissions: ['view'] });
  const ask = await assist.next('consent_request');
  const t0 = Date.now();
  assist.send({ type: 'consent', questionId: ask.questionId, granted: false });
  const result = await agent.next('consent_result');
  assert.equal(result.granted, false);
  assert.ok(Date.now() - t0 < 1000);
  assert.equal(await statusOf(r.id), 'waiting');
  // Asking for more than the request names is refused outright.
  const wide = await newRequest({ permissions: ['view'] });
  const a2 = await joinAssist(f.url, { code: wide.displayCode });
  const g2 = await joinAgent(f.url, f.adminToken, wide.id);
  g2.send({ type: 'connect', permissions: ['view', 'control'] });
  assert.equal((await g2.next('error')).code, 'permission_denied');
  assert.ok(!a2.messages.some((m) => m.type === 'consent_request'));
  for (const s of [assist, agent, a2, g2]) s.ws.close();
});

test('refused upgrades and bad frames change nothing', async () => {
  const r = await newRequest();
  // Earlier tests' sockets settle (their grace windows run out) before the snapshot.
  await sleep(700);
  const db = await snapshot(f.config.dbFile);
  const refused = async (query: string, opts: Parameters<typeof rawSignal>[2], status: RegExp) =>
    assert.rejects(rawSignal(f.url, query, opts).opened, status);
  await refused(`request=${r.id}`, { token: f.adminToken, origin: 'https://evil.example' }, /HTTP 403/);
  await refused(`request=${r.id}`, {}, /HTTP 401/);
  await refused(`request=${r.id}`, { token: 'x'.repeat(43) }, /HTTP 401/);
  await refused(`request=not-a-uuid`, { token: f.adminToken }, /HTTP 400/);
  await refused(`ticket=${'a'.repeat(43)}`, {}, /HTTP 401/);
  await refused(`request=${r.id}&ticket=${'a'.repeat(43)}`, { token: f.adminToken }, /HTTP 400/);
  assert.equal(await snapshot(f.config.dbFile), db);

  // A ticket works once only.
  const join = await f.api('POST', '/api/v1/join', { code: r.displayCode }, null);
  const first = rawSignal(f.url, `ticket=${join.body.ticket as string}`);
  await first.opened;
  await refused(`ticket=${join.body.ticket as string}`, {}, /HTTP 401/);
  first.ws.close();

  const closeCodeOf = async (frames: unknown[], opts: Parameters<typeof rawSignal>[2] = {}) => {
    const s = rawSignal(f.url, `request=${r.id}`, { token: f.adminToken, ...opts });
    await s.opened;
    for (const frame of frames) s.send(frame);
    return (await s.closed).code;
  };
  assert.equal(await closeCodeOf(['{not json']), CloseCode.BAD_MESSAGE);
  assert.equal(await closeCodeOf([{ type: 'connect', permissions: ['view'] }]), CloseCode.BAD_MESSAGE);
  assert.equal(await closeCodeOf([{ type: 'hello', v: PROTOCOL_VERSION + 1 }]), CloseCode.PROTOCOL_MISMATCH);
  assert.equal(await closeCodeOf(['x'.repeat(SIGNAL_MAX_FRAME_BYTES + 1)]), CloseCode.TOO_BIG);
  const flood = Array.from({ length: 500 }, () => ({ type: 'end_session' }));
  assert.equal(await closeCodeOf([{ type: 'hello', v: PROTOCOL_VERSION }, ...flood]), CloseCode.RATE_LIMITED);
  await sleep(300);
  assert.equal(await statusOf(r.id), 'open');
  assert.equal(await snapshot(f.config.dbFile), db);
});

test('one assist client and one agent per room', async () => {
  const r = await newRequest();
  const assist = await joinAssist(f.url, { code: r.displayCode });
  const join = await f.api('POST', '/api/v1/join', { code: r.displayCode }, null);
  const second = rawSignal(f.url, `ticket=${join.body.ticket as string}`);
  await second.opened;
  second.send({ type: 'hello', v: PROTOCOL_VERSION });
  assert.equal((await second.closed).code, CloseCode.ROOM_FULL);
  const agent = await joinAgent(f.url, f.adminToken, r.id);
  const other = rawSignal(f.url, `request=${r.id}`, { token: f.adminToken });
  await other.opened;
  other.send({ type: 'hello', v: PROTOCOL_VERSION });
  assert.equal((await other.closed).code, CloseCode.ROOM_FULL);
  assist.ws.close();
  agent.ws.close();
});

test('a closed or expired request refuses the upgrade', async () => {
  const r = await newRequest();
  const join = await f.api('POST', '/api/v1/join', { code: r.displayCode }, null);
  await f.api('POST', `/api/v1/session-requests/${r.id}/close`);
  await assert.rejects(rawSignal(f.url, `ticket=${join.body.ticket as string}`).opened, /HTTP 410/);
  await assert.rejects(rawSignal(f.url, `request=${r.id}`, { token: f.adminToken }).opened, /HTTP 410/);
});

test('heartbeats drop a dead peer; a drop keeps its place for the grace window only', async () => {
  const r = await newRequest();
  const assist = await joinAssist(f.url, { code: r.displayCode });
  const agent = await joinAgent(f.url, f.adminToken, r.id);
  // A peer that stops answering pings is terminated by the sweep.
  const mute = rawSignal(f.url, `request=${(await newRequest()).id}`, {
    token: f.adminToken,
    wsOptions: { autoPong: false },
  });
  await mute.opened;
  assert.equal((await mute.closed).code, 1006);

  // An abnormal drop: the agent is told at once, the status waits for the grace window.
  const mark = agent.messages.length;
  assist.ws.terminate();
  const gone = await agent.next('peer', mark);
  assert.equal(gone.present, false);
  assert.equal(await statusOf(r.id), 'waiting');
  const back = await joinAssist(f.url, { code: r.displayCode });
  await sleep(600);
  assert.equal(await statusOf(r.id), 'waiting');
  // Gone for longer than the grace window: the request is open again.
  back.ws.terminate();
  await waitFor(async () => (await statusOf(r.id)) === 'open', 5000, 'open after grace');
  agent.ws.close();
});

test('a host that drops while being asked is asked again when it is back, with the same question', async () => {
  const r = await newRequest();
  const assist = await joinAssist(f.url, { code: r.displayCode });
  const agent = await joinAgent(f.url, f.adminToken, r.id);
  agent.send({ type: 'connect', permissions: ['view', 'control'] });
  const ask = await assist.next('consent_request');

  // Its answer may have gone into the dead socket: back within the grace window, it is asked again.
  assist.ws.terminate();
  const back = await joinAssist(f.url, { code: r.displayCode });
  const again = await back.next('consent_request');
  assert.equal(again.questionId, ask.questionId);
  assert.deepEqual(again.permissions, ask.permissions);
  assert.ok(again.timeoutSec >= 1 && again.timeoutSec <= ask.timeoutSec);

  back.send({ type: 'consent', questionId: again.questionId, granted: true, permissions: ['view'] });
  const result = await agent.next('consent_result');
  assert.equal(result.granted, true);
  // Answered once: a second copy of the answer finds no question open.
  back.send({ type: 'consent', questionId: again.questionId, granted: true, permissions: ['view'] });
  assert.equal((await back.next('error')).code, 'conflict');
  agent.ws.close();
  back.ws.close();
});
