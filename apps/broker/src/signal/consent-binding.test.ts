import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker } from '../testing/broker-process.ts';
import { ADMIN, login, request, sleep, startFixture, waitFor, type Fixture } from '../testing/fixture.ts';
import { joinAgent, joinAssist, type RawSignal } from '../testing/signal-client.ts';

// Consent is bound to one agent (by user id) and one question: the attacks a
// review ran against the room, each as a test on raw sockets. The host side
// of the same attacks, with real WebRTC, is in the assist client's tests.

const GRACE_MS = 600;
let f: Fixture;
const tokens: Record<'a' | 'b' | 'kim', string> = { a: '', b: '', kim: '' };

async function agentUser(email: string, name: string, url: string, api: Fixture['api']) {
  const password = 'a long agent password';
  const created = await api('POST', '/api/v1/users', { email, name, password, role: 'support_agent' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return login(url, email, password);
}

before(async () => {
  f = await startFixture({ BECKON_SIGNAL_GRACE_MS: String(GRACE_MS) });
  // Two different users with one display name, and a third with another.
  tokens.a = await agentUser('sam.a@example.com', 'Sam', f.url, f.api);
  tokens.b = await agentUser('sam.b@example.com', 'Sam', f.url, f.api);
  tokens.kim = await agentUser('kim@example.com', 'Kim', f.url, f.api);
});
after(() => f.stop());

const offer = { type: 'signal', data: { type: 'offer', sdp: 'v=0\r\n' } };
const statusOf = async (id: string) =>
  (await f.api('GET', `/api/v1/session-requests/${id}`)).body.status as string;

async function newRequest() {
  const r = await f.api('POST', '/api/v1/session-requests', { recipientName: 'Ada' });
  assert.equal(r.status, 201);
  return r.body as { id: string; displayCode: string };
}

/** A in session with `view`+`control`, the way a real pair gets there. */
async function inSession(id: string, assist: RawSignal) {
  const a = await joinAgent(f.url, tokens.a, id);
  a.send({ type: 'connect', permissions: ['view', 'control'] });
  const ask = await assist.next('consent_request');
  assist.send({ type: 'consent', questionId: ask.questionId, granted: true });
  assert.equal((await a.next('consent_result')).granted, true);
  assist.send({ type: 'peer_state', state: 'connected' });
  await waitFor(async () => (await statusOf(id)) === 'in_session', 5000, 'in_session');
  return { a, ask };
}

test('after A drops, B (same name or not) cannot signal the host; B is asked; the session ends with A', async () => {
  for (const intruder of ['b', 'kim'] as const) {
    const r = await newRequest();
    const assist = await joinAssist(f.url, { code: r.displayCode });
    const { a, ask } = await inSession(r.id, assist);
    assert.equal(ask.agentName, 'Sam');
    a.ws.terminate(); // A's process dies: a drop, not a leave

    const b = await joinAgent(f.url, tokens[intruder], r.id);
    const mark = assist.messages.length;
    b.send(offer);
    assert.equal((await b.next('error')).code, 'permission_denied');
    b.send({ type: 'peer_state', state: 'closed' });
    // The host's answers are not B's either.
    assist.send({ type: 'signal', data: { type: 'answer', sdp: 'v=0\r\n' } });
    assert.equal((await assist.next('error', mark)).code, 'permission_denied');
    await sleep(100);
    assert.ok(!assist.messages.slice(mark).some((m) => m.type === 'signal'), 'nothing relayed to the host');
    assert.ok(!b.messages.some((m) => m.type === 'signal'), 'nothing relayed to B');

    // B's Connect asks the person, naming B by user id.
    b.send({ type: 'connect', permissions: ['view', 'control'] });
    const asked = await assist.next('consent_request', mark);
    assert.notEqual(asked.agentId, ask.agentId);
    // B's joining did not stop A's clock: the session A was allowed ends with A's grace.
    assert.equal((await assist.next('session_ended', mark)).reason, 'agent_left');
    assert.equal(await statusOf(r.id), 'waiting');
    // The person denies B; nothing was ever allowed to B.
    assist.send({ type: 'consent', questionId: asked.questionId, granted: false });
    assert.equal((await b.next('consent_result')).granted, false);
    const events = (await f.api('GET', `/api/v1/session-requests/${r.id}`)).body.events as {
      kind: string;
      actor: { id: string | null };
    }[];
    const connected = events.filter((e) => e.kind === 'peer_connected');
    assert.deepEqual(
      connected.map((e) => e.actor.id),
      [ask.agentId],
      'the record names the agent that really connected',
    );
    for (const s of [assist, b]) s.ws.close();
  }
});

test("an Allow given to the question naming A never admits B; A's withdrawn question leaves the host", async () => {
  const r = await newRequest();
  const assist = await joinAssist(f.url, { code: r.displayCode });
  const a = await joinAgent(f.url, tokens.a, r.id);
  a.send({ type: 'connect', permissions: ['view', 'control'] });
  const q1 = await assist.next('consent_request');
  a.ws.terminate();
  const withdrawn = await assist.next('consent_withdrawn');
  assert.equal(withdrawn.questionId, q1.questionId);

  const b = await joinAgent(f.url, tokens.b, r.id);
  b.send({ type: 'connect', permissions: ['view', 'control'] });
  const mark = assist.messages.indexOf(withdrawn);
  const q2 = await assist.next('consent_request', mark);
  assert.notEqual(q2.questionId, q1.questionId);
  // The person answers the prompt that named A: it applies to nothing.
  assist.send({ type: 'consent', questionId: q1.questionId, granted: true });
  assert.equal((await assist.next('error', mark)).code, 'conflict');
  await sleep(150);
  assert.ok(!b.messages.some((m) => m.type === 'consent_result'), 'B got nothing from an answer to A');
  assert.equal(await statusOf(r.id), 'waiting');
  // The answer to B's own question is the one that counts.
  assist.send({ type: 'consent', questionId: q2.questionId, granted: false });
  assert.equal((await b.next('consent_result')).granted, false);
  for (const s of [assist, b]) s.ws.close();
});

test('A back within the grace window is admitted by the host through Connect; a "grace" for B is refused', async () => {
  const r = await newRequest();
  const assist = await joinAssist(f.url, { code: r.displayCode });
  const { a, ask } = await inSession(r.id, assist);
  a.ws.terminate();
  const a2 = await joinAgent(f.url, tokens.a, r.id);
  a2.send({ type: 'connect', permissions: ['view'] });
  const again = await assist.next('consent_request', assist.messages.indexOf(ask) + 1);
  assert.equal(again.agentId, ask.agentId);
  assist.send({
    type: 'consent',
    questionId: again.questionId,
    granted: true,
    permissions: ['view'],
    reason: 'grace',
  });
  assert.deepEqual(await a2.next('consent_result'), {
    type: 'consent_result',
    granted: true,
    permissions: ['view'],
    reason: 'grace',
  });
  assert.equal(await statusOf(r.id), 'ready', 'the new connection replaces the old session');
  a2.ws.terminate();

  // B with A's name: a host (or a forged frame) claiming grace for B admits nothing.
  const b = await joinAgent(f.url, tokens.b, r.id);
  b.send({ type: 'connect', permissions: ['view'] });
  const forB = await assist.next('consent_request', assist.messages.indexOf(again) + 1);
  assist.send({ type: 'consent', questionId: forB.questionId, granted: true, reason: 'grace' });
  assert.equal((await b.next('consent_result')).granted, false);
  for (const s of [assist, b]) s.ws.close();
});

test('after a broker restart, the consent stays bound to the agent who had it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-consent-restart-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const env = {
    BECKON_PORT: String(port),
    BECKON_ADMIN_EMAIL: ADMIN.email,
    BECKON_ADMIN_PASSWORD: ADMIN.password,
    BECKON_SIGNAL_GRACE_MS: '5000',
  };
  let broker = await startBroker(env, { dataDir });
  try {
    const admin = await login(broker.url, ADMIN.email, ADMIN.password);
    const api = (m: string, p: string, body?: unknown) => request(broker.url, m, p, body, admin);
    const tokenA = await agentUser('a@example.com', 'Sam', broker.url, api);
    const tokenB = await agentUser('b@example.com', 'Sam', broker.url, api);
    const r = (await api('POST', '/api/v1/session-requests', { recipientName: 'Ada' })).body as {
      id: string;
      displayCode: string;
    };
    const assist = await joinAssist(broker.url, { code: r.displayCode });
    const a = await joinAgent(broker.url, tokenA, r.id);
    a.send({ type: 'connect', permissions: ['view', 'control'] });
    const ask = await assist.next('consent_request');
    assist.send({ type: 'consent', questionId: ask.questionId, granted: true });
    await a.next('consent_result');
    assist.send({ type: 'peer_state', state: 'connected' });
    await waitFor(
      async () => (await api('GET', `/api/v1/session-requests/${r.id}`)).body.status === 'in_session',
      5000,
      'in_session',
    );

    await broker.stop('SIGKILL');
    broker = await startBroker(env, { dataDir });
    const assist2 = await joinAssist(broker.url, { code: r.displayCode });
    const b = await joinAgent(broker.url, tokenB, r.id);
    b.send(offer);
    assert.equal((await b.next('error')).code, 'permission_denied');
    await sleep(100);
    assert.ok(!assist2.messages.some((m) => m.type === 'signal'), 'nothing relayed to the host');
    b.ws.close();
    await b.closed;
    await sleep(100); // the broker sees B's place free before A takes it
    // A itself still reaches its live peer after the restart.
    const a2 = await joinAgent(broker.url, tokenA, r.id);
    a2.send(offer);
    assert.equal((await assist2.next('signal')).data.type, 'offer');
    for (const s of [assist2, a2]) s.ws.close();
  } finally {
    await broker.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a "grant" answer for a request no unattended-access grant admits is no admission', async () => {
  const r = await newRequest();
  const assist = await joinAssist(f.url, { code: r.displayCode });
  const a = await joinAgent(f.url, tokens.a, r.id);
  a.send({ type: 'connect', permissions: ['view'] });
  const ask = await assist.next('consent_request');
  assist.send({ type: 'consent', questionId: ask.questionId, granted: true, reason: 'grant' });
  assert.equal((await a.next('consent_result')).granted, false);
  assert.notEqual(await statusOf(r.id), 'ready');
  for (const s of [assist, a]) s.ws.close();
});
