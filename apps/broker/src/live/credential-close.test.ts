import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AccountPermission, CloseCode, PROTOCOL_VERSION } from '@beckon/protocol';
import WebSocket from 'ws';
import { login, sleep, startFixture, waitFor, type Fixture } from '../testing/fixture.ts';
import { joinAgent, joinAssist, rawSignal, type RawSignal } from '../testing/signal-client.ts';

/**
 * Both hubs authenticate only at the upgrade, so a
 * sign-out, a revocation, a disabled user or a removed permission must reach
 * the sockets already open. Each must close within 1 s; others stay open.
 */
let f: Fixture;
before(async () => {
  f = await startFixture({ BECKON_SIGNAL_GRACE_MS: '5000', BECKON_SIGNAL_HEARTBEAT_MS: '1000' });
});
after(() => f.stop());

const PASSWORD = 'a long enough password';
const CLOSE_WITHIN_MS = 1000;

interface Live {
  ws: WebSocket;
  closed: Promise<{ code: number; reason: string }>;
}

async function live(token: string): Promise<Live> {
  const ws = new WebSocket(`${f.url.replace('http', 'ws')}/api/v1/live`, ['beckon.v1', `bearer.${token}`]);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const hello = new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  await hello;
  return { ws, closed };
}

/** An agent of the organisation, created by the admin, signed in `sessions` times. */
async function agent(sessions = 1) {
  const email = `agent-${randomUUID()}@example.com`;
  const created = await f.api('POST', '/api/v1/users', {
    email,
    name: 'Agent',
    password: PASSWORD,
    role: 'support_agent',
  });
  assert.equal(created.status, 201);
  const tokens: string[] = [];
  for (let i = 0; i < sessions; i++) tokens.push(await login(f.url, email, PASSWORD));
  return { id: created.body.id as string, tokens };
}

async function agentSignal(token: string): Promise<RawSignal> {
  const r = await f.api('POST', '/api/v1/session-requests', { recipientName: 'Ada' });
  assert.equal(r.status, 201);
  return joinAgent(f.url, token, r.body.id as string);
}

/** Closes within the bound, with the code, or the test fails. */
async function closesWith(closed: Promise<{ code: number }>, code: number, what: string): Promise<void> {
  const timeout = sleep(CLOSE_WITHIN_MS).then(() => null);
  const result = await Promise.race([closed, timeout]);
  assert.ok(result, `${what} still open ${CLOSE_WITHIN_MS} ms later`);
  assert.equal(result.code, code, what);
}

/** Still open a while after the event, and still served. */
async function staysOpen(ws: WebSocket, what: string): Promise<void> {
  await sleep(300);
  assert.equal(ws.readyState, WebSocket.OPEN, `${what} was closed`);
}

test('logout closes the live and signaling sockets of that session, and only those', async () => {
  const a = await agent(2);
  const [signedOut, other] = a.tokens as [string, string];
  const liveOut = await live(signedOut);
  const r = await f.api('POST', '/api/v1/session-requests', { recipientName: 'Ada' });
  const assist = await joinAssist(f.url, { code: r.body.displayCode as string });
  const signalOut = await joinAgent(f.url, signedOut, r.body.id as string);
  const liveOther = await live(other);
  const signalOther = await agentSignal(other);
  const liveAdmin = await live(f.adminToken);

  const at = assist.messages.length;
  assert.equal((await f.api('POST', '/api/v1/auth/logout', undefined, signedOut)).status, 204);
  await closesWith(liveOut.closed, CloseCode.CREDENTIAL_REVOKED, 'live socket of the signed-out session');
  await closesWith(signalOut.closed, CloseCode.CREDENTIAL_REVOKED, 'signal socket of the signed-out session');
  // An intentional leave: the host hears at once that the agent is gone.
  const gone = await assist.next('peer', at);
  assert.deepEqual(gone, { type: 'peer', role: 'agent', present: false });

  await staysOpen(liveOther.ws, 'live socket of the same user’s other session');
  await staysOpen(signalOther.ws, 'signal socket of the same user’s other session');
  await staysOpen(liveAdmin.ws, 'live socket of another user');
  // The signed-out token opens nothing new either.
  await assert.rejects(live(signedOut), /HTTP 401/);
  for (const s of [liveOther.ws, signalOther.ws, liveAdmin.ws, assist.ws]) s.close();
});

test('a revoked API token cannot hold a socket: the hubs never accept one, and revoking it closes no one else’s', async () => {
  const created = await f.api('POST', '/api/v1/api-tokens', {
    name: 'helpdesk',
    scopes: ['service_cases:read', 'service_cases:write'],
  });
  assert.equal(created.status, 201);
  const secret = created.body.secret as string;
  await assert.rejects(live(secret), /HTTP 401/);
  const r = await f.api('POST', '/api/v1/session-requests', { recipientName: 'Ada' });
  await assert.rejects(
    rawSignal(f.url, `request=${r.body.id as string}`, { token: secret }).opened,
    /HTTP 401/,
  );

  const a = await agent();
  const liveAgent = await live(a.tokens[0]!);
  const signalAgent = await agentSignal(a.tokens[0]!);
  const revoked = await f.api('DELETE', `/api/v1/api-tokens/${created.body.id as string}?closeCases=true`);
  assert.equal(revoked.status, 200);
  await staysOpen(liveAgent.ws, 'an agent’s live socket');
  await staysOpen(signalAgent.ws, 'an agent’s signal socket');
  liveAgent.ws.close();
  signalAgent.ws.close();
});

test('disabling a user closes every socket of every session of theirs at once', async () => {
  const a = await agent(2);
  const b = await agent();
  const lives = await Promise.all(a.tokens.map(live));
  const signals = await Promise.all(a.tokens.map(agentSignal));
  const liveB = await live(b.tokens[0]!);
  const signalB = await agentSignal(b.tokens[0]!);

  const patched = await f.api('PATCH', `/api/v1/users/${a.id}`, { disabled: true });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.disabled, true);
  for (const [i, s] of [...lives, ...signals].entries())
    await closesWith(s.closed, CloseCode.CREDENTIAL_REVOKED, `socket ${i} of the disabled user`);
  // No cached authentication outlives the change.
  assert.equal((await f.api('GET', '/api/v1/me', undefined, a.tokens[0])).status, 401);

  await staysOpen(liveB.ws, 'live socket of another user');
  await staysOpen(signalB.ws, 'signal socket of another user');
  liveB.ws.close();
  signalB.ws.close();
});

test('a removed permission closes what it allowed, and only that', async () => {
  const a = await agent();
  const b = await agent();
  const token = a.tokens[0]!;
  const liveA = await live(token);
  const signalA = await agentSignal(token);
  const signalB = await agentSignal(b.tokens[0]!);

  // Without the edit permission, no more `connect`: the signaling socket closes; viewing stays.
  const viewOnly = await f.api('PATCH', `/api/v1/users/${a.id}`, {
    permissions: [AccountPermission.REQUESTS_VIEW],
  });
  assert.equal(viewOnly.status, 200);
  await closesWith(signalA.closed, CloseCode.FORBIDDEN, 'signal socket without the edit permission');
  await staysOpen(liveA.ws, 'live socket that may still view');
  await staysOpen(signalB.ws, 'signal socket of another user');
  // A new signaling socket is refused too; nothing cached says otherwise.
  const again = await f.api('POST', '/api/v1/session-requests', { recipientName: 'Ada' });
  const refused = rawSignal(f.url, `request=${again.body.id as string}`, { token });
  await assert.rejects(refused.opened, /HTTP 403/);

  // A role change that takes the view permission away closes the live channel as well.
  const none = await f.api('PATCH', `/api/v1/users/${a.id}`, { role: 'support_agent', permissions: [] });
  assert.equal(none.status, 200);
  await closesWith(liveA.closed, CloseCode.FORBIDDEN, 'live socket without the view permission');
  signalB.ws.close();
});

test('a frame sent right after the credential ends is not acted on', async () => {
  const a = await agent();
  const token = a.tokens[0]!;
  const r = await f.api('POST', '/api/v1/session-requests', { recipientName: 'Ada' });
  const assist = await joinAssist(f.url, { code: r.body.displayCode as string });
  const s = rawSignal(f.url, `request=${r.body.id as string}`, { token });
  await s.opened;
  s.send({ type: 'hello', v: PROTOCOL_VERSION });
  await s.next('welcome');
  const logout = f.api('POST', '/api/v1/auth/logout', undefined, token);
  await waitFor(async () => (await logout).status === 204, 5000, 'logout');
  if (s.ws.readyState === WebSocket.OPEN) s.send({ type: 'connect', permissions: ['view'] });
  await closesWith(s.closed, CloseCode.CREDENTIAL_REVOKED, 'signal socket');
  await sleep(200);
  assert.equal(
    assist.messages.some((m) => m.type === 'consent_request'),
    false,
    'a consent question reached the host after sign-out',
  );
  assist.ws.close();
});
