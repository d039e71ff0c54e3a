import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wrtc from '@roamhq/wrtc';
import { selectBackend, type CaptureBackend } from '@beckon/capture';
import { startXvfb, type Xvfb } from '@beckon/capture/testing';
import { Peer, type WebSocketConstructor } from '@beckon/session';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { TestAgent } from '../testing/agent.ts';
import type { HostRecordEntry } from '@beckon/protocol';
import type { ConsentAnswer, ConsentQuestion } from './consent.ts';
import { HostSession, type HostUi } from './host-session.ts';

// Consent bound to one agent, on the host with real parts: an Xvfb screen,
// a broker process, WebRTC through wrtc. Two users share the name "Sam";
// the host must tell them apart by user id, and answer each question only.

process.once('beforeExit', () => process.exit()); // wrtc's teardown, as in host-session.test.ts

let xvfb: Xvfb;
let backend: CaptureBackend;
let broker: TestBroker;
const downloads = mkdtempSync(join(tmpdir(), 'beckon-consent-'));
const users: Record<'a' | 'b', string> = { a: '', b: '' };

before(async () => {
  xvfb = await startXvfb({ width: 640, height: 480 });
  const selected = await selectBackend('linux', { display: xvfb.display });
  if (!selected.ok) throw new Error(selected.error.message);
  backend = selected.backend;
  broker = await startBroker({ BECKON_SIGNAL_GRACE_MS: '3000' });
  for (const [key, email] of [
    ['a', 'sam.a@example.com'],
    ['b', 'sam.b@example.com'],
  ] as const) {
    const password = 'a long agent password';
    const made = await broker.api.request('POST', '/api/v1/users', {
      email,
      name: 'Sam',
      password,
      role: 'support_agent',
    });
    assert.equal(made.status, 201);
    const res = await fetch(`${broker.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    users[key] = ((await res.json()) as { token: string }).token;
  }
});
after(async () => {
  await broker.stop();
  await backend.close();
  rmSync(downloads, { recursive: true, force: true });
});

/** The person: every question is recorded with whether it was taken off the screen. */
class Person implements HostUi {
  asked: { q: ConsentQuestion; withdrawn: boolean; answer: (a: ConsentAnswer) => void }[] = [];
  auto: ConsentAnswer | null = null;
  askConsent(q: ConsentQuestion, signal: AbortSignal): Promise<ConsentAnswer> {
    return new Promise((resolve) => {
      const entry = { q, withdrawn: false, answer: resolve };
      this.asked.push(entry);
      signal.addEventListener('abort', () => {
        entry.withdrawn = true;
        resolve({ allow: false });
      });
      if (this.auto) resolve(this.auto);
    });
  }
  async confirmFile(): Promise<boolean> {
    return false;
  }
}

/**
 * An agent whose signaling socket a test can cut, as when its process dies.
 * Closing with an application code (not 1000/1001) is what the broker counts
 * as a drop, the same as a dead TCP connection.
 */
function cuttableAgent(requestId: string, token: string) {
  const sockets: WebSocket[] = [];
  let dead = false;
  class Tracked extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      // A dead process does not come back: its reconnects never reach the broker.
      if (dead) throw new Error('this agent is gone');
      super(url, protocols);
      sockets.push(this);
    }
  }
  const agent = new TestAgent(
    broker.url,
    token,
    requestId,
    wrtc,
    'all',
    Tracked as unknown as WebSocketConstructor,
  );
  /** Resolves once the broker has seen the socket go (the close handshake is done). */
  const cut = async () => {
    dead = true;
    const open = sockets.filter((s) => s.readyState !== WebSocket.CLOSED);
    const closed = open.map((s) => new Promise((r) => s.addEventListener('close', r, { once: true })));
    for (const s of open) s.close(4000, 'gone');
    await Promise.all(closed);
  };
  return { agent, cut };
}

async function hostFor(person: Person) {
  const request = await broker.api.createRequest();
  const host = new HostSession({
    brokerUrl: broker.url,
    target: { kind: 'code', code: request.displayCode },
    backend,
    wrtc: wrtc as never,
    ui: person,
    downloadDir: downloads,
    log: () => {},
    record: { append: (e) => record.push(e) },
  });
  const record: HostRecordEntry[] = [];
  const ended: string[] = [];
  host.on('ended', ({ reason }) => ended.push(reason));
  await host.start();
  await broker.api.waitForStatus(request.id, 'waiting');
  return { request, host, ended, record };
}

const waitUntil = async (what: string, ok: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

test("takeover: after A's socket dies, B (same name) gets no frame, input or system information; B is asked", async () => {
  const person = new Person();
  person.auto = { allow: true };
  const { request, host, ended } = await hostFor(person);
  const a = cuttableAgent(request.id, users.a);
  await a.agent.start();
  a.agent.connect(['view', 'control', 'system_info']);
  await a.agent.connected();
  await waitUntil('frames to A', () => a.agent.frames > 0);
  await a.cut();

  person.auto = null;
  const b = new TestAgent(broker.url, users.b, request.id, wrtc);
  await b.start();
  // B's own peer offers straight into the live session: refused, nothing relayed.
  const intruder = new Peer({
    initiator: true,
    wrtc: wrtc as never,
    iceServers: [],
    onSignal: (data) => b.session.signaling.send({ type: 'signal', data }),
  });
  assert.equal((await b.next('error')).code, 'permission_denied');
  // B's Connect puts a new question on the person's screen, naming B's name, not a grace admission.
  const mark = b.connect(['view', 'control', 'system_info']);
  await waitUntil('B is asked', () => person.asked.length === 2);
  assert.equal(person.asked[1]?.q.agentName, 'Sam');
  person.asked[1]?.answer({ allow: false });
  assert.equal((await b.next('consent_result', mark)).granted, false);
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(b.frames, 0, 'no frame reached B');
  assert.equal(intruder.state === 'connected', false, "B's own peer never connected");
  assert.equal(b.send({ type: 'sysinfo_request' }), false, 'B has no channel to send on');
  assert.deepEqual(b.received, []);
  // The session A was allowed ends with A's grace window; it never passed to B.
  await waitUntil("A's session ends", () => ended.length > 0, 10_000);
  assert.equal(await broker.api.status(request.id), 'waiting');
  intruder.close();
  b.close();
  a.agent.close();
  host.leave();
});

test('a question whose agent left is taken off the screen; the answer to it admits nobody', async () => {
  const person = new Person();
  const { request, host } = await hostFor(person);
  const a = cuttableAgent(request.id, users.a);
  await a.agent.start();
  a.agent.connect(['view', 'control']);
  await waitUntil('A is asked', () => person.asked.length === 1);
  await a.cut();
  await waitUntil("A's question withdrawn", () => person.asked[0]?.withdrawn === true);

  const b = new TestAgent(broker.url, users.b, request.id, wrtc);
  await b.start();
  const mark = b.connect(['view', 'control']);
  await waitUntil('B is asked', () => person.asked.length === 2);
  // The person's Allow on A's prompt is void: it was withdrawn before it could count.
  person.asked[0]?.answer({ allow: true });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(
    b.messages.slice(mark).some((m) => m.type === 'consent_result'),
    false,
  );
  person.asked[1]?.answer({ allow: false });
  assert.equal((await b.next('consent_result', mark)).granted, false);
  assert.equal(b.frames, 0);
  b.close();
  a.agent.close();
  host.leave();
});

test('grace: A back within the window through Connect is admitted without a prompt, with at most its permissions', async () => {
  const person = new Person();
  person.auto = { allow: true, permissions: ['view'] };
  const { request, host, record } = await hostFor(person);
  const a = cuttableAgent(request.id, users.a);
  await a.agent.start();
  a.agent.connect(['view', 'control']);
  await a.agent.connected();
  await a.cut();

  // A's app comes back (a new session object, the same user) and presses Connect while in_session.
  const { agent: back, cut: cutBack } = cuttableAgent(request.id, users.a);
  await back.start();
  let mark = back.connect(['view']);
  const result = await back.next('consent_result', mark);
  assert.deepEqual([result.granted, result.reason, result.permissions], [true, 'grace', ['view']]);
  assert.equal(person.asked.length, 1, 'no new prompt');
  await back.connected();
  await waitUntil('frames to A again', () => back.frames > 0);
  await cutBack();

  // Within A's window again, another user with A's name is asked all the same.
  person.auto = { allow: false };
  const b = new TestAgent(broker.url, users.b, request.id, wrtc);
  await b.start();
  mark = b.connect(['view']);
  assert.equal((await b.next('consent_result', mark)).granted, false);
  assert.equal(person.asked.length, 2, 'B with the same name was asked');
  b.close();
  back.close();
  a.agent.close();
  host.leave();
  // The host's own record has every question, answer, start and end, in order.
  const expected = [
    'consent_asked view,control',
    'consent_answered view view',
    'session_started view',
    'consent_asked view',
    'consent_answered grace view',
    'session_ended replaced view',
    'session_started view',
    'consent_asked view',
    'consent_answered deny',
  ];
  const lines = record.map((e) =>
    [e.kind, e.answer ?? '', e.kind === 'session_ended' ? e.reason : '', e.permissions.join(',')]
      .filter(Boolean)
      .join(' '),
  );
  let at = 0;
  for (const line of lines) if (line === expected[at]) at++;
  assert.equal(at, expected.length, `record: ${JSON.stringify(lines)}`);
  assert.ok(record.every((e) => e.code === request.displayCode && e.agentName === 'Sam'));
});
