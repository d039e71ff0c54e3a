import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wrtc from '@roamhq/wrtc';
import { selectBackend, type CaptureBackend } from '@beckon/capture';
import { startXvfb, type Xvfb } from '@beckon/capture/testing';
import { startCoturn, type Coturn } from '@beckon/session/testing';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { TestAgent } from '../testing/agent.ts';
import { startTcpRelay, type TcpRelay } from '../testing/tcp-relay.ts';
import { HostSession, type HostUi } from './host-session.ts';

// The transport under a session on real parts: a TURN relay (coturn), a
// wrong TURN secret, and a broker killed in the middle of a live session.

process.once('beforeExit', () => process.exit());

const SECRET = 'turn-secret-for-the-transport-tests';
let xvfb: Xvfb;
let backend: CaptureBackend;
let coturn: Coturn;
const downloads = mkdtempSync(join(tmpdir(), 'beckon-transport-'));
const allowAll: HostUi = { askConsent: async () => ({ allow: true }), confirmFile: async () => false };

before(async () => {
  xvfb = await startXvfb({ width: 640, height: 360 });
  const selected = await selectBackend('linux', { display: xvfb.display });
  if (!selected.ok) throw new Error(selected.error.message);
  backend = selected.backend;
  coturn = await startCoturn(SECRET);
});
after(async () => {
  await coturn.stop();
  await backend.close();
  rmSync(downloads, { recursive: true, force: true });
});

async function session(
  broker: TestBroker,
  policy: 'all' | 'relay',
  hostVia = broker.url,
  ui = allowAll,
  agentVia = broker.url,
) {
  const request = await broker.api.createRequest();
  const host = new HostSession({
    brokerUrl: hostVia,
    target: { kind: 'token', token: request.customerLink.split('/j/')[1]! },
    backend,
    wrtc: wrtc as never,
    ui,
    downloadDir: downloads,
    iceTransportPolicy: policy,
  });
  const live = new Promise<{ relayed: boolean; verificationCode: string }>((resolve) =>
    host.on('live', resolve),
  );
  await host.start();
  await broker.api.waitForStatus(request.id, 'waiting');
  const agent = new TestAgent(agentVia, broker.token, request.id, wrtc, policy);
  await agent.start();
  return { request, host, agent, live };
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('relay only: the session runs through coturn, and both sides show the same verification code', async () => {
  const broker = await startBroker({ BECKON_TURN_URLS: coturn.urls.join(','), BECKON_TURN_SECRET: SECRET });
  try {
    const { request, host, agent, live } = await session(broker, 'relay');
    const mark = agent.connect(['view', 'control', 'system_info']);
    assert.equal((await agent.next('consent_result', mark)).granted, true);
    const agentLive = await agent.live();
    const hostLive = await live;
    assert.equal(agentLive.relayed, true);
    assert.equal(hostLive.relayed, true);
    assert.match(agentLive.verificationCode, /\S/);
    assert.equal(agentLive.verificationCode, hostLive.verificationCode);
    await broker.api.waitForStatus(request.id, 'in_session');
    await until(() => agent.frames > 3, 'video frames through the relay');
    agent.send({ type: 'sysinfo_request' });
    await until(() => agent.received.some((m) => m.type === 'sysinfo_snapshot'), 'data through the relay');
    agent.close();
    host.leave();
  } finally {
    await broker.stop();
  }
});

test('relay only with a wrong TURN secret fails with a clear error', async () => {
  const broker = await startBroker({
    BECKON_TURN_URLS: coturn.urls.join(','),
    BECKON_TURN_SECRET: 'not-the-secret-coturn-has',
  });
  try {
    const { host, agent } = await session(broker, 'relay');
    const problems: string[] = [];
    host.on('problem', (p) => problems.push(p));
    agent.connect(['view']);
    await until(
      () => agent.problems.length > 0 && problems.length > 0,
      'a clear error on both sides',
      30_000,
    );
    assert.match(agent.problems[0]!, /TURN/);
    assert.notEqual(agent.peer?.state, 'connected');
    agent.close();
    host.leave();
  } finally {
    await broker.stop();
  }
});

test('broker killed mid-session: the peers keep talking, signaling comes back, the status is right', async () => {
  // A grace window longer than the clients' reconnect backoff can grow while the
  // broker is down (on a loaded machine that is seconds): the test is about a
  // session that survives, not about a client that came back too late.
  const broker = await startBroker({ BECKON_SIGNAL_GRACE_MS: '10000' });
  let parts: Awaited<ReturnType<typeof session>> | undefined;
  try {
    parts = await session(broker, 'all');
    const { request, agent } = parts;
    agent.connect(['view', 'control', 'system_info']);
    await agent.live();
    await broker.api.waitForStatus(request.id, 'in_session');

    await broker.kill();
    const before = agent.received.length;
    agent.send({ type: 'sysinfo_request' });
    await until(
      () => agent.received.slice(before).some((m) => m.type === 'sysinfo_snapshot'),
      'P2P without a broker',
    );
    const frames = agent.frames;
    await until(() => agent.frames > frames + 5, 'video without a broker');

    await broker.restart();
    await until(() => agent.signalingOpen(), 'agent signaling back', 30_000);
    await until(
      async () => (await broker.api.request('GET', `/api/v1/session-requests/${request.id}`)).status === 200,
      'broker up',
    );
    // Past the broker's reconcile window the session is still in_session: both peers reported back.
    await new Promise((r) => setTimeout(r, 10_500));
    assert.equal(await broker.api.status(request.id), 'in_session');

    agent.endSession();
    await broker.api.waitForStatus(request.id, 'waiting');
  } finally {
    // Closed even after a failure: a live wrtc peer would keep this file from ending.
    parts?.agent.close();
    parts?.host.leave();
    await broker.stop();
  }
});

type Parts = Awaited<ReturnType<typeof session>>;

/**
 * A broker with a TCP relay in front of one side's signaling, for a test that
 * cuts that link: the session it opens, the relay and the broker are closed
 * after it, even after a failure (a live wrtc peer would keep this file from ending).
 */
async function overRelay(
  side: 'host' | 'agent',
  body: (c: { broker: TestBroker; relay: TcpRelay; open(ui: HostUi): Promise<Parts> }) => Promise<void>,
): Promise<void> {
  const broker = await startBroker();
  const relay = await startTcpRelay(broker.url);
  const via = (who: 'host' | 'agent') => (who === side ? relay.url : broker.url);
  let parts: Parts | undefined;
  try {
    await body({
      broker,
      relay,
      open: async (ui) => (parts = await session(broker, 'all', via('host'), ui, via('agent'))),
    });
  } finally {
    parts?.agent.close();
    parts?.host.leave();
    await relay.stop();
    await broker.stop();
  }
}

test("the host's signaling drops between Allow and the agent's offer: the agent offers again when the host is back", () =>
  overRelay('host', async ({ broker, relay, open }) => {
    // The host answers Allow and from then on hears nothing: the broker relays
    // the agent's offer into a connection that is already dead, as across a
    // lossy link where the socket closes with 1006 only later.
    const { request, agent, live } = await open({
      ...allowAll,
      askConsent: async () => {
        relay.deafen();
        return { allow: true };
      },
    });
    const mark = agent.connect(['view', 'control']);
    assert.equal((await agent.next('consent_result', mark)).granted, true);
    await until(() => agent.session.phase === 'connecting', 'agent negotiating');
    // Long enough for the offer and its candidates to be relayed into the deaf socket.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(agent.session.phase, 'connecting', 'no answer can have come back');
    relay.cut();
    relay.restore();

    const agentLive = await agent.live(30_000);
    assert.equal(agentLive.verificationCode, (await live).verificationCode);
    const frames = agent.frames;
    await until(() => agent.frames > frames + 3, 'video after the host came back');
    await broker.api.waitForStatus(request.id, 'in_session');
  }));

test("the host's Allow goes into a dead socket: asked again when it is back, it answers again without asking the person twice", () =>
  overRelay('host', async ({ relay, open }) => {
    let asked = 0;
    const { agent } = await open({
      ...allowAll,
      askConsent: async () => {
        asked++;
        relay.mute();
        return { allow: true };
      },
    });
    const mark = agent.connect(['view', 'control']);
    await until(() => asked === 1, 'the person asked');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(agent.session.phase, 'asking', 'the answer cannot have arrived');
    relay.cut();
    relay.restore();

    assert.equal((await agent.next('consent_result', mark, 30_000)).granted, true);
    await agent.live(30_000);
    assert.equal(asked, 1, 'the person was asked once');
  }));

test("the agent's socket drops while the person is being asked: back, it is idle and may ask again", () =>
  overRelay('agent', async ({ relay, open }) => {
    let asked = 0;
    // The first question stays on screen until the broker withdraws it; the second is allowed.
    const { agent } = await open({
      ...allowAll,
      askConsent: (_q, signal) => {
        asked++;
        if (asked > 1) return Promise.resolve({ allow: true });
        return new Promise((resolve) => signal.addEventListener('abort', () => resolve({ allow: false })));
      },
    });
    agent.connect(['view', 'control']);
    await until(() => asked === 1 && agent.session.phase === 'asking', 'the person asked');
    relay.cut();
    relay.restore();
    await until(() => agent.signalingOpen() && agent.session.phase === 'idle', 'agent back and idle');

    const mark = agent.connect(['view', 'control']);
    assert.equal((await agent.next('consent_result', mark)).granted, true);
    await agent.live(30_000);
    assert.equal(asked, 2);
  }));
