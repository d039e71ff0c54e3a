import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
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
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { TestAgent } from '../testing/agent.ts';
import { BUNDLE_FILE, buildLinuxBundle } from './build.ts';
import { GREEN_WINDOW } from '../testing/host-screen.ts';

// The customer's first minute on Linux (SR6): the landing page's download, as
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
  probe = await startProbeWindow({ display: xvfb.display, ...GREEN_WINDOW });
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

/** The landing page's first Linux download, saved under its own name in `dir` and unpacked there. */
async function downloadAndUnpack(dir: string) {
  const request = await broker.api.createRequest();
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
  writeFileSync(join(dir, name), Buffer.from(await dl.arrayBuffer()));
  const untar = spawnSync('tar', ['xzf', name], { cwd: dir });
  assert.equal(untar.status, 0, untar.stderr.toString());
  return { request, launcher: join(dir, 'BeckonAssist', `BeckonAssist-${code}`) };
}

/** Runs the launcher as a person would: no project checkout and no Node on the PATH. */
function run(launcher: string, extraEnv: Record<string, string> = {}) {
  const child = spawn(launcher, [], {
    cwd: home,
    env: { PATH: '/usr/bin:/bin', HOME: home, DISPLAY: xvfb.display, ...extraEnv },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  return {
    child,
    exited,
    output: () => out,
    printed: (pattern: RegExp) =>
      waitUntil(() => pattern.test(out), `the bundle printed ${pattern}:\n${out}`),
  };
}

/** Presses Return in the bundle's dialog window (its first button: Allow, or the indicator's Stop). */
async function pressReturnInDialog(): Promise<void> {
  const x = { env: { ...process.env, DISPLAY: xvfb.display } };
  await waitUntil(() => {
    try {
      const id = execFileSync('xdotool', ['search', '--name', '^Beckon Assist$'], x)
        .toString()
        .trim()
        .split('\n')[0]!;
      execFileSync('xdotool', ['windowfocus', '--sync', id], x);
      execFileSync('xdotool', ['key', 'Return'], x);
      return true;
    } catch {
      return false;
    }
  }, 'a Beckon Assist dialog');
}

test('download from the landing page, unpack, run with a bare PATH, Allow: the agent sees and steers', async () => {
  const { request, launcher } = await downloadAndUnpack(home);
  const a = run(launcher, { BECKON_ASSIST_UI: 'terminal' });
  const { child, exited } = a;
  // Closed in `finally` too: an agent left open after a failed step keeps this process alive.
  let agent: TestAgent | undefined;
  try {
    await a.printed(new RegExp(`Joined ${request.displayCode}`));
    await broker.api.waitForStatus(request.id, 'waiting');

    agent = new TestAgent(broker.url, broker.token, request.id, wrtc);
    await agent.start();
    const mark = agent.connect(['view', 'control']);
    await a.printed(/asks to see your screen, control your mouse and keyboard/);
    child.stdin.write('allow\n');
    assert.equal((await agent.next('consent_result', mark)).granted, true);
    await agent.connected();
    await broker.api.waitForStatus(request.id, 'in_session');
    await a.printed(/You are being helped by/);
    // The probe window is green where it stands, in the frames the agent receives.
    await waitUntil(() => {
      const f = agent!.lastFrame;
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
    assert.match(a.output(), /MIT-SHM \(ShmGetImage\), C I420/);
    // …and the bundled wrtc took playout delay 0, so a web console shows frames at once.
    assert.match(a.output(), /video: playout delay 0 and burst pacing/);

    child.stdin.write('stop\n');
    await a.printed(/session ended: stopped_by_user/);
    agent.close();
    child.kill('SIGINT');
    assert.equal(await exited, 0, a.output());
  } finally {
    agent?.close();
    child.kill('SIGKILL');
  }
});

test('started from the desktop (no terminal): asked in a window, and the indicator window’s Stop ends it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-bundle-desktop-'));
  const { request, launcher } = await downloadAndUnpack(dir);
  // Standard input is no terminal and the display has a dialog tool (xmessage here): a window asks.
  const a = run(launcher);
  let agent: TestAgent | undefined;
  try {
    await broker.api.waitForStatus(request.id, 'waiting');
    agent = new TestAgent(broker.url, broker.token, request.id, wrtc);
    await agent.start();
    const mark = agent.connect(['view']);
    await pressReturnInDialog();
    assert.equal((await agent.next('consent_result', mark)).granted, true);
    await agent.connected();
    await broker.api.waitForStatus(request.id, 'in_session');
    // The indicator window is up for the session; its Stop (the default button) ends it.
    await pressReturnInDialog();
    await a.printed(/session ended: stopped_by_user/);
    await broker.api.waitForStatus(request.id, 'waiting');
    agent.close();
    a.child.kill('SIGINT');
    assert.equal(await a.exited, 0, a.output());
  } finally {
    agent?.close();
    a.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
