import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wrtc from '@roamhq/wrtc';
import { startXvfb, type Xvfb } from '@beckon/capture/testing';
import { startBroker, type TestBroker } from '../test-support/broker.ts';
import { TestAgent } from '../test-support/agent.ts';

// Connect to an online managed host with nobody at it: a real host process on
// a real Xvfb display, a real broker, a real WebRTC agent. Without a grant the
// host asks the person through the one consent policy; with no answer nothing
// is admitted: not one frame, not one input event.

process.once('beforeExit', () => process.exit());

const BIN = join(import.meta.dirname, '../../bin/beckon-assist.js');
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

async function until<T>(
  fn: () => Promise<T | null | false | undefined>,
  ms: number,
  what: string,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('Connect to an unattended managed host without a grant asks, and with no answer admits nothing', async () => {
  const code = (await broker.api('POST', '/api/v1/hosts/enrolment-codes', {})).body.code as string;
  const child = spawn(
    process.execPath,
    [
      BIN,
      'host',
      'run',
      '--broker',
      broker.url,
      '--state-dir',
      stateDir,
      '--name',
      'Night desk',
      '--display',
      xvfb.display,
    ],
    {
      // Nobody types on this terminal: the question goes unanswered.
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, BECKON_ENROLMENT_CODE: code, BECKON_CONSENT_TIMEOUT_SEC: '3' },
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  try {
    const hostId = await until(
      async () => {
        const h = (await broker.api('GET', '/api/v1/hosts')).body.items?.[0];
        return h?.online ? (h.id as string) : null;
      },
      20_000,
      'the host online',
    );
    const detail = (await broker.api('GET', `/api/v1/hosts/${hostId}`)).body;
    assert.equal(detail.rights.connect, true, 'an admin may connect');

    const connect = await broker.api('POST', `/api/v1/hosts/${hostId}/connect`);
    assert.equal(connect.status, 201, JSON.stringify(connect.body));
    const requestId = connect.body.id as string;
    // The host joins the offered request like any assist client.
    await broker.waitForStatus(requestId, 'waiting', 20_000);

    const agent = new TestAgent(broker.url, broker.token, requestId, wrtc);
    await agent.start();
    const mark = agent.connect(['view', 'control']);
    await until(
      async () => /asks to see your screen/.test(out),
      10_000,
      `the question on the host; printed:\n${out}`,
    );
    const result = await agent.next('consent_result', mark, 20_000);
    assert.equal(result.granted, false);
    assert.equal(result.reason, 'timeout');
    // Nothing crosses afterwards either.
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(agent.frames, 0, 'frames received');
    assert.equal(agent.peer, null, 'no peer was ever made');
    assert.equal(agent.send({ type: 'pointer_move', x: 0.5, y: 0.5 }), false, 'no channel for input');
    assert.match(out, /denied \(timeout\); so far 0 frames sent, 0 input events/);
    assert.notEqual(await broker.status(requestId), 'in_session');
    const events = (await broker.api('GET', `/api/v1/session-requests/${requestId}`)).body.events as {
      kind: string;
    }[];
    const kinds = events.map((e) => e.kind);
    assert.ok(kinds.includes('consent_denied'), kinds.join(','));
    assert.ok(!kinds.includes('consent_granted') && !kinds.includes('peer_connected'), kinds.join(','));
    agent.close();
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  assert.match(out, /online/);
});
