import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { newPage, row, signIn as signInAt, wallIn } from './console-helpers.ts';
import {
  captureTesting,
  startAssist,
  type Assist,
  type CaptureTesting,
  type ProbeWindow,
  type Xvfb,
} from './host-side.ts';
import {
  hexToRgb,
  mapPoint,
  near,
  pixelOf,
  recordRowStatuses,
  rowStatuses,
  videoGeometry,
} from './session-helpers.ts';

// A whole remote session, with nothing faked: a real broker process, the agent
// console in Chromium, and the headless assist client streaming a separate
// Xvfb display with a probe window on it, answering on its terminal. Every
// step is screenshotted into the test's output directory, and fails the test
// if it does not happen.
test.describe.configure({ mode: 'serial' });

const PROBE = { x: 240, y: 160, width: 480, height: 260, color: '#20c040' };

let broker: TestBroker;
let cap: CaptureTesting;
let host: Xvfb;
let probe: ProbeWindow;
let downloads: string;
const assists: Assist[] = [];

test.beforeAll(async () => {
  cap = await captureTesting();
  // A fast sweep, so the expiry test needs seconds, not minutes.
  broker = await startBroker({ BECKON_SWEEP_MS: '250' });
  host = await cap.startXvfb({ width: 1280, height: 720, args: ['-br'] });
  probe = await cap.startProbeWindow({ display: host.display, ...PROBE, entry: true });
  downloads = mkdtempSync(join(tmpdir(), 'beckon-session-e2e-'));
});

test.afterAll(async () => {
  for (const a of assists) await a.stop();
  await probe?.close();
  await broker?.stop();
  await host?.stop();
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

function assist(code: string, hostName?: string): Assist {
  const a = startAssist({
    broker: broker.url,
    code,
    display: host.display,
    downloadDir: downloads,
    ...(hostName ? { hostname: hostName } : {}),
  });
  assists.push(a);
  return a;
}

const shot = (page: Page, info: TestInfo, name: string) => page.screenshot({ path: info.outputPath(name) });

/** The row's request id and session code, as the list shows them. */
async function rowFacts(page: Page, name: string) {
  const r = row(page, name);
  const id = (await r.getAttribute('data-request-id')) ?? '';
  const code = ((await r.locator('.mono').first().textContent()) ?? '').trim();
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  expect(code).toMatch(/^s\d{2}-\d{3}-\d{3}$/);
  return { id, code };
}

/** The assist client joins by code; the row turns `waiting` through the live channel. */
async function joinAndWait(page: Page, name: string, hostName?: string) {
  const facts = await rowFacts(page, name);
  const a = assist(facts.code, hostName);
  await a.waitFor(/Joined s\d\d-\d{3}-\d{3}/);
  await expect(row(page, name).getByText('Waiting')).toBeVisible();
  return { ...facts, assist: a };
}

async function quickRequest(page: Page, name: string) {
  await page.getByRole('button', { name: 'Quick request' }).click();
  const quick = page.getByRole('dialog', { name: 'Quick request' });
  await quick.getByLabel('Recipient name').fill(name);
  await quick.getByRole('button', { name: 'Create' }).click();
  await expect(quick).toBeHidden();
  await expect(row(page, name).getByText('Open')).toBeVisible();
}

test('a whole session: connect, consent, video, pointer, keys, file, monitor, close', async ({
  browser,
}, info) => {
  test.setTimeout(240_000);
  const { context, page, errors, dialogs } = await newPage(browser);
  await signInAt(page, broker.url);

  // 1. One request with each dialog; both appear `open`.
  await quickRequest(page, 'Erin Session');
  await page.getByRole('button', { name: 'Scheduled request' }).click();
  const scheduled = page.getByRole('dialog', { name: 'Scheduled request' });
  await scheduled.getByLabel('User name').fill('Frank Scheduled');
  await scheduled.getByLabel('User email').fill('frank@example.com');
  await scheduled.getByLabel('Schedule (optional)').fill(wallIn(2));
  await scheduled.getByRole('button', { name: 'Create' }).click();
  await expect(scheduled).toBeHidden();
  await page.getByLabel('Show').selectOption('all');
  await expect(row(page, 'Frank Scheduled').getByText('Open')).toBeVisible();
  await expect(row(page, 'Erin Session').getByText('Open')).toBeVisible();
  await shot(page, info, '01-created-open.png');

  // 2. The headless assist client joins: the row turns `waiting` live.
  const { id, assist: a } = await joinAndWait(page, 'Erin Session');
  await shot(page, info, '02-waiting.png');
  await recordRowStatuses(page, id);

  // 3. Connect asks the user; the overlay says so while the terminal asks.
  await row(page, 'Erin Session').getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByText('Waiting for Erin Session to allow access…')).toBeVisible();
  await a.waitFor(/asks to see your screen, control your mouse and keyboard, send and receive files/);
  await shot(page, info, '03-asking-consent.png');
  a.say('allow');

  // 4. Allowed: ready, then in_session; the view goes live.
  await expect(page.getByText('Connected to Erin Session')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('session-status')).toHaveText(/In session/);
  await expect.poll(() => rowStatuses(page)).toContain('in_session');
  const seen = await rowStatuses(page);
  info.annotations.push({ type: 'row statuses seen', description: seen.join(' → ') });
  expect(seen).toEqual(['waiting', 'ready', 'in_session']);
  await expect(page.getByText(/^Verification code: \d{3} \d{3}$/)).toBeVisible();
  await expect(page.locator('.remote-stats')).toHaveText(/\d+ fps · \d+ kbit\/s · RTT \d+ ms .* · direct/, {
    timeout: 10_000,
  });

  // 5. The video is the Xvfb screen: the probe window's colour where it should be.
  const video = page.locator('.remote-viewport video');
  await expect
    .poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 20_000 })
    .toBe(1280);
  const g = await videoGeometry(video);
  const centre = { x: PROBE.x + PROBE.width / 2, y: PROBE.y + (PROBE.height - 30) / 2 };
  const spot = mapPoint(g, centre.x, centre.y);
  const background = mapPoint(g, 40, 40);
  await expect
    .poll(
      async () => {
        const png = await video.screenshot({ path: info.outputPath('04-video.png') });
        const probeColour = await pixelOf(context, png, spot.inElement.x, spot.inElement.y);
        const rootColour = await pixelOf(context, png, background.inElement.x, background.inElement.y);
        return near(probeColour, hexToRgb(PROBE.color)) && near(rootColour, [0, 0, 0]);
      },
      { timeout: 20_000, message: 'the probe window shows in the video at its mapped place' },
    )
    .toBe(true);
  await shot(page, info, '05-live-view.png');

  // 6. A click in the viewer moves the real X pointer to the same spot and clicks there.
  await page.mouse.click(spot.inPage.x, spot.inPage.y);
  await probe.waitFor((e) => e.event === 'button' && e.num === 1, 10_000);
  const at = await cap.pointerLocation(host.display);
  expect(Math.abs(at.x - centre.x)).toBeLessThanOrEqual(2);
  expect(Math.abs(at.y - centre.y)).toBeLessThanOrEqual(2);
  await shot(page, info, '06-clicked.png');

  // 7. Typed text arrives in the probe window's entry.
  await page.keyboard.type('hello beckon');
  expect(await probe.waitForText('hello beckon', 15_000)).toBe('hello beckon');
  await shot(page, info, '07-typed.png');

  // 8. A file dropped on the panel arrives after the user answers "yes".
  const content = 'Beckon file transfer check\n';
  const dropZone = page.getByTestId('drop-zone');
  const files = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'report.txt', { type: 'text/plain' }));
    return dt;
  }, content);
  await dropZone.dispatchEvent('dragenter', { dataTransfer: files });
  await dropZone.dispatchEvent('dragover', { dataTransfer: files });
  await dropZone.dispatchEvent('drop', { dataTransfer: files });
  await expect(page.getByText('Waiting for the user to accept…')).toBeVisible();
  await a.waitFor(/"report\.txt" \(27 bytes\)\. Accept\?/);
  await shot(page, info, '08-file-offered.png');
  a.say('yes');
  await expect(page.locator('[data-transfer-state="done"]')).toContainText('report.txt');
  const saved = join(downloads, 'report.txt');
  await expect.poll(() => existsSync(saved) && readFileSync(saved, 'utf8')).toBe(content);
  await shot(page, info, '09-file-delivered.png');

  // 9. System information and live CPU / RAM values.
  await page.getByRole('button', { name: 'Read system information' }).click();
  await expect(page.getByTestId('sysinfo')).toContainText(hostname());
  await page.getByRole('button', { name: 'Start monitoring' }).click();
  await expect(page.getByTestId('cpu')).toHaveText(/^\d+ %$/, { timeout: 10_000 });
  await expect(page.getByTestId('ram')).toHaveText(/ of .*\(\d+ %\)$/);
  // The CPU chart draws a line once a few samples are in.
  const cpuLine = page.locator('.meter').first().locator('polyline').first();
  await expect
    .poll(async () => ((await cpuLine.getAttribute('points')) ?? '').split(' ').length, { timeout: 10_000 })
    .toBeGreaterThanOrEqual(3);
  await shot(page, info, '10-sysinfo-monitor.png');

  // 10. Closing the request ends the session, and the request is `closed`.
  await page.locator('.session-header').getByRole('button', { name: 'Close request' }).click();
  await page
    .getByRole('group', { name: /Close the session request/ })
    .getByRole('button', { name: 'Close request' })
    .click();
  await expect(
    page.getByRole('alert').filter({ hasText: 'The session with Erin Session ended.' }),
  ).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('The request was closed.');
  await expect(row(page, 'Erin Session').getByText('Closed')).toBeVisible();
  await shot(page, info, '11-closed.png');
  expect(await Promise.race([a.exited, new Promise((r) => setTimeout(r, 10_000, 'still running'))])).toBe(0);

  // The history has every step, in order.
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await row(page, 'Erin Session').getByRole('link').click();
  const history = page.getByRole('table').filter({ hasText: 'When' });
  for (const change of ['Open → Waiting', 'Waiting → Ready', 'Ready → In session', 'In session → Closed'])
    await expect(history.getByRole('cell', { name: change, exact: true })).toBeVisible();
  await shot(page, info, '12-history.png');
  expect(dialogs).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});

test('a deny shows at once', async ({ browser }, info) => {
  const { context, page, errors } = await newPage(browser);
  await signInAt(page, broker.url);
  await quickRequest(page, 'Gina Deny');
  const { assist: a } = await joinAndWait(page, 'Gina Deny');
  await row(page, 'Gina Deny').getByRole('button', { name: 'Connect' }).click();
  await a.waitFor(/asks to see your screen/);
  const asked = Date.now();
  a.say('deny');
  const alert = page.getByRole('alert').filter({ hasText: 'Gina Deny denied access.' });
  await expect(alert).toBeVisible({ timeout: 3_000 });
  const ms = Date.now() - asked;
  info.annotations.push({ type: 'deny shown after', description: `${ms} ms` });
  expect(ms).toBeLessThan(1_500);
  await shot(page, info, '20-denied.png');
  await expect(row(page, 'Gina Deny').getByText('Waiting')).toBeVisible();
  await expect(row(page, 'Gina Deny').getByRole('button', { name: 'Connect' })).toBeEnabled();
  await a.stop();
  expect(errors).toEqual([]);
  await context.close();
});

test('an expired request cannot be connected', async ({ browser }, info) => {
  const { context, page, errors } = await newPage(browser);
  await signInAt(page, broker.url);
  const created = await broker.api.createRequest({
    recipientName: 'Hank Expiring',
    expiresAt: new Date(Date.now() + 6_000).toISOString(),
  });
  await expect(row(page, 'Hank Expiring').getByText('Open')).toBeVisible();
  const a = assist(created.displayCode);
  await a.waitFor(/Joined/);
  const connect = row(page, 'Hank Expiring').getByRole('button', { name: 'Connect' });
  await expect(connect).toBeEnabled();
  // The sweep expires it; the row follows live and Connect turns off.
  await expect(row(page, 'Hank Expiring').getByText('Expired')).toBeVisible({ timeout: 15_000 });
  await expect(connect).toBeDisabled();
  await expect(connect).toHaveAttribute('title', 'You can connect when the user is waiting or ready.');
  await row(page, 'Hank Expiring').getByRole('link').click();
  await expect(page.locator('.detail-actions').getByRole('button', { name: 'Connect' })).toBeDisabled();
  await shot(page, info, '30-expired.png');
  expect(await Promise.race([a.exited, new Promise((r) => setTimeout(r, 10_000, 'still running'))])).toBe(0);
  expect(errors).toEqual([]);
  await context.close();
});

test('recipient and host names with markup show as text', async ({ browser }, info) => {
  const { context, page, errors, dialogs } = await newPage(browser);
  await signInAt(page, broker.url);
  const evil = '<img src=x onerror=alert(1)>Ivy';
  // A host name may be any 64 bytes: this one is markup too.
  const evilHost = '<b>pc</b><img src=y onerror=alert(2)>';
  await quickRequest(page, evil);
  const { assist: a } = await joinAndWait(page, evil, evilHost);
  await row(page, evil).getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByText(`Waiting for ${evil} to allow access…`)).toBeVisible();
  await a.waitFor(/asks to/);
  a.say('allow');
  await expect(page.getByText(`Connected to ${evil}`)).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Read system information' }).click();
  await expect(page.getByTestId('sysinfo').getByText(evilHost, { exact: true })).toBeVisible();
  await shot(page, info, '40-markup-as-text.png');
  expect(await page.locator('img, b').count()).toBe(0);
  await page.locator('.remote-toolbar').getByRole('button', { name: 'End session' }).click();
  await expect(page.getByRole('alert')).toContainText(`The session with ${evil} ended.`);
  await a.stop();
  expect(dialogs).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});
