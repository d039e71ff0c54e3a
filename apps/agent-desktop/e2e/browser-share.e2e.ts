import { chromium, expect, test, type Browser } from '@playwright/test';
import { expectAccessible } from '../../../testing/axe.ts';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../../testing/chromium.ts';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { row, signIn } from './console-helpers.ts';

// UA2's browser-only session end to end: the person opens the landing page in
// Debian Chromium and shares a tab from it (getDisplayMedia; the source is
// picked by Chromium's auto-select switch, as a person would in the picker),
// after Beckon's own Allow; the agent's console shows the picture and "view
// only", offers no control, and Stop on the page ends it. Real broker, real
// WebRTC between two Chromium pages, on Xvfb.

const TAB_TITLE = 'Beckon shared tab';
let broker: TestBroker;
let browser: Browser;

test.beforeAll(async () => {
  broker = await startBroker();
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: !process.env['DISPLAY'],
    args: [...CHROMIUM_FLAGS, `--auto-select-tab-capture-source-by-title=${TAB_TITLE}`],
  });
});
test.afterAll(async () => {
  await browser?.close();
  await broker?.stop();
});

test('share a tab from the landing page: the console sees it, view only, no control, Stop ends it', async () => {
  const created = await broker.api.call<{ id: string; customerLink: string }>(
    'POST',
    '/api/v1/session-requests',
    {
      recipientName: 'Fay Browser',
      permissions: ['view', 'control', 'file_transfer', 'system_info'],
    },
  );
  const person = await browser.newContext({ locale: 'en-US', viewport: { width: 1000, height: 800 } });
  // The tab the person shares: plain green, so the agent's picture can be checked.
  const shared = await person.newPage();
  await shared.setContent(`<title>${TAB_TITLE}</title><body style="margin:0;background:#00c000"></body>`);
  const landing = await person.newPage();
  const pageErrors: string[] = [];
  landing.on('pageerror', (e) => pageErrors.push(e.message));
  await landing.goto(created.customerLink);
  const share = landing.getByRole('button', { name: 'Share my screen from this browser' });
  await expect(share).toBeVisible();
  await share.click();
  await expect(landing.locator('#share-state')).toHaveText(/When .* connects, you will be asked here first/);
  await expect
    .poll(
      async () =>
        (await broker.api.call<{ status: string }>('GET', `/api/v1/session-requests/${created.id}`)).status,
    )
    .toBe('waiting');

  const agent = await browser.newContext({ locale: 'en-US', viewport: { width: 1400, height: 900 } });
  const consolePage = await agent.newPage();
  await signIn(consolePage, broker.url);
  await row(consolePage, 'Fay Browser').getByRole('button', { name: 'Connect' }).click();

  // Beckon's question first (keyboard: Allow has the focus), then the browser's picker (auto-selected).
  await expect(landing.locator('#share-question')).toHaveText(/asks to see your screen/);
  await expectAccessible(landing, 'the landing page asking to share');
  await expect(landing.getByRole('button', { name: 'Allow' })).toBeFocused();
  await landing.getByRole('button', { name: 'Allow' }).click();
  await expect(landing.locator('#share-state')).toHaveText(
    /Sharing your screen with .* \(view only\)\. Verification code: \d{3} \d{3}/,
    {
      timeout: 30_000,
    },
  );
  const stop = landing.getByRole('button', { name: 'Stop sharing' });
  await expect(stop).toBeVisible();

  // The console: the picture, "view only", control not offered, only view allowed.
  await expect(consolePage.getByTestId('browser-host')).toHaveText(
    /View only: Fay Browser shares the screen from a web browser/,
  );
  const video = consolePage.locator('.remote-viewport video');
  await expect
    .poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 20_000 })
    .toBeGreaterThan(0);
  await expect
    .poll(
      () =>
        video.evaluate((v: HTMLVideoElement) => {
          const c = document.createElement('canvas');
          c.width = v.videoWidth;
          c.height = v.videoHeight;
          const g = c.getContext('2d')!;
          g.drawImage(v, 0, 0);
          const [r, gr, b] = g.getImageData(Math.floor(c.width / 2), Math.floor(c.height / 2), 1, 1).data;
          return r! < 60 && gr! > 150 && b! < 60;
        }),
      { timeout: 20_000 },
    )
    .toBe(true);
  await expect(consolePage.getByRole('button', { name: 'Take control' })).toHaveCount(0);
  await expect(consolePage.getByRole('button', { name: 'View only' })).toHaveCount(0);
  await expect(consolePage.getByText(/Allowed: View screen$/)).toBeVisible();
  await expect
    .poll(
      async () =>
        (
          await broker.api.call<{ status: string; permissions: string[] }>(
            'GET',
            `/api/v1/session-requests/${created.id}`,
          )
        ).status,
    )
    .toBe('in_session');

  // Stop on the page: the console's session ends.
  await stop.click();
  await expect(consolePage.locator('.session-banner[data-phase="ended"]')).toBeVisible({ timeout: 15_000 });
  await expect(landing.locator('#share-state')).toHaveText(/Sharing stopped/);
  expect(pageErrors).toEqual([]);
  await agent.close();
  await person.close();
});
