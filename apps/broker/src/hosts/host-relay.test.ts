import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { HostPresenceInfo, HostServerMessage, SystemInfo } from '@beckon/protocol';
import { waitFor } from '../testing/fixture.ts';
import { MemoryCluster } from '../signal/signal-cluster.ts';
import { HostRelay, type LocalHosts } from './host-relay.ts';

// The relay's bookkeeping with brokers in one process (MemoryCluster: messages
// through JSON and the protocol's schema, on a later turn, as over Redis). The
// host sockets themselves are a stand-in here, since only their bookkeeping is
// under test; cluster/host-relay.test.ts runs real hosts on real brokers.

const PRESENCE: HostPresenceInfo = { hostname: 'h', os: 'linux', userPresent: true, screenLocked: false };
const INFO: SystemInfo = {
  os: { platform: 'linux', distro: 'Debian', release: '12', arch: 'x64', hostname: 'h' },
  cpu: { manufacturer: 'x', brand: 'y', cores: 2, physicalCores: 1, speedGHz: 2 },
  memory: { totalBytes: 1 },
  disks: [],
  network: [],
};

/** One broker's own host sockets, as a map: what each host was sent is recorded. */
function localHosts(info: SystemInfo | null = INFO) {
  const online = new Map<string, HostPresenceInfo | null>();
  const sent: { host: string; message: HostServerMessage }[] = [];
  const revoked: string[] = [];
  const hub: LocalHosts = {
    isOnline: (id) => online.has(id),
    presenceOf: (id) => online.get(id) ?? null,
    lastSeenOf: () => null,
    revoke: (id) => {
      if (online.delete(id)) revoked.push(id);
    },
    offer: (id, message) => {
      if (!online.has(id)) return false;
      sent.push({ host: id, message });
      return true;
    },
    systemInfo: async (id) => (online.has(id) ? info : null),
    *connected() {
      for (const [id, presence] of online) yield { id, presence };
    },
  };
  return { hub, online, sent, revoked };
}

const quiet = { warn: () => {} };

function broker(net: MemoryCluster, info?: SystemInfo | null) {
  const local = localHosts(info);
  const grants: { host: string; grantId: string }[] = [];
  const cluster = net.member();
  const relay = new HostRelay(local.hub, cluster, {
    onGrant: (host, m) => grants.push({ host, grantId: m.grantId }),
    log: quiet,
    tickMs: 50,
    sysinfoTimeoutMs: 300,
  });
  const connect = (id: string, presence: HostPresenceInfo | null = PRESENCE) => {
    local.online.set(id, presence);
    relay.localChanged(id);
  };
  const disconnect = (id: string) => {
    local.online.delete(id);
    relay.localChanged(id);
  };
  return { relay, cluster, local, grants, connect, disconnect };
}

// Ids on the host channel are UUIDs (the bus checks them with the channel's schema).
const [G1, G2] = [randomUUID(), randomUUID()];
const ASK: HostServerMessage = {
  type: 'grant_request',
  grantId: G1,
  requestId: randomUUID(),
  agentId: randomUUID(),
  agentName: 'Ann',
  orgName: 'Acme',
  mode: 'at_connection',
  permissions: ['view'],
  duration: { kind: 'unlimited' },
  daily: null,
  timeZone: 'UTC',
};

test('a broker started later learns by roll call which hosts the others hold; a host that leaves is offline everywhere', async () => {
  const net = new MemoryCluster();
  const b = broker(net);
  b.connect('h1');
  b.connect('h2', null);
  const a = broker(net);
  await waitFor(() => a.relay.isOnline('h1') && a.relay.isOnline('h2'), 2000, 'roll call');
  assert.deepEqual(a.relay.presenceOf('h1'), PRESENCE);
  b.disconnect('h1');
  await waitFor(() => !a.relay.isOnline('h1'), 2000, 'host_off');
  assert.equal(a.relay.isOnline('h2'), true);
  for (const x of [a, b]) x.relay.close();
});

test("what is said to a host goes to its holder; a grant's answer comes back to the broker that asked", async () => {
  const net = new MemoryCluster();
  const [a, b] = [broker(net), broker(net)];
  b.connect('h1');
  await waitFor(() => a.relay.isOnline('h1'), 2000, 'host_on');
  assert.equal(a.relay.offer('h1', ASK), true);
  await waitFor(() => b.local.sent.length === 1, 2000, 'delivered on B');
  // The host answers on B: the answer is A's, where the agent waits.
  b.relay.fromHost('h1', { type: 'grant_answer', grantId: G1, approved: true, why: 'user' });
  await waitFor(() => a.grants.length === 1, 2000, 'answer on A');
  assert.deepEqual(b.grants, []);
  // A grant nobody asked elsewhere is B's own.
  b.relay.fromHost('h1', { type: 'grant_revoked', grantId: G2 });
  assert.deepEqual(b.grants, [{ host: 'h1', grantId: G2 }]);
  assert.deepEqual(await a.relay.systemInfo('h1', 'q1'), INFO);
  assert.equal(a.relay.offer('nobody', ASK), false);
  for (const x of [a, b]) x.relay.close();
});

test('a grant question that finds the host gone is answered at once; revocation closes the socket wherever it is', async () => {
  const net = new MemoryCluster();
  const [a, b] = [broker(net), broker(net)];
  b.connect('h1');
  await waitFor(() => a.relay.isOnline('h1'), 2000, 'host_on');
  b.local.online.delete('h1'); // gone on B before B said so
  a.relay.offer('h1', ASK);
  await waitFor(() => a.grants.length === 1, 2000, 'no_session answer on A');
  // Back with other presence, so that A is seen to have heard the reconnect (A never heard it
  // leave): an announcement still on its way would otherwise land after the revoke below.
  b.connect('h1', { ...PRESENCE, screenLocked: true });
  await waitFor(() => a.relay.presenceOf('h1')?.screenLocked === true, 2000, 'back');
  a.relay.revoke('h1');
  await waitFor(() => b.local.revoked.includes('h1'), 2000, 'closed on B');
  assert.equal(a.relay.isOnline('h1'), false);
  for (const x of [a, b]) x.relay.close();
});

test('the hosts of a broker that died are offline once its lease is gone; a question to it ends at the timeout', async () => {
  const net = new MemoryCluster();
  const [a, b] = [broker(net), broker(net, null)];
  b.connect('h1');
  await waitFor(() => a.relay.isOnline('h1'), 2000, 'host_on');
  // A host that does not answer: the holder says null after its timeout.
  assert.equal(await a.relay.systemInfo('h1', 'q1'), null);
  b.relay.close();
  await b.cluster.close();
  const asked = a.relay.systemInfo('h1', 'q2');
  assert.equal(await asked, null);
  await waitFor(() => !a.relay.isOnline('h1'), 2000, 'forgotten');
  a.relay.close();
});
