import { expect, test } from '@playwright/test';
import { expectAccessible } from '../../../testing/axe.ts';
import { ADMIN, startBroker, type TestBroker } from '../src/testing/index.ts';

// axe-core in Debian Chromium over every page a person meets on the broker:
// the landing page (every status it shows at first), /join with and without a
// problem, a dead link's page, the console's sign-in, request list and both
// request dialogs, at the 1280 px width of a small laptop. The remote view and
// the assist windows are checked in their own e2e files (remote-view, assist).

let broker: TestBroker;
let url: string;
const api = (method: string, path: string, body?: unknown) => broker.api.request(method, path, body);

test.use({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });

test.beforeAll(async () => {
  broker = await startBroker();
  url = broker.url;
});

test.afterAll(async () => {
  await broker?.stop();
});

test('the end user pages: landing page, /join, a dead link', async ({ page }) => {
  const r = await api('POST', '/api/v1/session-requests', { recipientName: 'Ada', comment: 'Printer' });
  expect(r.status).toBe(201);
  const link = r.body.customerLink as string;
  await page.goto(link);
  await expect(page.locator('#status')).toHaveAttribute('data-status', 'open');
  await expectAccessible(page, 'the landing page');

  // Keyboard only: Tab reaches the download and the "already installed" button.
  const focusable: string[] = [];
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    focusable.push(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ''));
  }
  // The Linux download is the self-contained bundle this checkout built (scripts/beckon setup).
  expect(focusable).toContain('Download for Linux');
  expect(focusable).toContain('Open in Beckon Assist');

  await page.goto(`${url}/join`);
  await expectAccessible(page, '/join');
  await page.getByLabel('Session code').fill('s00-000-000');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectAccessible(page, '/join with a problem');

  await page.goto(`${url}/j/not-a-token`);
  await expectAccessible(page, 'the invalid link page');

  const favicon = await fetch(`${url}/favicon.ico`);
  expect(favicon.status).toBe(200);
  expect(favicon.headers.get('content-type')).toMatch(/^image\//);
});

test('the console: sign-in, request list (all actions visible at 1280 px), both dialogs', async ({
  page,
}) => {
  await api('POST', '/api/v1/session-requests', { recipientName: 'Bo', comment: 'Mail' });
  await page.goto(`${url}/console/`);
  await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible();
  await expectAccessible(page, 'the sign-in page');
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Email').fill(ADMIN.email);
  await form.getByLabel('Password').fill(ADMIN.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  const table = page.getByRole('table', { name: 'Session requests' });
  const bo = table.getByRole('row').filter({ has: page.getByRole('link', { name: 'Bo', exact: true }) });
  await expect(bo).toHaveCount(1);
  await expectAccessible(page, 'the request list');

  // Every action of a row is inside the table's visible box, without scrolling sideways.
  const frame = await table.boundingBox();
  const buttons = bo.getByRole('button');
  expect(await buttons.count()).toBe(3);
  for (const b of await buttons.all()) {
    const box = await b.boundingBox();
    expect(box!.x + box!.width, await b.innerText()).toBeLessThanOrEqual(frame!.x + frame!.width);
  }
  expect(await table.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);

  await page.getByRole('button', { name: 'Quick request' }).click();
  await expect(page.getByRole('dialog', { name: 'Quick request' })).toBeVisible();
  await expectAccessible(page, 'the quick request dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.getByRole('button', { name: 'Scheduled request' }).click();
  await expect(page.getByRole('dialog', { name: 'Scheduled request' })).toBeVisible();
  await expectAccessible(page, 'the scheduled request dialog');
});
