import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wrtc from '@roamhq/wrtc';
import { i420PixelToRgb } from '@beckon/capture';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { TestAgent } from '../testing/agent.ts';
import { startHostScreen, type HostScreen } from '../testing/host-screen.ts';
import type { IndicatorStatus } from '../shared/ipc.ts';
import { DesktopHost } from './desktop-host.ts';
import { EngineMedia } from './engine-media.ts';
import { chooseHostMedia } from './media-choice.ts';

// The Electron client's main with the engine as its media (what main/assist-app.ts
// wires on an X11 session), on real parts: Xvfb, X11 grab and input, a broker
// process, wrtc on both sides. Only the windows are doubles: their pages are
// tested in Chromium (e2e/assist.e2e.ts); here nothing of the screen goes through them.

// @roamhq/wrtc crashes Node's own teardown (SIGSEGV) once a video track was
// used; leaving through process.exit skips that teardown.
process.once('beforeExit', () => process.exit());

let screen: HostScreen;
let broker: TestBroker;
const downloads = mkdtempSync(join(tmpdir(), 'beckon-engine-media-'));

before(async () => {
  screen = await startHostScreen();
  broker = await startBroker();
});
after(async () => {
  await screen.close();
  await broker.stop();
  rmSync(downloads, { recursive: true, force: true });
});

/** The windows' side of main: consent answered by the test, the indicator recorded. */
function windowsDouble(answer: 'allow' | 'deny') {
  const indicators: IndicatorStatus[] = [];
  return {
    indicators,
    ui: {
      askConsent: async () => answer,
      confirmFile: async () => false,
      showIndicator: (s: IndicatorStatus) => void indicators.push(s),
      hideIndicator() {},
    },
  };
}

async function setup(answer: 'allow' | 'deny') {
  const request = await broker.api.createRequest();
  const { backend } = screen;
  const media = new EngineMedia({ backend, wrtc: wrtc as never });
  const windows = windowsDouble(answer);
  const host = new DesktopHost({
    brokerUrl: broker.url,
    target: { kind: 'code', code: request.displayCode },
    backend,
    ui: windows.ui,
    media,
    downloadDir: downloads,
  });
  await host.start();
  await broker.api.waitForStatus(request.id, 'waiting');
  const agent = new TestAgent(broker.url, broker.token, request.id, wrtc);
  await agent.start();
  return { request, media, host, agent, indicators: windows.indicators };
}

test('on an X11 session main takes the engine; elsewhere, or without wrtc, the window, and says why', async () => {
  const { backend, xvfb } = screen;
  const engine = await chooseHostMedia(backend, { DISPLAY: xvfb.display });
  assert.equal(engine.kind, 'engine');
  const wayland = await chooseHostMedia(backend, { WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' });
  assert.equal(wayland.kind === 'window' && /Wayland/.test(wayland.why), true);
  const win32 = await chooseHostMedia({ ...backend, name: 'win32' }, {});
  assert.deepEqual(win32, { kind: 'window', why: 'no engine grab on win32' });
  const missing = await chooseHostMedia(backend, {}, () => Promise.reject(new Error('no wrtc.node')));
  assert.deepEqual(missing, { kind: 'window', why: 'wrtc did not load: no wrtc.node' });
  const hollow = await chooseHostMedia(backend, {}, async () => ({ default: {} }));
  assert.equal(hollow.kind, 'window');
});

test('a deny starts no peer and grabs nothing', async () => {
  const { request, media, host, agent } = await setup('deny');
  try {
    const mark = agent.connect(['view', 'control']);
    assert.equal((await agent.next('consent_result', mark)).granted, false);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(agent.peer, null);
    assert.equal(media.framesSent, 0);
    assert.equal(await broker.api.status(request.id), 'waiting');
  } finally {
    agent.close();
    host.leave();
  }
});

test('after Allow the real screen streams from main, input lands, the indicator shows the code, Stop ends it', async () => {
  const { request, media, host, agent, indicators } = await setup('allow');
  const { probe } = screen;
  try {
    const mark = agent.connect(['view', 'control']);
    assert.equal((await agent.next('consent_result', mark)).granted, true);
    const { verificationCode } = await agent.live();
    await broker.api.waitForStatus(request.id, 'in_session');
    // The person sees the code the agent sees: the connection has no one between.
    await waitUntil(async () => indicators.some((s) => s.phase === 'live'), 'the live indicator');
    assert.equal(indicators.find((s) => s.phase === 'live')?.verificationCode, verificationCode);

    // Frames of the real screen, grabbed in this process: the green window where it is.
    await waitUntil(async () => {
      const f = agent.lastFrame;
      if (!f || f.width !== 1280) return false;
      const [r, g, b] = i420PixelToRgb({ width: f.width, height: f.height, data: f.data }, 400, 250);
      return g > 150 && r < 80 && b < 80;
    }, 'green at the window in the received video');
    assert.ok(media.framesSent > 0);

    // Input goes through DesktopHost's rules and the X11 injector.
    const fx = (probe.ready.x + 100) / 1280;
    const fy = (probe.ready.y + probe.ready.height - 15) / 720;
    agent.send({ type: 'pointer_button', button: 'left', action: 'down', x: fx, y: fy });
    agent.send({ type: 'pointer_button', button: 'left', action: 'up', x: fx, y: fy });
    agent.send({ type: 'type_text', text: 'from main' });
    assert.equal(await probe.waitForText('from main', 10_000), 'from main');

    host.stop();
    await waitUntil(
      async () => agent.peer === null || agent.peer.state === 'closed',
      'the agent sees the peer closed',
    );
    assert.equal(media.framesSent, 0, 'the session and its grab are gone');
    await broker.api.waitForStatus(request.id, 'waiting');
  } finally {
    // Closed on failure too: an open peer would keep the test process alive.
    agent.close();
    host.leave();
  }
});

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
