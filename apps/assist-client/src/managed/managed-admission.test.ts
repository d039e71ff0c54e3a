import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wrtc from '@roamhq/wrtc';
import { startXvfb, type Xvfb } from '@beckon/capture/testing';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { TestAgent } from '../testing/agent.ts';
import { enrolmentCode, hostOnline, startHostProcess, until } from '../testing/managed-host.ts';

// Connect to an online managed host with nobody at it: a real host process on
// a real Xvfb display, a real broker, a real WebRTC agent. Without a grant the
// host asks the person through the one consent policy; with no answer nothing
// is admitted: not one frame, not one input event.

process.once('beforeExit', () => process.exit());

let xvfb: Xvfb;
let broker: TestBroker;
const stateDir = mkdtempSync(join(tmpdir(), 'beckon-host-state-'));

before(async () => {
  xvfb = await startXvfb({ width: 1280, height: 720 });
  broker = await startBroker();
});
after(async () => {
  await broker.stop();
  await xvfb.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

test('Connect to an unattended managed host without a grant asks, and with no answer admits nothing', async () => {
  // Nobody types on this terminal: the question goes unanswered.
  const host = startHostProcess({
    broker,
    stateDir,
    display: xvfb.display,
    env: { BECKON_ENROLMENT_CODE: await enrolmentCode(broker), BECKON_CONSENT_TIMEOUT_SEC: '3' },
  });
  try {
    const hostId = await hostOnline(broker);
    const detail = (await broker.api.request('GET', `/api/v1/hosts/${hostId}`)).body;
    assert.equal(detail.rights.connect, true, 'an admin may connect');

    const connect = await broker.api.request('POST', `/api/v1/hosts/${hostId}/connect`);
    assert.equal(connect.status, 201, JSON.stringify(connect.body));
    const requestId = connect.body.id as string;
    // The host joins the offered request like any assist client.
    await broker.api.waitForStatus(requestId, 'waiting', 20_000);

    const agent = new TestAgent(broker.url, broker.token, requestId, wrtc);
    await agent.start();
    const mark = agent.connect(['view', 'control']);
    await until(
      async () => /asks to see your screen/.test(host.out()),
      10_000,
      `the question on the host; printed:\n${host.out()}`,
    );
    const result = await agent.next('consent_result', mark, 20_000);
    assert.equal(result.granted, false);
    assert.equal(result.reason, 'timeout');
    // Nothing crosses afterwards either.
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(agent.frames, 0, 'frames received');
    assert.equal(agent.peer, null, 'no peer was ever made');
    assert.equal(agent.send({ type: 'pointer_move', x: 0.5, y: 0.5 }), false, 'no channel for input');
    assert.match(host.out(), /denied \(timeout\); so far 0 frames sent, 0 input events/);
    assert.notEqual(await broker.api.status(requestId), 'in_session');
    const events = (await broker.api.request('GET', `/api/v1/session-requests/${requestId}`)).body.events as {
      kind: string;
    }[];
    const kinds = events.map((e) => e.kind);
    assert.ok(kinds.includes('consent_denied'), kinds.join(','));
    assert.ok(!kinds.includes('consent_granted') && !kinds.includes('peer_connected'), kinds.join(','));
    agent.close();
  } finally {
    await host.stop();
  }
  assert.match(host.out(), /online/);
});
