import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_VERSION } from '@beckon/protocol';
import WebSocket from 'ws';
import { ADMIN, startBroker, type TestBroker } from '../src/testing/index.ts';

// The end user's landing pages and the admins' Branding page, in Debian
// Chromium against a real broker process (the built console included).

const SHOTS = join(import.meta.dirname, '../../../.tools/test-results');
// A 1×1 PNG (a real one: the broker checks the bytes are the image they claim to be).
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

let broker: TestBroker;
let url: string;
const artifacts = mkdtempSync(join(tmpdir(), 'beckon-landing-artifacts-'));

const api = (method: string, path: string, body?: unknown) => broker.api.request(method, path, body);

async function createRequest(body: Record<string, unknown>) {
  const res = await api('POST', '/api/v1/session-requests', body);
  expect(res.status).toBe(201);
  return { ...res.body, token: (res.body.customerLink as string).split('/j/')[1] as string } as {
    id: string;
    code: string;
    token: string;
  };
}

/** Every error and every dialog: an injected script would show up here. */
function watch(page: Page) {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  // A 404 or 410 document (a dead link's page) is logged as a failed load: that is the page working.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  return problems;
}

test.beforeAll(async () => {
  writeFileSync(join(artifacts, 'BeckonAssist.AppImage'), 'an AppImage, in spirit');
  writeFileSync(join(artifacts, 'BeckonAssist.exe'), 'MZ');
  writeFileSync(join(artifacts, 'BeckonAssist-linux.tar.gz'), 'a bundle, in spirit');
  broker = await startBroker({
    BECKON_SWEEP_MS: '200',
    BECKON_ORG_NAME: 'Acme Support',
    BECKON_ARTIFACTS_DIR: artifacts,
    BECKON_ASSIST_BUNDLE: join(artifacts, 'BeckonAssist-linux.tar.gz'),
  });
  url = broker.url;
  // The landing tests' branding; the console test below changes it through the Branding page.
  const brand = {
    displayName: 'Acme Helpdesk',
    color: '#0a7d4f',
    message: 'We will never ask for your password.',
  };
  expect((await api('PUT', '/api/v1/admin/branding', brand)).status).toBe(200);
  expect(
    (await api('PUT', '/api/v1/admin/branding/logo', { contentType: 'image/png', data: PNG })).status,
  ).toBe(200);
});

test.afterAll(async () => {
  await broker?.stop();
  rmSync(artifacts, { recursive: true, force: true });
});

test('the landing page: branding, language, escaped text, download named after the code, live status', async ({
  page,
}) => {
  const problems = watch(page);
  const r = await createRequest({
    recipientName: '<img src=x onerror=alert(1)>',
    comment: 'Drucker <script>alert(2)</script>',
    language: 'de',
  });
  await page.goto(`${url}/j/${r.token}`);
  await expect(page).toHaveTitle('Fernsupport von Acme Helpdesk');
  await expect(page.locator('.brand .org')).toHaveText('Acme Helpdesk');
  await expect(page.locator('.brand')).toHaveCSS('background-color', 'rgb(10, 125, 79)');
  await expect(page.locator('.brand img.logo')).toBeVisible();
  await expect(page.locator('.brand-message')).toHaveText('We will never ask for your password.');
  // What people typed is text, not markup: no image element, no script ran.
  await expect(page.getByText('Hallo <img src=x onerror=alert(1)>,')).toBeVisible();
  await expect(page.locator('.comment')).toHaveText('Drucker <script>alert(2)</script>');
  await expect(page.locator('main img')).toHaveCount(0);
  await expect(page.locator('#status')).toHaveAttribute('data-status', 'open');
  await expect(page.locator('#status .status-text')).toHaveText(
    'Wartet darauf, dass Sie Beckon Assist starten',
  );
  await expect(page.locator('#open-installed')).toHaveAttribute('href', `beckon-assist://join/${r.token}`);
  expect((await api('GET', `/api/v1/session-requests/${r.id}`)).body.status).toBe('open');

  // Debian Chromium says X11 Linux: the AppImage first, named after the code.
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Für Linux herunterladen' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`BeckonAssist-${r.code}.AppImage`);
  // The AppImage wins on Linux; the self-contained bundle is named beside the other systems.
  await expect(page.locator('.others a')).toHaveText(['Windows', 'Linux, ohne Installation (.tar.gz)']);
  await page.screenshot({ path: join(SHOTS, 'landing-de.png'), fullPage: true });

  // The assist client joins: the page says so without a reload.
  const joined = await api('POST', '/api/v1/join', { token: r.token });
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/signal?ticket=${joined.body.ticket}`, [
    'beckon.v1',
  ]);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION }));
  await expect(page.locator('#status')).toHaveAttribute('data-status', 'waiting');
  await expect(page.locator('#status .status-text')).toHaveText(/Beckon Assist läuft/);
  ws.close();

  // Closed by the agent: the page turns into the closed page.
  await api('POST', `/api/v1/session-requests/${r.id}/close`);
  await expect(page.locator('h1[data-ended="closed"]')).toHaveText('Diese Sitzungsanfrage ist geschlossen', {
    timeout: 10_000,
  });
  expect(problems).toEqual([]);
});

test('an expired link shows the expired page; the code page takes a code to its landing page', async ({
  page,
}) => {
  const problems = watch(page);
  const r = await createRequest({
    recipientName: 'Bo',
    language: 'en',
    expiresAt: new Date(Date.now() + 1500).toISOString(),
  });
  await page.goto(`${url}/j/${r.token}`);
  await expect(page.locator('#status')).toHaveAttribute('data-status', 'open');
  // Expiry reaches an open page live, then the expired page replaces it.
  await expect(page.locator('h1[data-ended="expired"]')).toHaveText('This link has expired', {
    timeout: 10_000,
  });
  await expect(page.getByText('Ask Acme Helpdesk for a new link.')).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'landing-expired.png') });

  const open = await createRequest({ recipientName: 'Cy', language: 'ja' });
  await page.goto(`${url}/join`);
  await page.getByLabel('Session code').fill(open.code.replace(/^s(\d\d)(\d{3})(\d{3})$/, 's$1-$2-$3'));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(`${url}/j/${open.token}`);
  await expect(page.locator('h1')).toHaveText('Acme Helpdesk からのリモートサポート');
  expect(problems).toEqual([]);
});

test('the Branding page previews every change live and saves it for the landing page', async ({ page }) => {
  const problems = watch(page);
  await page.goto(`${url}/console/`);
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Email').fill(ADMIN.email);
  await form.getByLabel('Password').fill(ADMIN.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Session requests' })).toBeVisible();
  await page.goto(`${url}/console/#/admin/branding`);
  const branding = page.getByRole('form', { name: 'Branding' });
  const preview = page.getByTestId('branding-preview');
  await expect(preview).toContainText('Remote support from Acme Helpdesk');

  await branding.getByLabel('Name shown to customers').fill('Acme Service Desk');
  await branding.getByLabel('Colour').first().fill('#7A1FA2');
  await branding.getByLabel('Message', { exact: true }).fill('Call us on 0800 123 if in doubt.');
  // The preview follows every keystroke, before anything is saved.
  await expect(preview).toContainText('Remote support from Acme Service Desk');
  await expect(preview).toContainText('Call us on 0800 123 if in doubt.');
  await expect(preview.locator('.preview-header')).toHaveCSS('background-color', 'rgb(122, 31, 162)');
  expect((await api('GET', '/api/v1/admin/branding')).body.displayName).toBe('Acme Helpdesk');

  await branding
    .getByLabel('Logo')
    .setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from(PNG, 'base64') });
  await expect(preview.locator('img.preview-logo')).toBeVisible();
  await branding.getByRole('button', { name: 'Save branding' }).click();
  await expect(page.getByText('Branding saved.').first()).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'console-branding.png') });
  const saved = (await api('GET', '/api/v1/admin/branding')).body;
  expect(saved).toMatchObject({
    orgName: 'Acme Service Desk',
    color: '#7a1fa2',
    message: 'Call us on 0800 123 if in doubt.',
  });
  expect(saved.logoUrl).toMatch(/^\/branding\/logo\/[0-9a-f]{64}$/);
  const r = await createRequest({ recipientName: 'Di' });
  await page.goto(`${url}/j/${r.token}`);
  await expect(page.locator('.brand .org')).toHaveText('Acme Service Desk');
  await expect(page.locator('.brand')).toHaveCSS('background-color', 'rgb(122, 31, 162)');
  expect(problems).toEqual([]);
});
