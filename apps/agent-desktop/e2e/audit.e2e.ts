import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ADMIN, startBroker, type TestBroker } from '@beckon/broker/testing';
import { newPage, signIn } from './console-helpers.ts';

// The Audit page against a real broker: acts done in the console
// and over the API appear, filters narrow the list, and the CSV export holds
// the same entries with the chain's hashes. Then the security alarm: a spent
// budget of code guesses is a banner for the signed-in administrator.
let broker: TestBroker;
test.beforeAll(async () => {
  broker = await startBroker();
});
test.afterAll(async () => {
  await broker?.stop();
});

test('acts are listed on the Audit page, filtered by action, and exported as CSV', async ({
  browser,
}, info) => {
  const failed = await fetch(`${broker.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN.email, password: 'not the password' }),
  });
  expect(failed.status).toBe(401);
  await broker.api.call('POST', '/api/v1/queues', { name: 'Second level' });
  await broker.api.call('POST', '/api/v1/api-tokens', { name: 'SIEM export', scopes: ['audit:read'] });

  const { page, errors } = await newPage(browser);
  await signIn(page, broker.url);
  await page.getByRole('link', { name: 'Administration' }).click();
  await page
    .getByRole('navigation', { name: 'Administration' })
    .getByRole('link', { name: 'Audit log' })
    .click();
  const table = page.getByRole('table', { name: 'Audit log' });
  // Newest first: the console's own sign-in is on top.
  await expect(table.getByRole('row').nth(1)).toContainText('Signed in');
  await expect(table).toContainText('Sign-in failed');
  await expect(table).toContainText('Queue created');
  await expect(table).toContainText('API token created');
  await expect(table).toContainText('name: SIEM export');
  await page.screenshot({ path: info.outputPath('80-audit-log.png') });

  const form = page.getByRole('form', { name: 'Audit log filters' });
  await form.getByLabel('Action').selectOption({ label: 'Queue created' });
  await form.getByRole('button', { name: 'Show' }).click();
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table).toContainText('Second level');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    form.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^beckon-audit-\d{4}-\d\d-\d\d\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8').split('\r\n');
  expect(csv[0]).toBe(
    'seq,at,action,actor_type,actor_id,actor_name,target_type,target_id,ip,details,prev_hash,hash',
  );
  expect(csv.filter(Boolean)).toHaveLength(2);
  expect(csv[1]).toContain('queue.created');
  expect(csv[1]).toMatch(/,[0-9a-f]{64},[0-9a-f]{64}$/);
  expect(errors).toEqual([]);
});

test('a spent budget of code guesses is an alarm banner for the administrator, in the console', async ({
  browser,
}, info) => {
  // Its own broker: a budget of three wrong codes, so four guesses spend it.
  const guarded = await startBroker({ BECKON_JOIN_MISS_BUDGET: '3' });
  try {
    const { page, errors } = await newPage(browser);
    await signIn(page, guarded.url);
    await expect(page.getByRole('alert')).toHaveCount(0);
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${guarded.url}/api/v1/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: `s1000000${i}` }),
      });
      expect(res.status).toBe(404);
    }
    const banner = page.getByRole('alert').filter({ hasText: 'session codes are being guessed' });
    await expect(banner).toBeVisible();
    await page.screenshot({ path: info.outputPath('81-join-guessing-alarm.png') });
    await banner.getByRole('button', { name: 'Dismiss' }).click();
    await expect(banner).toHaveCount(0);
    // Opened again while the attack lasts, the console is told at once, in the chosen language.
    await page.reload();
    await page.getByLabel('Language', { exact: true }).selectOption('de');
    await expect(page.getByRole('alert').filter({ hasText: 'Sitzungscodes werden' })).toBeVisible();
    expect(errors).toEqual([]);
  } finally {
    await guarded.stop();
  }
});
