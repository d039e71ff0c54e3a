import { expect, test } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { newPage, signIn } from './console-helpers.ts';

// Unattended access in the console, against a real broker process and a real
// headless managed host on this display, with a real Linux account made here
// (useradd) for the customer's own credentials, and removed afterwards:
// ask in a live session, the customer approves at the host's terminal with
// their OS password (PAM), the Computers page shows the grant, and a later
// Connect with a reason runs with nobody answering at the host.
test.describe.configure({ mode: 'serial' });

const ASSIST = join(import.meta.dirname, '../../assist-client/bin/beckon-assist.js');
const root = process.getuid?.() === 0;
const customer = {
  name: `bke${randomBytes(3).toString('hex')}`,
  password: `pw ${randomBytes(5).toString('hex')}`,
};
const stateDir = mkdtempSync(join(tmpdir(), 'beckon-e2e-ua-'));
let broker: TestBroker;
let host: ChildProcess | null = null;
let out = '';

test.beforeAll(async () => {
  if (!root) return;
  execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', customer.name]);
  execFileSync('chpasswd', [], { input: `${customer.name}:${customer.password}\n` });
  broker = await startBroker();
});
test.afterAll(async () => {
  host?.kill('SIGKILL');
  await broker?.stop();
  if (root) execFileSync('userdel', ['-f', customer.name], { stdio: 'ignore' });
  rmSync(stateDir, { recursive: true, force: true });
});

/** Resolves once the host has printed `pattern` more often than `seen` times. */
async function printed(pattern: RegExp, seen: number): Promise<void> {
  await expect
    .poll(() => (out.match(new RegExp(pattern.source, 'g')) ?? []).length, { timeout: 30_000 })
    .toBeGreaterThan(seen);
}
const count = (pattern: RegExp) => (out.match(new RegExp(pattern.source, 'g')) ?? []).length;

test('ask in a live session, the customer approves with their OS password, the grant is listed, Connect later with a reason', async ({
  browser,
}, info) => {
  test.skip(!root, 'making a Linux user needs root (CI runs as root)');
  test.setTimeout(180_000);
  const { code } = await broker.api.call<{ code: string }>('POST', '/api/v1/hosts/enrolment-codes', {});
  host = spawn(
    process.execPath,
    [ASSIST, 'host', 'run', '--broker', broker.url, '--state-dir', stateDir, '--name', 'Back office'],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, BECKON_ENROLMENT_CODE: code } },
  );
  host.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  host.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const type = (line: string) => host?.stdin?.write(`${line}\n`);

  const { context, page } = await newPage(browser);
  await signIn(page, broker.url);
  await page.getByRole('link', { name: 'Computers' }).click();
  const row = page
    .getByRole('table', { name: 'Computers' })
    .getByRole('row')
    .filter({ hasText: 'Back office' });
  await expect(row.getByTestId('host-status')).toHaveText('Online', { timeout: 30_000 });
  await row.getByRole('button', { name: 'Back office' }).click();
  const details = page.getByTestId('host-details');
  await expect(details.getByTestId('host-grants')).toContainText('No unattended access');

  // An attended session: the customer allows it at the host's terminal.
  const asked = count(/asks to see your screen/);
  await details.getByRole('button', { name: 'Connect', exact: true }).click();
  await printed(/asks to see your screen/, asked);
  type('allow');
  const form = page.getByTestId('unattended-form');
  await expect(form).toBeVisible({ timeout: 30_000 });

  // The dialog: two weeks and a day with the customer's credentials is refused before sending.
  await form.getByLabel('Credentials').selectOption('at_setup');
  await form.getByRole('spinbutton', { name: 'Days' }).fill('15');
  await expect(form.getByTestId('unattended-error')).toContainText('at most 14 days');
  await expect(form.getByRole('button', { name: 'Ask the customer' })).toBeDisabled();
  await form.getByRole('spinbutton', { name: 'Days' }).fill('7');
  const users = count(/User name \(/);
  const passwords = count(/Password:/);
  await form.getByRole('button', { name: 'Ask the customer' }).click();
  await printed(/User name \(/, users);
  type(customer.name);
  await printed(/Password:/, passwords);
  type(customer.password);
  await expect(form.getByTestId('unattended-result')).toHaveText('Unattended access allowed.', {
    timeout: 30_000,
  });
  await page.screenshot({ path: info.outputPath('unattended-granted.png') });

  // The live session ends; the Computers page shows the grant.
  await page.getByRole('button', { name: 'End session' }).click();
  await page
    .getByRole('button', { name: 'Dismiss' })
    .click()
    .catch(() => {});
  await page.getByRole('link', { name: 'Computers' }).click();
  await row.getByRole('button', { name: 'Back office' }).click();
  const grant = details.getByTestId('grant');
  await expect(grant).toContainText('Active');
  await expect(grant).toContainText(`authorised by ${customer.name}`);

  // Later, nobody at the host: Connect unattended needs a reason, then it runs without a question.
  const questions = count(/asks to see your screen/);
  await details.getByRole('button', { name: 'Connect unattended' }).click();
  const connect = details.getByTestId('unattended-connect');
  await connect.getByLabel('Reason (ticket or text)').fill('TICKET-77 backups');
  await connect.getByRole('button', { name: 'Connect' }).click();
  await expect(page.locator('.session-overlay[data-phase="connected"]')).toBeVisible({ timeout: 30_000 });
  await expect.poll(() => /UNATTENDED SESSION RUNNING: .*reason: TICKET-77 backups/.test(out)).toBe(true);
  expect(count(/asks to see your screen/)).toBe(questions);
  await page.screenshot({ path: info.outputPath('unattended-session.png') });
  await context.close();
});
