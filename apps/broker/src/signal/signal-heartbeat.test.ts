import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sleep, startFixture, type Fixture } from '../testing/fixture.ts';
import { rawSignal } from '../testing/signal-client.ts';

// The heartbeat's timing on a broker of its own, so that no other test's
// sockets change how often the sweep comes round: a peer far away answers
// pings late, and must not be taken for dead while it answers within the
// interval.

const HEARTBEAT_MS = 1000;
let f: Fixture;
before(async () => {
  f = await startFixture({ BECKON_SIGNAL_HEARTBEAT_MS: String(HEARTBEAT_MS) });
});
after(() => f.stop());

async function agentSocket(pongAfterMs: number | null) {
  const r = await f.api('POST', '/api/v1/session-requests', { recipientName: 'Ada' });
  assert.equal(r.status, 201);
  const socket = rawSignal(f.url, `request=${(r.body as { id: string }).id}`, {
    token: f.adminToken,
    wsOptions: { autoPong: false },
  });
  const pings: number[] = [];
  socket.ws.on('ping', () => {
    pings.push(performance.now());
    if (pongAfterMs !== null) setTimeout(() => socket.ws.pong(), pongAfterMs);
  });
  await socket.opened;
  return { socket, pings };
}

test('a slow pong within the interval keeps the socket, and each socket is pinged once per interval', async () => {
  // Half the interval: a link with a long queue. The lone socket used to be
  // visited every sweep tick (100 ms) and terminated at its second visit.
  const { socket, pings } = await agentSocket(HEARTBEAT_MS / 2);
  let closedAt: number | null = null;
  void socket.closed.then(() => (closedAt = performance.now()));
  const start = performance.now();
  await sleep(3.5 * HEARTBEAT_MS);
  assert.equal(closedAt, null, `closed after ${closedAt === null ? 0 : closedAt - start} ms`);
  assert.ok(pings.length >= 3 && pings.length <= 5, `${pings.length} pings in 3.5 intervals`);
  for (let i = 1; i < pings.length; i++)
    assert.ok(pings[i]! - pings[i - 1]! >= HEARTBEAT_MS - 5, `pings ${pings[i]! - pings[i - 1]!} ms apart`);
  socket.ws.close();
});

test('a socket that never answers is still dropped, within two intervals of its ping', async () => {
  const { socket, pings } = await agentSocket(null);
  const closed = await socket.closed;
  assert.equal(closed.code, 1006);
  const lastPing = pings.at(-1)!;
  assert.ok(performance.now() - lastPing <= 2 * HEARTBEAT_MS + 250);
});
