import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wrtc from '@roamhq/wrtc';
import { i420PixelToRgb } from '@beckon/capture';
import {
  pointerLocation,
  startProbeWindow,
  startXvfb,
  type ProbeWindow,
  type Xvfb,
} from '@beckon/capture/testing';
import { startBroker, type TestBroker } from '../test-support/broker.ts';
import { TestAgent } from '../test-support/agent.ts';
import { BUNDLE_FILE, buildLinuxBundle } from './build.ts';

// The end user's first minute on Linux (SR6): the landing page's download, as
// the broker serves it by default (the bundle `scripts/beckon setup` builds),
// unpacked in an empty folder and run with no project checkout and no Node on
// the PATH (only /usr/bin:/bin), on an Xvfb display. The person types "allow";
// a Node agent sees the probe window and moves the pointer.

process.once('beforeExit', () => process.exit());

const LINUX_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130 Safari/537.36';
let xvfb: Xvfb;
let broker: TestBroker;
let probe: ProbeWindow;
const home = mkdtempSync(join(tmpdir(), 'beckon-bundle-home-'));

before(async () => {
  // setup builds it; a checkout where it has not run yet builds it here.
  if (!existsSync(BUNDLE_FILE)) await buildLinuxBundle();
  xvfb = await startXvfb({ width: 1280, height: 720 });
  broker = await startBroker();
  probe = await startProbeWindow({
    display: xvfb.display,
    x: 200,
    y: 150,
    width: 400,
    height: 300,
    color: '#00c000',
  });
});
after(async () => {
  await probe.close();
  await broker.stop();
  rmSync(home, { recursive: true, force: true });
});

async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('download from the landing page, unpack, run with a bare PATH, Allow: the agent sees and steers', async () => {
  const request = await broker.createRequest();
  const token = request.customerLink.split('/j/')[1]!;
  const html = await (
    await fetch(`${broker.url}/j/${token}`, { headers: { 'user-agent': LINUX_UA } })
  ).text();
  const href = /class="button primary" href="([^"]+)"[^>]*data-platform="linux-bundle"/.exec(html)?.[1];
  assert.ok(href, 'the Linux download is the page’s first button');
  const dl = await fetch(`${broker.url}${href}`);
  assert.equal(dl.status, 200);
  const name = /filename="([^"]+)"/.exec(dl.headers.get('content-disposition') ?? '')?.[1] ?? '';
  const code = request.displayCode.replaceAll('-', '');
  assert.equal(name, `BeckonAssist-${code}.tar.gz`);
  writeFileSync(join(home, name), Buffer.from(await dl.arrayBuffer()));
  const untar = spawnSync('tar', ['xzf', name], { cwd: home });
  assert.equal(untar.status, 0, untar.stderr.toString());

  const child = spawn(join(home, 'BeckonAssist', `BeckonAssist-${code}`), [], {
    cwd: home,
    env: { PATH: '/usr/bin:/bin', HOME: home, DISPLAY: xvfb.display, BECKON_ASSIST_UI: 'terminal' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  const printed = (pattern: RegExp) =>
    waitUntil(() => pattern.test(out), `the bundle printed ${pattern}:\n${out}`);
  try {
    await printed(new RegExp(`Joined ${request.displayCode}`));
    await broker.waitForStatus(request.id, 'waiting');

    const agent = new TestAgent(broker.url, broker.token, request.id, wrtc);
    await agent.start();
    const mark = agent.connect(['view', 'control']);
    await printed(/asks to see your screen, control your mouse and keyboard/);
    child.stdin.write('allow\n');
    assert.equal((await agent.next('consent_result', mark)).granted, true);
    await agent.connected();
    await broker.waitForStatus(request.id, 'in_session');
    await printed(/You are being helped by/);

    // The probe window is green where it stands, in the frames the agent receives.
    await waitUntil(() => {
      const f = agent.lastFrame;
      if (!f) return false;
      const [r, g, b] = i420PixelToRgb({ width: f.width, height: f.height, data: f.data }, 400, 300);
      return g > 150 && r < 80 && b < 80;
    }, 'the agent sees the green probe window');
    assert.equal(agent.lastFrame?.width, 1280);

    agent.send({ type: 'pointer_move', x: 0.5, y: 0.5 });
    await waitUntil(async () => {
      const at = await pointerLocation(xvfb.display);
      return at.x === 640 && at.y === 360;
    }, 'the pointer at the centre');
    // The native capture addon came along and loaded (no fallback to GetImage and the JS converter).
    assert.match(out, /MIT-SHM \(ShmGetImage\), C I420/);

    child.stdin.write('stop\n');
    await printed(/session ended: stopped_by_user/);
    agent.close();
    child.kill('SIGINT');
    assert.equal(await exited, 0, out);
  } finally {
    child.kill('SIGKILL');
  }
});
