import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectAccessible } from '../../../e2e/axe.ts';

// axe-core in Debian Chromium over every page a person meets on the broker:
// the landing page (every status it shows at first), /join with and without a
// problem, a dead link's page, the console's sign-in, request list and both
// request dialogs, at the 1280 px width of a small laptop. The remote view and
// the assist windows are checked in their own e2e files (remote-view, assist).

const ADMIN = { email: 'admin@example.com', password: 'a long e2e password' };
let broker: ChildProcess;
let url: string;
let token: string;
const dataDir = mkdtempSync(join(tmpdir(), 'beckon-axe-e2e-'));

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

test.use({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });

test.beforeAll(async () => {
  broker = spawn(process.execPath, [join(import.meta.dirname, '../bin/beckon-broker.js'), 'serve'], {
    env: {
      ...process.env,
      BECKON_DATA_DIR: dataDir,
      BECKON_PORT: '0',
      BECKON_LOG_LEVEL: 'warn',
      BECKON_ADMIN_EMAIL: ADMIN.email,
      BECKON_ADMIN_PASSWORD: ADMIN.password,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    broker.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    broker.once('exit', (code) => reject(new Error(`broker exited ${code}: ${out}`)));
  });
  token = (await api('POST', '/api/v1/auth/login', ADMIN)).body.token;
});

test.afterAll(() => {
  broker?.kill();
  rmSync(dataDir, { recursive: true, force: true });
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
