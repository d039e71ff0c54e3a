import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CloseCode, ErrorCode } from '@beckon/protocol';
import { PROTOCOL_VERSION } from '@beckon/protocol';
import { startCluster, type Cluster } from '../testing/cluster.ts';
import { login, request, waitFor } from '../testing/fixture.ts';
import { joinAgent, rawSignal } from '../testing/signal-client.ts';

/**
 * Real brokers sharing one PostgreSQL and one Redis, the way a load balancer
 * spreads peers over them: the end user's join, its socket and the agent's
 * socket each on another broker (each reached directly, to choose which).
 */
let cluster: Cluster;
let token: string;
const a = {
  url: '',
  api: (method: string, path: string, body?: unknown) => request(a.url, method, path, body, token),
};
let b: { url: string };
let c: { url: string };
before(async () => {
  cluster = await startCluster({ brokers: 4, env: { BECKON_SIGNAL_HEARTBEAT_MS: '500' } });
  [a.url, b, c] = [
    cluster.brokers[0]?.url ?? '',
    cluster.brokers[1] ?? { url: '' },
    cluster.brokers[2] ?? { url: '' },
  ];
  token = await login(cluster.url, cluster.admin.email, cluster.admin.password);
});
after(() => cluster.stop());

const statusOf = async (id: string) =>
  (await a.api('GET', `/api/v1/session-requests/${id}`)).body.status as string;

/** The end user's join on one broker, its socket on another. */
async function hostVia(joinUrl: string, socketUrl: string, code: string) {
  const res = await request(joinUrl, 'POST', '/api/v1/join', { code });
  assert.equal(res.status, 200);
  const s = rawSignal(socketUrl, `ticket=${res.body.ticket as string}`);
  await s.opened;
  s.send({ type: 'hello', v: PROTOCOL_VERSION });
  await s.next('welcome');
  return s;
}

test('a session whose peers are on different brokers: the consent gate holds, signals cross, status and close reach both', async () => {
  const r = (await a.api('POST', '/api/v1/session-requests', { recipientName: 'Ada' })).body;
  // A ticket is single-use on every broker: spent on B, refused on C.
  const join = await request(a.url, 'POST', '/api/v1/join', { code: r.displayCode });
  const host = rawSignal(b.url, `ticket=${join.body.ticket as string}`);
  await host.opened;
  const again = rawSignal(c.url, `ticket=${join.body.ticket as string}`);
  await assert.rejects(again.opened, /HTTP 401/);
  host.send({ type: 'hello', v: PROTOCOL_VERSION });
  await host.next('welcome');
  await waitFor(async () => (await statusOf(r.id)) === 'waiting', 5000, 'waiting');

  const agent = await joinAgent(c.url, token, r.id);
  assert.equal((await agent.next('welcome')).peerPresent, true);
  // Nothing crosses before the end user's Allow.
  agent.send({ type: 'signal', data: { type: 'offer', sdp: 'v=0\r\n' } });
  assert.equal((await agent.next('error')).code, ErrorCode.PERMISSION_DENIED);

  agent.send({ type: 'connect', permissions: ['view', 'control'] });
  const ask = await host.next('consent_request');
  host.send({ type: 'consent', questionId: 'f'.repeat(32), granted: true });
  assert.equal((await host.next('error')).code, ErrorCode.CONFLICT);
  host.send({ type: 'consent', questionId: ask.questionId, granted: true });
  assert.equal((await agent.next('consent_result')).granted, true);

  const mark = host.messages.length;
  agent.send({ type: 'signal', data: { type: 'offer', sdp: 'v=0\r\n' } });
  assert.equal((await host.next('signal', mark)).data.type, 'offer');
  const back = agent.messages.length;
  host.send({ type: 'signal', data: { type: 'answer', sdp: 'v=0\r\n' } });
  assert.equal((await agent.next('signal', back)).data.type, 'answer');
  host.send({ type: 'peer_state', state: 'connected', relayed: false });
  await waitFor(async () => (await statusOf(r.id)) === 'in_session', 5000, 'in_session');

  // Closed through broker A, which holds neither socket.
  await a.api('POST', `/api/v1/session-requests/${r.id}/close`);
  assert.equal((await host.closed).code, CloseCode.REQUEST_ENDED);
  assert.equal((await agent.closed).code, CloseCode.REQUEST_ENDED);
});

// The agent's broker rebuilds the room from the request as stored when the room moves, not as it
// was when the agent came (before the consent): else the consent would be lost about half the runs.
test("SIGKILL of the broker holding the host's socket and the room: another broker takes the room, the consent stands", async () => {
  const victim = cluster.brokers[3];
  assert.ok(victim);
  const r = (await a.api('POST', '/api/v1/session-requests', { recipientName: 'Bo' })).body;
  const host = await hostVia(a.url, victim.url, r.displayCode);
  const agent = await joinAgent(c.url, token, r.id);
  agent.send({ type: 'connect', permissions: ['view'] });
  const ask = await host.next('consent_request');
  host.send({ type: 'consent', questionId: ask.questionId, granted: true });
  await agent.next('consent_result');
  host.send({ type: 'peer_state', state: 'connected', relayed: false });
  await waitFor(async () => (await statusOf(r.id)) === 'in_session', 5000, 'in_session');

  const t0 = Date.now();
  await victim.stop('SIGKILL');
  // The host sees its socket drop and comes back through another broker with a fresh ticket.
  assert.notEqual((await host.closed).code, CloseCode.REQUEST_ENDED);
  const mark = agent.messages.length;
  const back = await hostVia(b.url, b.url, r.displayCode);
  assert.equal((await agent.next('peer', mark)).present, true);
  const moved = Date.now() - t0;
  // The agent's socket never dropped, and its consent holds: signals cross without a new question.
  const m2 = back.messages.length;
  agent.send({ type: 'signal', data: { type: 'offer', sdp: 'v=0\r\n' } });
  assert.equal((await back.next('signal', m2)).data.type, 'offer');
  assert.ok(!back.messages.some((m) => m.type === 'consent_request'));
  assert.equal(await statusOf(r.id), 'in_session');
  console.log(`room moved and host back through another broker in ${moved} ms`);
  back.ws.close();
  agent.ws.close();
});
