import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { newPage, signIn } from './console-helpers.ts';

// The console's ad-hoc support page against a real broker process: without a
// seat the refusal names the limit; with one the session is created, its
// predefined password shown once (gone after a reload, never in the list),
// a second one for the same provider is refused, and End ends it. Then the
// page in German, Japanese and Korean.
test.describe.configure({ mode: 'serial' });

// The assist client is another project: started by path, never imported.
const ASSIST = join(import.meta.dirname, '../../assist-client/bin/beckon-assist.js');
let broker: TestBroker;
const prefix = mkdtempSync(join(tmpdir(), 'beckon-e2e-adhoc-'));
const allowed = mkdtempSync(join(tmpdir(), 'beckon-e2e-adhoc-files-'));
const children: ChildProcess[] = [];
test.beforeAll(async () => {
  broker = await startBroker({ BECKON_HOST_HEARTBEAT_MS: '2000' });
});
test.afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await broker?.stop();
  rmSync(prefix, { recursive: true, force: true });
  rmSync(allowed, { recursive: true, force: true });
});

function assist(args: string[]): { child: ChildProcess; done: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, [ASSIST, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, done: new Promise((r) => child.once('exit', (code) => r(code))), output: () => out };
}

test('create an ad-hoc session, see the password once, the limits refused clearly, end it', async ({
  browser,
}, info) => {
  const { context, page, errors } = await newPage(browser);
  await signIn(page, broker.url);
  await page.getByRole('link', { name: 'Ad-hoc support' }).click();
  await expect(page.getByRole('heading', { name: 'Ad-hoc support' })).toBeVisible();
  await expect(page.getByText('No ad-hoc sessions yet.')).toBeVisible();

  const form = page.getByRole('form', { name: 'New ad-hoc session' });
  const fill = async () => {
    await form.getByLabel('User name').fill('Ada Lovelace');
    await form.getByLabel('Email').fill('ada@example.com');
    await form.getByLabel('Mail language').selectOption('de');
  };
  await fill();
  await form.getByRole('button', { name: 'Create and send the mail' }).click();
  await expect(form.getByRole('alert')).toHaveText(/No free ad-hoc seat/);
  await expect(page.getByText('No ad-hoc sessions yet.')).toBeVisible();

  await broker.api.call('PUT', '/api/v1/adhoc-seats', { seats: 2 });
  await page.reload();
  await expect(page.getByTestId('adhoc-seats')).toHaveText(
    '0 of 2 seats in use (at most 5 active per organisation)',
  );
  await fill();
  await form.getByRole('button', { name: 'Create and send the mail' }).click();
  const once = page.getByTestId('adhoc-once');
  await expect(once).toBeVisible();
  const password = (await once.getByTestId('adhoc-password').textContent()) ?? '';
  expect(password).toMatch(/^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/);
  await expect(once.getByTestId('adhoc-code')).toHaveText(/^\d{5}-\d{5}$/);
  const list = page.getByRole('table', { name: 'Ad-hoc sessions' });
  await expect(list.getByTestId('adhoc-status')).toHaveText(['Waiting for activation']);
  await page.screenshot({ path: info.outputPath('adhoc-created.png') });

  // One per provider.
  await fill();
  await form.getByRole('button', { name: 'Create and send the mail' }).click();
  await expect(form.getByRole('alert')).toHaveText(/already have an active ad-hoc session/);

  // Shown once: after a reload it is nowhere on the page.
  await page.reload();
  await expect(list).toBeVisible();
  await expect(page.getByText(password)).toHaveCount(0);
  expect(await page.content()).not.toContain(password);

  await list.getByRole('button', { name: 'End now' }).click();
  await list.getByRole('group', { name: 'End now?' }).getByRole('button').first().click();
  await expect(list.getByTestId('adhoc-status')).toHaveText(['Ended']);
  await expect(page.getByTestId('adhoc-seats')).toHaveText(/^0 of 2/);
  // The two refusals are 409 answers the browser logs; nothing else went wrong.
  expect(errors.filter((e) => !/status of 409/.test(e))).toEqual([]);
  await context.close();
});

test('the page in German, Japanese and Korean', async ({ browser }) => {
  const { context, page } = await newPage(browser);
  await signIn(page, broker.url);
  await page.goto(`${broker.url}/console/#/adhoc`);
  for (const [lang, heading] of [
    ['de', 'Ad-hoc-Support'],
    ['ja', 'アドホックサポート'],
    ['ko', '임시 지원'],
  ] as const) {
    await page.getByRole('banner').getByRole('combobox').selectOption(lang);
    await expect(page.getByRole('heading', { level: 2 })).toHaveText(heading);
    await expect(page.getByRole('form')).toBeVisible();
  }
  await context.close();
});

test('the provider connects from the console to an activated temporary host: asked for the predefined password', async ({
  browser,
}, info) => {
  await broker.api.call('PUT', '/api/v1/adhoc-seats', { seats: 2 });
  mkdirSync(join(allowed, 'docs'));
  writeFileSync(join(allowed, 'docs', 'report.txt'), 'quarterly numbers');
  const made = await broker.api.call<{ securityCode: string; predefinedPassword: string }>(
    'POST',
    '/api/v1/adhoc-sessions',
    { userName: 'Bo', email: 'bo@example.com' },
  );
  const install = assist(['adhoc', 'install', '--broker', broker.url, '--prefix', prefix]);
  expect(await install.done, install.output()).toBe(0);
  const activate = assist([
    'adhoc',
    'activate',
    '--prefix',
    prefix,
    '--code',
    made.securityCode,
    '--allow',
    allowed,
    '--name',
    'Bo laptop',
  ]);
  expect(await activate.done, activate.output()).toBe(0);
  const host = assist(['adhoc', 'run', '--prefix', prefix, '--display', process.env.DISPLAY ?? ':0']);

  const { context, page } = await newPage(browser);
  await signIn(page, broker.url);
  await page.getByRole('link', { name: 'Computers' }).click();
  const row = page
    .getByRole('table', { name: 'Computers' })
    .getByRole('row')
    .filter({ hasText: 'Bo laptop' });
  await expect(row.getByTestId('host-status')).toHaveText('Online', { timeout: 20_000 });
  await row.getByRole('button', { name: 'Bo laptop' }).click();
  const details = page.getByTestId('host-details');

  // A wrong password: the computer refuses it and ends the connection.
  await details.getByRole('button', { name: 'Connect' }).click();
  const prompt = page.getByRole('form', { name: 'Predefined password' });
  await expect(prompt).toBeVisible({ timeout: 30_000 });
  await prompt.getByLabel(/asks for the predefined password/).fill('not-the-password');
  await prompt.getByRole('button', { name: 'Send' }).click();
  const banner = page.locator('.session-banner');
  await expect(banner).toContainText('The computer refused the password and ended the connection.', {
    timeout: 15_000,
  });
  await banner.getByRole('button', { name: 'Dismiss' }).click();

  // The right one: the screen arrives.
  await details.getByRole('button', { name: 'Connect' }).click();
  await expect(prompt).toBeVisible({ timeout: 30_000 });
  await prompt.getByLabel(/asks for the predefined password/).fill(made.predefinedPassword);
  await prompt.getByRole('button', { name: 'Send' }).click();
  await expect(prompt).toHaveCount(0);
  await expect
    .poll(
      () =>
        page
          .locator('video')
          .first()
          .evaluate((v: HTMLVideoElement) => v.videoWidth),
      { timeout: 20_000 },
    )
    .toBeGreaterThan(0);
  await page.screenshot({ path: info.outputPath('adhoc-connected.png') });

  // The file manager, confined on the host to the allowed folder: browse, download, rename, delete.
  const fm = page.getByRole('table', { name: 'File manager' });
  await expect(fm.getByRole('button', { name: 'docs/' })).toBeVisible({ timeout: 15_000 });
  await fm.getByRole('button', { name: 'docs/' }).click();
  await expect(page.getByTestId('fm-path')).toHaveText('/docs');
  const report = fm.getByRole('row').filter({ hasText: 'report.txt' });
  await report.getByRole('button', { name: 'Download' }).click();
  const incoming = page.locator('.transfer').filter({ hasText: 'report.txt' });
  await incoming.getByRole('button', { name: 'Accept' }).click();
  await expect(incoming).toHaveAttribute('data-transfer-state', 'done');
  await report.getByRole('button', { name: 'Rename' }).click();
  await fm.getByLabel('New name').fill('renamed.txt');
  await fm.getByRole('button', { name: 'Rename' }).first().click();
  const renamed = fm.getByRole('row').filter({ hasText: 'renamed.txt' });
  await expect(renamed).toBeVisible();
  await renamed.getByRole('button', { name: 'Delete' }).click();
  await renamed.getByRole('group').getByRole('button', { name: 'Delete' }).click();
  await expect(renamed).toHaveCount(0);
  expect(existsSync(join(allowed, 'docs', 'renamed.txt'))).toBe(false);
  await page.getByRole('button', { name: 'Show running processes' }).click();
  await expect(page.getByRole('table', { name: 'Processes' }).getByRole('row').nth(1)).toBeVisible();
  await page.screenshot({ path: info.outputPath('adhoc-file-manager.png') });
  await context.close();
  host.child.kill('SIGTERM');
  await host.done;
});
