import { expect, test } from '@playwright/test';
import { ADMIN, startBroker, type TestBroker } from '@beckon/broker/testing';
import { newPage, row, rows, signIn as signInAt, wallIn } from './console-helpers.ts';

// The agent console (the agent desktop's renderer) served by a real broker
// process and driven in Debian Chromium: sign-in, both create dialogs, live
// updates, filters, escaping, languages, admin pages and a 10,000-row list.
test.describe.configure({ mode: 'serial' });

let broker: TestBroker;

test.beforeAll(async () => {
  broker = await startBroker();
});

const signIn = (page: Parameters<typeof signInAt>[0]) => signInAt(page, broker.url);

test.afterAll(async () => {
  await broker?.stop();
});

test('signs in, survives a reload, signs out', async ({ browser }, info) => {
  const { context, page, errors } = await newPage(browser);
  await page.goto(`${broker.url}/console/`);
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Email').fill(ADMIN.email);
  await form.getByLabel('Password').fill('wrong password!');
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(form.getByRole('alert')).toHaveText('Wrong email or password.');
  await signIn(page);
  await expect(page.getByText(`Signed in as`)).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Session requests' })).toBeVisible();
  await page.screenshot({ path: info.outputPath('signed-in.png') });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible();
  // The rejected sign-in is the only console error (Chromium logs the 401).
  expect(errors.filter((e) => !/401/.test(e))).toEqual([]);
  await context.close();
});

test('creates requests with both dialogs; problems show next to their fields', async ({ browser }, info) => {
  const { context, page, errors } = await newPage(browser);
  await signIn(page);

  // SR1, quick request: the schema refuses an invite without an address before sending.
  await page.getByRole('button', { name: 'Quick request' }).click();
  const quick = page.getByRole('dialog', { name: 'Quick request' });
  await quick.getByLabel('Recipient name').fill('Alice Quick');
  await quick.getByLabel('Send invite email').check();
  await quick.getByRole('button', { name: 'Create' }).click();
  await expect(quick.locator('.field:has(input[name=recipientEmail]) .field-error')).toContainText('invite');
  await quick.getByLabel('Send invite email').uncheck();
  await quick.getByLabel('Comment (optional)').fill('Printer does not print');
  await quick.getByRole('button', { name: 'Create' }).click();
  await expect(quick).toBeHidden();
  await expect(row(page, 'Alice Quick').getByText('Open')).toBeVisible();

  // SR2, scheduled request: the broker refuses an expiry beyond 30 days; its error sits under Expiry.
  await page.getByRole('button', { name: 'Scheduled request' }).click();
  const scheduled = page.getByRole('dialog', { name: 'Scheduled request' });
  await scheduled.getByLabel('User name').fill('Bob Scheduled');
  await scheduled.getByLabel('User email').fill('bob@example.com');
  await scheduled.getByLabel('Email language').selectOption('de');
  await scheduled.getByLabel('Schedule (optional)').fill(wallIn(48));
  await scheduled.getByLabel('Expiry (optional)').fill(wallIn(24 * 40));
  await scheduled.getByRole('button', { name: 'Create' }).click();
  const expiryError = scheduled.locator('.field:has(input[name=expiresAt]) .field-error');
  await expect(expiryError).toContainText('30 days');
  await page.screenshot({ path: info.outputPath('server-field-error.png') });
  await scheduled.getByLabel('Expiry (optional)').fill(wallIn(72));
  await scheduled.getByRole('button', { name: 'Create' }).click();
  await expect(scheduled).toBeHidden();

  // Unassigned: not "mine", but in "all", with the schedule shown in the agent's zone.
  await expect(row(page, 'Bob Scheduled')).toHaveCount(0);
  await page.getByLabel('Show').selectOption('all');
  const bob = row(page, 'Bob Scheduled');
  await expect(bob.getByText('Open')).toBeVisible();
  await expect(bob.getByText('Unassigned')).toBeVisible();
  const hhmm = wallIn(48).slice(11, 16);
  await expect(bob.getByRole('cell').nth(4)).toContainText(hhmm);
  await page.screenshot({ path: info.outputPath('created.png') });
  // Chromium logs the refused expiry's 400; nothing else may fail.
  expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  await context.close();
});

test('a change made elsewhere updates the row live, without a reload', async ({ browser }, info) => {
  const { context, page, errors } = await newPage(browser);
  await signIn(page);
  const created = await broker.api.createRequest({ recipientName: 'Carol Live' });
  // Arrives through the live channel: nothing reloads the list.
  await expect(row(page, 'Carol Live').getByText('Open')).toBeVisible();
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  await broker.api.close(created.id);
  await expect(row(page, 'Carol Live').getByText('Closed')).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  const connect = row(page, 'Carol Live').getByRole('button', { name: 'Connect' });
  await expect(connect).toBeDisabled();
  await page.screenshot({ path: info.outputPath('live-update.png') });
  expect(errors).toEqual([]);
  await context.close();
});

test('filters and search narrow the list on the server', async ({ browser }) => {
  const { context, page, errors } = await newPage(browser);
  await signIn(page);
  await page.getByLabel('Show').selectOption('all');
  await expect(row(page, 'Alice Quick')).toHaveCount(1);

  await page.getByRole('group', { name: 'Status' }).getByLabel('Closed').check();
  await expect(row(page, 'Carol Live')).toHaveCount(1);
  await expect(row(page, 'Alice Quick')).toHaveCount(0);
  await page.getByRole('group', { name: 'Status' }).getByLabel('Closed').uncheck();

  await page.getByLabel('Time').selectOption('upcoming');
  await expect(row(page, 'Bob Scheduled')).toHaveCount(1);
  await expect(row(page, 'Alice Quick')).toHaveCount(0);
  await page.getByLabel('Time').selectOption('past');
  await expect(row(page, 'Alice Quick')).toHaveCount(1);
  await expect(row(page, 'Bob Scheduled')).toHaveCount(0);
  await page.getByLabel('Time').selectOption('all');

  await page.getByLabel('Search').fill('printer');
  await expect(rows(page)).toHaveCount(2); // header + Alice (matched by her comment)
  await expect(row(page, 'Alice Quick')).toHaveCount(1);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByLabel('Show')).toHaveValue('mine');
  expect(errors).toEqual([]);
  await context.close();
});

test('markup in a name is shown as text and never runs', async ({ browser }, info) => {
  const { context, page, errors, dialogs } = await newPage(browser);
  await signIn(page);
  const evil = '<img src=x onerror=alert(1)>';
  await page.getByRole('button', { name: 'Quick request' }).click();
  const quick = page.getByRole('dialog', { name: 'Quick request' });
  await quick.getByLabel('Recipient name').fill(evil);
  await quick.getByRole('button', { name: 'Create' }).click();
  await expect(row(page, evil)).toHaveCount(1);
  await row(page, evil).getByRole('link').click();
  await expect(page.getByRole('heading', { name: `Session request for ${evil}` })).toBeVisible();
  await page.goBack();
  await expect(row(page, evil)).toHaveCount(1);
  expect(await page.locator('img').count()).toBe(0);
  await page.screenshot({ path: info.outputPath('escaped.png') });
  expect(dialogs).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});

test('the detail view shows links, actions and the history', async ({ browser }, info) => {
  const { context, page, errors } = await newPage(browser);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: broker.url });
  await signIn(page);
  await page.getByLabel('Show').selectOption('all');
  await row(page, 'Bob Scheduled').getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'Session request for Bob Scheduled' })).toBeVisible();
  const history = page.getByRole('table').filter({ hasText: 'When' });
  await expect(history.getByRole('cell', { name: 'Created', exact: true })).toBeVisible();
  await expect(history.getByRole('cell', { name: 'Invite queued' })).toBeVisible();
  await page.getByRole('button', { name: 'Copy code' }).click();
  const code = await page.evaluate(() => navigator.clipboard.readText());
  expect(code).toMatch(/^s\d{2}-\d{3}-\d{3}$/);
  await expect(page.getByText(`Copied: ${code}`)).toBeVisible();
  await page.getByRole('button', { name: 'Resend invite' }).click();
  await expect(page.getByText('The invite to bob@example.com is queued.')).toBeVisible();
  await expect(history.getByRole('cell', { name: 'Invite queued' })).toHaveCount(2);
  await page.screenshot({ path: info.outputPath('detail.png') });
  await page.getByRole('button', { name: 'Close request' }).click();
  await page
    .getByRole('group', { name: /Close the session request/ })
    .getByRole('button', { name: 'Close request' })
    .click();
  await expect(page.locator('.detail-header').getByText('Closed')).toBeVisible();
  await expect(history.getByRole('cell', { name: 'Open → Closed' })).toBeVisible();
  expect(errors).toEqual([]);
  await context.close();
});

test('the language can be switched and stays chosen', async ({ browser }, info) => {
  const { context, page, errors } = await newPage(browser);
  await signIn(page);
  await page.getByLabel('Language').first().selectOption('de');
  await expect(page.getByRole('heading', { name: 'Sitzungsanfragen' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Schnellanfrage' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sitzungsanfragen' })).toBeVisible();
  await page.getByLabel('Sprache').first().selectOption('ja');
  await expect(page.getByRole('heading', { name: 'セッションリクエスト' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await page.screenshot({ path: info.outputPath('japanese.png') });
  await page.getByLabel('言語').first().selectOption('ko');
  await expect(page.getByRole('heading', { name: '세션 요청' })).toBeVisible();
  await page.getByLabel('언어').first().selectOption('en');
  await expect(page.getByRole('heading', { name: 'Session requests' })).toBeVisible();
  expect(errors).toEqual([]);
  await context.close();
});

test('administrators manage users and queues and see devices and the outbox', async ({ browser }, info) => {
  const { context, page, errors } = await newPage(browser);
  await signIn(page);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Name').fill('Front desk PC');
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  await expect(page.getByText('Created Front desk PC.')).toBeVisible();

  await page.getByRole('link', { name: 'Administration' }).click();
  const users = page.getByRole('table', { name: 'Users' });
  await expect(users.getByRole('cell', { name: ADMIN.email })).toBeVisible();
  const add = page.getByRole('form', { name: 'Add a user' });
  await add.getByLabel('Email').fill('dora@example.com');
  await add.getByLabel('Name').fill('Dora Agent');
  await add.getByLabel(/Initial password/).fill('short');
  await add.getByRole('button', { name: 'Create user' }).click();
  await expect(add.locator('.field-error')).toContainText('12');
  await add.getByLabel(/Initial password/).fill('a long enough password');
  await add.getByRole('button', { name: 'Create user' }).click();
  await expect(users.getByRole('cell', { name: 'dora@example.com' })).toBeVisible();

  await page.getByRole('link', { name: 'Queues' }).click();
  const newQueue = page.getByRole('form', { name: 'Add a queue' });
  await newQueue.getByLabel('Name').fill('Billing');
  await newQueue.getByLabel('Dora Agent').check();
  await newQueue.getByRole('button', { name: 'Create queue' }).click();
  await expect(
    page.getByRole('table', { name: 'Queues' }).getByRole('cell', { name: 'Billing' }),
  ).toBeVisible();

  await page.getByRole('link', { name: 'Agent devices' }).click();
  await expect(
    page.getByRole('table', { name: 'Agent devices' }).getByRole('cell', { name: 'Front desk PC' }),
  ).toBeVisible();
  await page.getByRole('link', { name: 'Mail outbox' }).click();
  const outbox = page.getByRole('table', { name: 'Mail outbox' });
  await expect(outbox.getByRole('cell', { name: 'bob@example.com' }).first()).toBeVisible();
  await page.screenshot({ path: info.outputPath('outbox.png') });

  // The new queue is offered at once for filtering and assigning.
  await page.getByRole('link', { name: 'Session requests' }).click();
  await page.getByLabel('Show').selectOption('queue');
  await expect(page.getByLabel('Queue', { exact: true })).toHaveValue(/[0-9a-f-]{36}/);
  expect(errors).toEqual([]);
  await context.close();
});

test('10,000 requests stay scrollable with only the visible rows in the page', async ({ browser }, info) => {
  test.setTimeout(300_000);
  const seeded = await broker.api.seed(10_000);
  info.annotations.push({ type: 'seed', description: `10,000 requests created in ${seeded} ms` });
  const { context, page, errors } = await newPage(browser);
  await signIn(page);
  const scroll = page.getByTestId('request-scroll');
  const count = page.getByTestId('list-count');
  await expect(count).toHaveText(/^200 loaded, more below$/);
  // Scrolling to the end loads the next page (cursor pagination) until none is left.
  for (let i = 0; i < 80; i++) {
    if (/^[\d,]+ loaded$/.test((await count.textContent()) ?? '')) break;
    const before = await count.textContent();
    await scroll.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(count).not.toHaveText(before ?? '', { timeout: 15_000 });
  }
  await expect(count).toHaveText(/^10,0\d\d loaded$/);
  const rendered = await rows(page).count();
  expect(rendered).toBeLessThan(60);
  await expect(rows(page).last()).toBeVisible();
  await scroll.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  await expect(rows(page).filter({ hasText: 'Bulk ' }).first()).toBeVisible();
  await page.screenshot({ path: info.outputPath('ten-thousand.png') });
  expect(errors).toEqual([]);
  await context.close();
});
