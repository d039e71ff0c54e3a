import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wrtc from '@roamhq/wrtc';
import { i420PixelToRgb, type CaptureBackend } from '@beckon/capture';
import { pointerLocation, type ProbeWindow, type Xvfb } from '@beckon/capture/testing';
import { bytesSource, FileTransfers } from '@beckon/session';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { TestAgent } from '../testing/agent.ts';
import { startHostScreen, type HostScreen } from '../testing/host-screen.ts';
import type { ConsentAnswer, ConsentQuestion } from './consent.ts';
import { HostSession, type HostUi } from './host-session.ts';

// The host engine on real parts: an Xvfb display, X11 input through libnut,
// a broker process, WebRTC through wrtc, and a Node agent on the other side.

// @roamhq/wrtc crashes Node's own teardown (SIGSEGV) once a video track was
// used; leaving through process.exit skips that teardown.
process.once('beforeExit', () => process.exit());

let screen: HostScreen;
let xvfb: Xvfb;
let backend: CaptureBackend;
let broker: TestBroker;
let probe: ProbeWindow;
const downloads = mkdtempSync(join(tmpdir(), 'beckon-downloads-'));

before(async () => {
  screen = await startHostScreen();
  ({ xvfb, backend, probe } = screen);
  broker = await startBroker();
});
after(async () => {
  await screen.close();
  await broker.stop();
  rmSync(downloads, { recursive: true, force: true });
});

/** A UI the test answers: each question waits for the test's answer. */
class ScriptedUi implements HostUi {
  questions: ConsentQuestion[] = [];
  answer: ConsentAnswer | 'silence' = 'silence';
  files: string[] = [];
  acceptFiles = true;
  async askConsent(q: ConsentQuestion, signal: AbortSignal): Promise<ConsentAnswer> {
    this.questions.push(q);
    if (this.answer === 'silence')
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve({ allow: false })));
    return this.answer;
  }
  async confirmFile(offer: { name: string }): Promise<boolean> {
    this.files.push(offer.name);
    return this.acceptFiles;
  }
}

async function setup(consentTimeoutMs = 60_000) {
  const request = await broker.api.createRequest();
  const ui = new ScriptedUi();
  const host = new HostSession({
    brokerUrl: broker.url,
    target: { kind: 'code', code: request.displayCode },
    backend,
    wrtc: wrtc as never,
    ui,
    downloadDir: downloads,
    consentTimeoutMs,
    log: () => {},
  });
  const summary = await host.start();
  assert.equal(summary.organisation.length > 0, true);
  await broker.api.waitForStatus(request.id, 'waiting');
  const agent = new TestAgent(broker.url, broker.token, request.id, wrtc);
  await agent.start();
  return { request, ui, host, agent };
}

test('before Allow nothing is captured or injected; deny and silence both refuse', async () => {
  const { request, ui, host, agent } = await setup(1500);
  await backend.input.pointerMove(10, 10);
  // Whatever the agent sends before consent goes nowhere.
  agent.session.signaling.send({ type: 'signal', data: { type: 'offer', sdp: 'v=0\r\n' } });
  assert.equal((await agent.next('error')).code, 'permission_denied');

  ui.answer = { allow: false };
  let mark = agent.connect(['view', 'control']);
  const denied = await agent.next('consent_result', mark);
  assert.deepEqual([denied.granted, denied.reason], [false, 'user']);
  assert.equal(ui.questions[0]?.agentName.length ? true : false, true);
  assert.equal(ui.questions[0]?.comment, 'printer');

  ui.answer = 'silence';
  mark = agent.connect(['view']);
  const silent = await agent.next('consent_result', mark, 10_000);
  assert.deepEqual([silent.granted, silent.reason], [false, 'timeout']);

  assert.deepEqual(host.stats, { framesSent: 0, injected: 0, dropped: 0 });
  assert.deepEqual(await pointerLocation(xvfb.display), { x: 10, y: 10 });
  assert.equal(await broker.api.status(request.id), 'waiting');
  agent.close();
  host.leave();
});

test('after Allow: the real screen streams, input arrives as X11 input, files need confirmation, Stop ends it', async () => {
  const { request, ui, host, agent } = await setup();
  ui.answer = { allow: true };
  const mark = agent.connect(['view', 'control', 'file_transfer', 'system_info']);
  assert.equal((await agent.next('consent_result', mark)).granted, true);
  const peer = await agent.connected();
  await broker.api.waitForStatus(request.id, 'in_session');

  // Frames of the real screen: the green window is seen where it is.
  const deadline = Date.now() + 15_000;
  let rgb: [number, number, number] = [0, 0, 0];
  while (Date.now() < deadline) {
    const f = agent.lastFrame;
    if (f && f.width === 1280) {
      rgb = i420PixelToRgb(
        {
          width: f.width,
          height: f.height,
          data: f.data,
        },
        400,
        250,
      );
      if (rgb[1] > 150 && rgb[0] < 80 && rgb[2] < 80) break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(rgb[1] > 150 && rgb[0] < 80 && rgb[2] < 80, `green at the window's place, got ${rgb}`);
  const outside = i420PixelToRgb({ width: 1280, height: 720, data: agent.lastFrame!.data }, 1000, 600);
  assert.ok(outside[1] < 150 || outside[0] > 80, `not green outside the window, got ${outside}`);

  // Pointer: normalized (0.5, 0.5) is the screen's centre.
  agent.send({ type: 'pointer_move', x: 0.5, y: 0.5 });
  await waitUntil(
    async () => eq(await pointerLocation(xvfb.display), { x: 640, y: 360 }),
    'pointer at centre',
  );
  // A click into the text field, then typed text.
  const fx = (probe.ready.x + 100) / 1280;
  const fy = (probe.ready.y + probe.ready.height - 15) / 720;
  agent.send({ type: 'pointer_button', button: 'left', action: 'down', x: fx, y: fy });
  agent.send({ type: 'pointer_button', button: 'left', action: 'up', x: fx, y: fy });
  agent.send({ type: 'type_text', text: 'hello beckon' });
  assert.equal(await probe.waitForText('hello beckon', 10_000), 'hello beckon');

  // System information answers because it was granted.
  agent.send({ type: 'sysinfo_request' });
  await waitUntil(async () => agent.received.some((m) => m.type === 'sysinfo_snapshot'), 'sysinfo', 20_000);

  // A file with a hostile name lands sanitized, after confirmation.
  const files = new FileTransfers(peer.filesTransport());
  const bytes = new TextEncoder().encode('not really a passwd file\n');
  await files.send({ name: '../../etc/passwd', source: bytesSource(bytes) }).done;
  assert.deepEqual(ui.files, ['passwd']);
  assert.ok(readdirSync(downloads).includes('passwd'));
  assert.equal(readFileSync(join(downloads, 'passwd'), 'utf8'), 'not really a passwd file\n');

  // Stop: the peer closes within a second and the status follows.
  const t0 = Date.now();
  host.stop();
  await waitUntil(
    async () => agent.peer === null || agent.peer.state === 'closed',
    'agent peer closed',
    3000,
  );
  assert.ok(Date.now() - t0 < 1000, `closed in ${Date.now() - t0} ms`);
  await broker.api.waitForStatus(request.id, 'waiting');
  assert.ok(host.stats.framesSent > 0);
  agent.close();
  host.leave();
});

test('a view-only grant drops every input message', async () => {
  const { ui, host, agent } = await setup();
  ui.answer = { allow: true, permissions: ['view'] };
  const mark = agent.connect(['view', 'control']);
  assert.deepEqual((await agent.next('consent_result', mark)).permissions, ['view']);
  await agent.connected();
  await backend.input.pointerMove(20, 20);
  for (let i = 0; i < 20; i++) agent.send({ type: 'pointer_move', x: 0.9, y: 0.9 });
  agent.send({
    type: 'key',
    action: 'down',
    code: 'KeyA',
    key: 'a',
    modifiers: { shift: false, ctrl: false, alt: false, meta: false },
  });
  await waitUntil(async () => host.stats.dropped >= 21, 'inputs dropped');
  assert.deepEqual(await pointerLocation(xvfb.display), { x: 20, y: 20 });
  assert.equal(host.stats.injected, 0);
  agent.close();
  host.leave();
});

const eq = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
