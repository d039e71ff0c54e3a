import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CloseCode } from '@beckon/protocol';
import { startCluster, type Cluster } from '../testing/cluster.ts';
import { login, request, waitFor } from '../testing/fixture.ts';
import { connectHost, enrolHost, newHostKey, type RawHost } from '../testing/host-client.ts';
import { joinAgent, joinAssist } from '../testing/signal-client.ts';

/**
 * A managed host whose socket is on broker B, and an agent who works through
 * broker A (each reached directly, to choose which): real brokers sharing one
 * PostgreSQL and one Redis. Everything the agent does to the host goes
 * through B's socket, and what the host answers comes back to A.
 */
let cluster: Cluster;
let token: string;
let a = '';
let b = '';
const api = (method: string, path: string, body?: unknown) => request(a, method, path, body, token);

const INFO = {
  os: { platform: 'linux', distro: 'Debian', release: '12', arch: 'x64', hostname: 'far-away' },
  cpu: { manufacturer: 'x', brand: 'y', cores: 2, physicalCores: 1, speedGHz: 2 },
  memory: { totalBytes: 1024 },
  disks: [],
  network: [],
};

before(async () => {
  cluster = await startCluster({ brokers: 2 });
  [a, b] = cluster.brokers.map((x) => x.url) as [string, string];
  token = await login(cluster.url, cluster.admin.email, cluster.admin.password);
});
after(() => cluster.stop());

/** Enrolled through A, connected to B, answering system-information questions as a real host does. */
async function hostOnB(name: string): Promise<{ id: string; host: RawHost }> {
  const key = newHostKey();
  const id = await enrolHost(a, token, key, name);
  const host = await connectHost(b, id, key);
  await host.next('welcome');
  host.ws.on('message', (d) => {
    const m = JSON.parse(d.toString()) as { type: string; id?: string };
    if (m.type === 'sysinfo_request') host.send({ type: 'sysinfo', id: m.id, info: INFO });
  });
  return { id, host };
}

test('a host on broker B, an agent on broker A: online, system information, connect, unattended grant, revoke', async () => {
  const { id, host } = await hostOnB('Far desk');
  // A knows the host is online though its socket is on B.
  await waitFor(
    async () => (await api('GET', `/api/v1/hosts/${id}`)).body.online === true,
    5000,
    'online on A',
  );
  const listed = (await api('GET', '/api/v1/hosts')).body.items as { id: string; online: boolean }[];
  assert.equal(listed.find((h) => h.id === id)?.online, true);

  const t0 = Date.now();
  const info = await api('GET', `/api/v1/hosts/${id}/system-info`);
  assert.equal(info.status, 200, JSON.stringify(info.body));
  assert.deepEqual(info.body, INFO);
  console.log(`system information through another broker in ${Date.now() - t0} ms`);

  // Connect on A: the offer reaches the host on B, which joins the session like any assist client.
  const connect = await api('POST', `/api/v1/hosts/${id}/connect`, {});
  assert.equal(connect.status, 201, JSON.stringify(connect.body));
  const requestId = connect.body.id as string;
  const offer = await host.next('session_offer');
  assert.equal(offer.requestId, requestId);
  const assist = await joinAssist(b, { code: offer.code });
  const agent = await joinAgent(a, token, requestId);
  agent.send({ type: 'connect', permissions: ['view', 'control'] });
  const ask = await assist.next('consent_request');
  assist.send({ type: 'consent', questionId: ask.questionId, granted: true });
  assert.equal((await agent.next('consent_result')).granted, true);
  assist.send({ type: 'peer_state', state: 'connected', relayed: false });
  await waitFor(
    async () => (await api('GET', `/api/v1/session-requests/${requestId}`)).body.status === 'in_session',
    5000,
    'in_session',
  );

  // The grant question goes to the host on B; its answer comes back to the agent waiting on A.
  const pending = api('POST', `/api/v1/session-requests/${requestId}/unattended`, {
    permissions: ['view', 'control'],
    timeZone: 'Europe/Berlin',
    mode: 'at_connection',
    duration: { kind: 'unlimited' },
  });
  const question = await host.next('grant_request');
  assert.equal(question.requestId, requestId);
  const t1 = Date.now();
  host.send({ type: 'grant_answer', grantId: question.grantId, approved: true, why: 'user' });
  const granted = await pending;
  assert.equal(granted.status, 201, JSON.stringify(granted.body));
  assert.equal(granted.body.status, 'active');
  console.log(`grant answer back through another broker in ${Date.now() - t1} ms`);

  // Revoked on A: the host on B is told at once.
  const revoked = await api('POST', `/api/v1/hosts/${id}/grants/${question.grantId}/revoke`, {});
  assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
  assert.equal((await host.next('grant_revoked')).grantId, question.grantId);
  assist.ws.close();
  agent.ws.close();
  host.ws.close();
});

test('deleting a host on broker A closes its socket on broker B at once', async () => {
  const { id, host } = await hostOnB('Doomed desk');
  await waitFor(
    async () => (await api('GET', `/api/v1/hosts/${id}`)).body.online === true,
    5000,
    'online on A',
  );
  const t0 = Date.now();
  assert.equal((await api('DELETE', `/api/v1/hosts/${id}`)).status, 204);
  const closed = await Promise.race([
    host.closed,
    new Promise<null>((r) => setTimeout(() => r(null), 2000).unref()),
  ]);
  assert.equal(closed?.code, CloseCode.CREDENTIAL_REVOKED, 'closed within 2 s');
  console.log(`socket on B closed ${Date.now() - t0} ms after the delete on A`);
});

test('a host that leaves broker B is offline on A, and A answers at once that it cannot reach it', async () => {
  const { id, host } = await hostOnB('Leaving desk');
  await waitFor(
    async () => (await api('GET', `/api/v1/hosts/${id}`)).body.online === true,
    5000,
    'online on A',
  );
  host.ws.close();
  await waitFor(
    async () => (await api('GET', `/api/v1/hosts/${id}`)).body.online === false,
    5000,
    'offline on A',
  );
  assert.equal((await api('POST', `/api/v1/hosts/${id}/connect`, {})).status, 409);
  assert.equal((await api('GET', `/api/v1/hosts/${id}/system-info`)).status, 409);
});
