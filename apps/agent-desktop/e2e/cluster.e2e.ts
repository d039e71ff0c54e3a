import { expect, test, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClusterProcess, type RunningCluster } from './cluster-process.ts';
import { newPage, row } from './console-helpers.ts';
import {
  captureTesting,
  startAssist,
  type Assist,
  type CaptureTesting,
  type ProbeWindow,
  type Xvfb,
} from './host-side.ts';
import { mapPoint, videoGeometry } from './session-helpers.ts';

// Three brokers behind haproxy, with nothing faked: `scripts/beckon
// cluster` (PostgreSQL 15, Redis 7, three broker processes, haproxy), the
// console in Chromium on one broker and the headless assist client on another.
test.describe.configure({ mode: 'serial' });

const PROBE = { x: 240, y: 160, width: 480, height: 260, color: '#20c040' };
const FLIPPING = { x: 900, y: 480, width: 160, height: 120, color: '#3060c0', flipMs: 100 };

let cluster: RunningCluster;
let cap: CaptureTesting;
let hostScreen: Xvfb;
let probe: ProbeWindow;
let downloads: string;
const assists: Assist[] = [];

test.beforeAll(async () => {
  test.setTimeout(180_000);
  cap = await captureTesting();
  cluster = await startClusterProcess(3);
  hostScreen = await cap.startXvfb({ width: 1280, height: 720, args: ['-br'] });
  probe = await cap.startProbeWindow({ display: hostScreen.display, ...PROBE, entry: true });
  downloads = mkdtempSync(join(tmpdir(), 'beckon-cluster-e2e-'));
});

test.afterAll(async () => {
  for (const a of assists) await a.stop();
  await probe?.close();
  await cluster?.stop();
  await hostScreen?.stop();
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

async function signIn(page: Page, url: string) {
  await page.goto(`${url}/console/`);
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Email').fill(cluster.admin.email);
  await form.getByLabel('Password').fill(cluster.admin.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('live-status')).toHaveText('Live');
}

async function quickRequest(page: Page, name: string): Promise<string> {
  await page.getByRole('button', { name: 'Quick request' }).click();
  const quick = page.getByRole('dialog', { name: 'Quick request' });
  await quick.getByLabel('Recipient name').fill(name);
  await quick.getByRole('button', { name: 'Create' }).click();
  await expect(quick).toBeHidden();
  await expect(row(page, name).getByText('Open')).toBeVisible();
  return ((await row(page, name).locator('.mono').first().textContent()) ?? '').trim();
}

function assist(broker: string, code: string): Assist {
  const a = startAssist({ broker, code, display: hostScreen.display, downloadDir: downloads });
  assists.push(a);
  return a;
}

/** Connect, Allow on the host's terminal, and the live view showing the host's screen. */
async function connectAndAllow(page: Page, name: string, a: Assist) {
  await row(page, name).getByRole('button', { name: 'Connect' }).click();
  await a.waitFor(/asks to see your screen/);
  a.say('allow');
  await expect(page.getByText(`Connected to ${name}`)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('session-status')).toHaveText(/In session/);
  const video = page.locator('.remote-viewport video');
  await expect
    .poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 20_000 })
    .toBe(1280);
  return video;
}

const frames = (page: Page) =>
  page
    .locator('.remote-viewport video')
    .evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames);

test('console on broker A, host on broker B: consent, video, a click, a file, close', async ({
  browser,
}, info) => {
  test.setTimeout(180_000);
  const [a, b] = cluster.brokers;
  const { context, page, errors } = await newPage(browser);
  await signIn(page, a?.url ?? '');
  const code = await quickRequest(page, 'Uma Cluster');
  const host = assist(b?.url ?? '', code);
  await host.waitFor(/Joined s\d\d-\d{3}-\d{3}/);
  // The host joined through B; the console on A hears of it on its live channel.
  await expect(row(page, 'Uma Cluster').getByText('Waiting')).toBeVisible();
  const video = await connectAndAllow(page, 'Uma Cluster', host);
  await page.screenshot({ path: info.outputPath('cluster-01-live.png') });

  const g = await videoGeometry(video);
  const centre = { x: PROBE.x + PROBE.width / 2, y: PROBE.y + (PROBE.height - 30) / 2 };
  const spot = mapPoint(g, centre.x, centre.y);
  await page.mouse.click(spot.inPage.x, spot.inPage.y);
  await probe.waitFor((e) => e.event === 'button' && e.num === 1, 10_000);

  const content = 'Beckon across brokers\n';
  const dropZone = page.getByTestId('drop-zone');
  const files = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'cluster.txt', { type: 'text/plain' }));
    return dt;
  }, content);
  await dropZone.dispatchEvent('dragenter', { dataTransfer: files });
  await dropZone.dispatchEvent('dragover', { dataTransfer: files });
  await dropZone.dispatchEvent('drop', { dataTransfer: files });
  await host.waitFor(/"cluster\.txt" \(22 bytes\)\. Accept\?/);
  host.say('yes');
  await expect(page.locator('[data-transfer-state="done"]')).toContainText('cluster.txt');
  await expect
    .poll(
      () =>
        existsSync(join(downloads, 'cluster.txt')) && readFileSync(join(downloads, 'cluster.txt'), 'utf8'),
    )
    .toBe(content);

  await page.locator('.session-header').getByRole('button', { name: 'Close request' }).click();
  await page
    .getByRole('group', { name: /Close the session request/ })
    .getByRole('button', { name: 'Close request' })
    .click();
  await expect(row(page, 'Uma Cluster').getByText('Closed')).toBeVisible();
  expect(await Promise.race([host.exited, new Promise((r) => setTimeout(r, 10_000, 'still running'))])).toBe(
    0,
  );
  await page.screenshot({ path: info.outputPath('cluster-02-closed.png') });
  expect(errors).toEqual([]);
  await context.close();
});

test("SIGKILL of the broker holding the host's socket: media keeps flowing, signaling comes back through another broker", async ({
  browser,
}, info) => {
  test.setTimeout(180_000);
  const [a, b] = cluster.brokers;
  // The host goes through haproxy, steered to b2 alone; the console stays on b1.
  await cluster.haproxy('disable server brokers/b1');
  await cluster.haproxy('disable server brokers/b3');
  const { context, page } = await newPage(browser);
  await signIn(page, a?.url ?? '');
  const code = await quickRequest(page, 'Vic Failover');
  const host = assist(cluster.url, code);
  await host.waitFor(/Joined/);
  await connectAndAllow(page, 'Vic Failover', host);
  expect((await cluster.sessions()).b2).toBeGreaterThan(0);
  await cluster.haproxy('enable server brokers/b3');

  // A still screen is sent only as a keep-alive (a frame a second), too few to tell flowing
  // media from a stall: a window that changes colour ten times a second keeps it moving.
  const flipping = await cap.startProbeWindow({ display: hostScreen.display, ...FLIPPING });
  const before = await frames(page);
  const t0 = Date.now();
  process.kill(b?.pid ?? 0, 'SIGKILL');
  // Media is peer to peer: frames keep arriving while the host's broker is gone.
  await expect.poll(() => frames(page), { timeout: 5_000 }).toBeGreaterThan(before + 10);
  // The host's signaling comes back through haproxy to b3 (b2 is dead, b1 out of rotation).
  await expect.poll(async () => (await cluster.sessions()).b3 ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
  const back = Date.now() - t0;
  info.annotations.push({ type: 'host signaling back through b3 after', description: `${back} ms` });
  // The status is right: still in session, in the console and on the broker.
  await expect(page.getByTestId('session-status')).toHaveText(/In session/);
  await expect(row(page, 'Vic Failover').getByText('In session')).toBeVisible();
  const mid = await frames(page);
  await expect.poll(() => frames(page), { timeout: 5_000 }).toBeGreaterThan(mid + 10);
  await flipping.close();
  await page.screenshot({ path: info.outputPath('cluster-03-after-kill.png') });
  // And the session still ends as it should, through the surviving brokers.
  await page.locator('.session-header').getByRole('button', { name: 'Close request' }).click();
  await page
    .getByRole('group', { name: /Close the session request/ })
    .getByRole('button', { name: 'Close request' })
    .click();
  await expect(row(page, 'Vic Failover').getByText('Closed')).toBeVisible({ timeout: 15_000 });
  expect(await Promise.race([host.exited, new Promise((r) => setTimeout(r, 10_000, 'still running'))])).toBe(
    0,
  );
  await context.close();
});
