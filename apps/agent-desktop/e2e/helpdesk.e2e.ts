import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { newPage, row, signIn as signInAt } from './console-helpers.ts';
import { captureTesting, startAssist, type Assist, type Xvfb } from './host-side.ts';
import { signatureValid, standardSignatureValid, startReceiver } from './webhook-receiver.ts';

// The helpdesk console pages against a real broker: API tokens, webhooks (with a
// real HTTP receiver written here), mail templates and reports (after a real
// remote session with the headless assist client). Each page is screenshotted.
test.describe.configure({ mode: 'serial' });

let broker: TestBroker;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let host: Xvfb;
let downloads: string;
const assists: Assist[] = [];

test.beforeAll(async () => {
  receiver = await startReceiver();
  broker = await startBroker({
    // The receiver is local: allow it, and let failed deliveries give up within seconds.
    BECKON_WEBHOOK_ALLOWLIST: '127.0.0.1',
    BECKON_WEBHOOK_RETRY_BASE_MS: '100',
    BECKON_WEBHOOK_RETRY_MAX_MS: '300',
    BECKON_WEBHOOK_MAX_AGE_HOURS: '0.001',
  });
  host = await (await captureTesting()).startXvfb({ width: 1024, height: 600 });
  downloads = mkdtempSync(join(tmpdir(), 'beckon-helpdesk-e2e-'));
});

test.afterAll(async () => {
  for (const a of assists) await a.stop();
  await broker?.stop();
  await receiver?.stop();
  await host?.stop();
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

const ticket = (ticketId: string) => ({
  system: 'zendesk',
  ticketId,
  category: 'Hardware',
  type: 'Incident',
  priority: 'high',
  source: 'email',
});

async function admin(page: Page, section: string) {
  await page.getByRole('link', { name: 'Administration' }).click();
  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: section }).click();
}

test('API tokens: created with scopes, secret shown once, revoked after closing its cases', async ({
  browser,
}, info) => {
  const { context, page, errors, dialogs } = await newPage(browser);
  await signInAt(page, broker.url);
  await admin(page, 'API tokens');
  const form = page.getByRole('form', { name: 'Create an API token' });
  await form.getByLabel('Name').fill('Zendesk <b>prod</b>');
  await expect(form.getByLabel('Read service cases')).toBeChecked();
  await form.getByLabel('Read reports').check();
  await form.getByRole('button', { name: 'Create token' }).click();
  const secretBox = page.getByRole('alert', { name: 'Secret of “Zendesk <b>prod</b>”:' });
  const secret = ((await secretBox.getByTestId('secret').textContent()) ?? '').trim();
  expect(secret).toMatch(/^bkt_/);
  await page.screenshot({ path: info.outputPath('50-token-secret-once.png') });

  // The secret works, for what its scopes allow: a case for a ticket.
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${broker.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const created = await call('POST', '/api/v1/service-cases', {
    recipientName: 'Token Customer',
    assignee: { type: 'unassigned' },
    ticket: ticket('ZD-1'),
  });
  expect(created.status).toBe(201);

  await secretBox.getByRole('button', { name: 'I have stored it' }).click();
  await expect(page.getByTestId('secret')).toHaveCount(0);
  const tokens = page.getByRole('table', { name: 'API tokens' });
  await page.getByRole('button', { name: 'Refresh' }).click();
  const tokenRow = tokens.getByRole('row').filter({ hasText: 'Zendesk <b>prod</b>' });
  await expect(tokenRow.getByRole('cell').nth(5)).toHaveText('1');
  await expect(tokenRow).toContainText('Read service cases, Create and close service cases, Read reports');
  expect(await tokenRow.textContent()).not.toContain(secret.slice(8));

  // Revoking is refused while its case is open; closing them is offered, and done.
  await tokenRow.getByRole('button', { name: 'Revoke' }).click();
  await tokenRow
    .getByRole('group', { name: /Revoke the token/ })
    .getByRole('button', { name: 'Revoke' })
    .click();
  await expect(tokenRow.getByRole('alert')).toContainText('are still open');
  await page.screenshot({ path: info.outputPath('51-token-open-cases.png') });
  await tokenRow.getByRole('button', { name: 'Close the cases and revoke' }).click();
  await tokenRow
    .getByRole('group', { name: /Close every open case/ })
    .getByRole('button', { name: 'Close the cases and revoke' })
    .click();
  await expect(page.getByText('The token “Zendesk <b>prod</b>” is revoked.')).toBeVisible();
  await expect(tokenRow).toContainText('Revoked');
  await expect(tokenRow.getByRole('cell').nth(5)).toHaveText('0');
  const after = await call('GET', '/api/v1/service-cases?system=zendesk&ticketId=ZD-1');
  expect(after.status).toBe(401);
  expect(((await after.json()) as { error: { code: string } }).error.code).toBe('token_revoked');
  await page.screenshot({ path: info.outputPath('52-token-revoked.png') });
  expect(await page.locator('b').count()).toBe(0);
  expect(dialogs).toEqual([]);
  expect(errors.filter((e) => !/status of 409/.test(e))).toEqual([]);
  await context.close();
});

test('webhooks: registered with events, signed deliveries listed, a failed one redelivered', async ({
  browser,
}, info) => {
  test.setTimeout(90_000);
  const { context, page, errors } = await newPage(browser);
  await signInAt(page, broker.url);
  await admin(page, 'Webhooks');
  const form = page.getByRole('form', { name: 'Register a webhook' });
  await form.getByLabel('URL').fill('http://10.0.0.1:9/nowhere');
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(form.locator('.field-error')).toContainText('refused');
  await form.getByLabel('URL').fill(receiver.url);
  await form.getByLabel('Description (optional)').fill('Helpdesk <i>simulator</i>');
  await form.getByRole('button', { name: 'Register' }).click();
  const secretBox = page.getByRole('alert', { name: `Signing secret for ${receiver.url}:` });
  const secret = ((await secretBox.getByTestId('secret').textContent()) ?? '').trim();
  expect(secret.length).toBeGreaterThan(20);
  // The same key in the form Standard Webhooks libraries take, for the second signature.
  const whsec = ((await secretBox.getByTestId('secret-2').textContent()) ?? '').trim();
  expect(whsec).toMatch(/^whsec_/);
  await expect(form.getByLabel('Signatures')).toHaveValue('both');
  await secretBox.getByRole('button', { name: 'I have stored it' }).click();

  // A case is created: case.created arrives signed, and the list shows the delivery.
  await broker.api.call('POST', '/api/v1/service-cases', {
    recipientName: 'Hook One',
    ticket: ticket('ZD-2'),
  });
  await expect.poll(() => receiver.received.filter((r) => r.event === 'case.created').length).toBe(1);
  expect(signatureValid(receiver.received[0]!, secret)).toBe(true);
  expect(standardSignatureValid(receiver.received[0]!, whsec)).toBe(true);
  expect(
    standardSignatureValid(receiver.received[0]!, `whsec_${Buffer.from('wrong key').toString('base64')}`),
  ).toBe(false);
  const hooks = page.getByRole('table', { name: 'Webhooks' });
  const hookRow = hooks.getByRole('row').filter({ hasText: receiver.url });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).first().click();
    await expect(hookRow.locator('[data-delivery-status="delivered"]')).toContainText('Delivered (200)', {
      timeout: 1000,
    });
  }).toPass({ timeout: 15_000 });
  await expect(hookRow).toContainText('Helpdesk <i>simulator</i>');
  await expect(hookRow).toContainText('Beckon-Signature and Standard Webhooks');
  await page.screenshot({ path: info.outputPath('53-webhook-delivered.png') });

  // The receiver is down: the next delivery fails for good (max age a few seconds), then is redelivered.
  receiver.setFailing(true);
  await broker.api.call('POST', '/api/v1/service-cases', {
    recipientName: 'Hook Two',
    ticket: ticket('ZD-3'),
  });
  await hookRow.getByRole('button', { name: 'Deliveries' }).click();
  const deliveries = page.getByRole('table', { name: 'Deliveries' });
  const failed = deliveries.getByRole('row').filter({ has: page.locator('[data-delivery-status="failed"]') });
  await expect(async () => {
    await page
      .getByRole('region', { name: /Deliveries to/ })
      .getByRole('button', { name: 'Refresh' })
      .click();
    await expect(failed).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(failed).toContainText('500');
  await page.screenshot({ path: info.outputPath('54-webhook-failed.png') });
  receiver.setFailing(false);
  await failed.getByRole('button', { name: 'Redeliver' }).click();
  await expect(page.getByText('Queued again with the same delivery id.')).toBeVisible();
  await expect.poll(() => receiver.received.filter((r) => r.event === 'case.created').length).toBe(2);
  const second = receiver.received.filter((r) => r.event === 'case.created')[1]!;
  expect(signatureValid(second, secret)).toBe(true);
  expect(JSON.parse(second.body).case.recipientName).toBe('Hook Two');
  await expect(async () => {
    await page
      .getByRole('region', { name: /Deliveries to/ })
      .getByRole('button', { name: 'Refresh' })
      .click();
    await expect(deliveries.locator('[data-delivery-status="delivered"]')).toHaveCount(2, { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await page.screenshot({ path: info.outputPath('55-webhook-redelivered.png') });
  expect(await page.locator('i').count()).toBe(0);
  expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  await context.close();
});

test('mail templates: edit per kind and language, unknown parameters refused, preview, reset', async ({
  browser,
}, info) => {
  const { context, page, errors } = await newPage(browser);
  await signInAt(page, broker.url);
  await admin(page, 'Mail templates');
  const editor = page.getByRole('form', { name: 'Template editor' });
  await expect(editor).toBeVisible();
  // The template's language, not the console's (the header has a "Language" too).
  const language = page.locator('.template-pick').getByLabel('Language');
  await language.selectOption('de');
  await expect(editor.getByText('The built-in text: saving makes it yours.')).toBeVisible();
  const body = editor.getByLabel('Text');
  await expect(body).toHaveValue(/\{\{customerLink\}\}/);
  const builtIn = await body.inputValue();

  // An unknown parameter: flagged while typing, and refused by the broker next to the field.
  await body.fill(`${builtIn}\n{{password}}`);
  await expect(editor.getByTestId('unknown-parameters')).toHaveText(
    'Not a parameter of this template: {{password}}',
  );
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor.locator('.field.has-error .field-error')).toContainText(
    'unknown parameter {{password}}',
  );
  await page.screenshot({ path: info.outputPath('56-template-unknown-parameter.png') });

  // Fixed with a parameter from the list; previewed with sample values; saved.
  await body.fill('Hallo ');
  await editor.getByRole('button', { name: '{{customerName}}' }).click();
  await expect(body).toHaveValue('Hallo {{customerName}}');
  await body.press('End');
  await body.pressSequentially(', Ihr Code: ');
  await editor.getByRole('button', { name: '{{sessionCode}}' }).click();
  await expect(editor.getByTestId('unknown-parameters')).toHaveCount(0);
  await editor.getByRole('button', { name: 'Preview' }).click();
  const preview = editor.getByRole('region', { name: 'Preview' });
  await expect(preview.locator('pre')).toContainText(/Hallo .+, Ihr Code: s\d{2}-\d{3}-\d{3}/);
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Template saved.')).toBeVisible();
  await expect(editor.getByText('Your organisation’s text.')).toBeVisible();
  await page.screenshot({ path: info.outputPath('57-template-saved.png') });

  // Saved per language: English is still the built-in text; German comes back after a reload.
  await language.selectOption('en');
  await expect(editor.getByText('The built-in text: saving makes it yours.')).toBeVisible();
  await page.reload();
  await expect(editor).toBeVisible();
  await language.selectOption('de');
  await expect(editor.getByLabel('Text')).toHaveValue('Hallo {{customerName}}, Ihr Code: {{sessionCode}}');
  await editor.getByRole('button', { name: 'Back to the built-in text' }).click();
  await expect(editor.getByLabel('Text')).toHaveValue(builtIn);
  expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  await context.close();
});

test('reports: a real session counted by technician and ticket fields, charted, as CSV', async ({
  browser,
}, info) => {
  test.setTimeout(120_000);
  const { context, page, errors } = await newPage(browser);
  await signInAt(page, broker.url);
  receiver.setFailing(false);
  const created = await broker.api.call<{ displayCode: string }>('POST', '/api/v1/service-cases', {
    recipientName: 'Report Customer',
    assignee: { type: 'me' },
    ticket: ticket('ZD-9'),
  });
  await expect(row(page, 'Report Customer').getByText('Open')).toBeVisible();
  const a = startAssist({
    broker: broker.url,
    code: created.displayCode,
    display: host.display,
    downloadDir: downloads,
  });
  assists.push(a);
  await expect(row(page, 'Report Customer').getByText('Waiting')).toBeVisible({ timeout: 20_000 });
  await row(page, 'Report Customer').getByRole('button', { name: 'Connect' }).click();
  await a.waitFor(/asks to/);
  a.say('allow');
  await expect(page.getByText('Connected to Report Customer')).toBeVisible({ timeout: 30_000 });
  await page.waitForTimeout(2_500);
  await page.locator('.remote-toolbar').getByRole('button', { name: 'End session' }).click();
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await a.stop();

  await admin(page, 'Reports');
  const form = page.getByRole('form', { name: 'Report' });
  await expect(form.getByLabel('Time zone')).toHaveValue('Asia/Tokyo');
  await form.getByRole('button', { name: 'Show report' }).click();
  const report = page.getByTestId('report');
  await expect(report.getByTestId('total-sessions')).toHaveText('1');
  await expect(report.getByTestId('total-duration')).toHaveText(/^0:00:0[2-9]$/);
  await expect(report.getByRole('table', { name: 'By ticket category' })).toContainText('Hardware');
  await expect(report.getByRole('table', { name: 'By priority' })).toContainText('high');
  await expect(report.getByRole('table', { name: 'By technician' })).toContainText('admin');
  // One bar chart per breakdown (technician first, as chosen), one bar each.
  expect(await report.locator('svg rect').count()).toBe(5);
  await page.screenshot({ path: info.outputPath('58-report.png'), fullPage: true });

  await form.getByLabel('Group by').selectOption('day');
  await form.getByRole('button', { name: 'Show report' }).click();
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date());
  await expect(report.getByRole('table', { name: 'By day' })).toContainText(today);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    form.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^beckon-sessions-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv.split('\r\n')[0]).toBe('section,key,label,sessions,total_duration_sec,average_duration_sec');
  expect(csv).toContain('Hardware');

  // A range that ends before it starts: the broker's error sits under "To".
  await form.getByLabel('From').fill('2030-01-10');
  await form.getByLabel('To (inclusive)').fill('2030-01-01');
  await form.getByRole('button', { name: 'Show report' }).click();
  await expect(form.locator('.field.has-error .field-error')).toContainText('must be after from');
  expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  await context.close();
});
