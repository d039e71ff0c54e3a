import { expect, test } from '@playwright/test';
import { startBroker, type RunningBroker } from './broker-process.ts';
import { newPage, signIn } from './console-helpers.ts';

// The console's ad-hoc support page against a real broker process: without a
// seat the refusal names the limit; with one the session is created, its
// predefined password shown once (gone after a reload, never in the list),
// a second one for the same provider is refused, and End ends it. Then the
// page in German, Japanese and Korean.
test.describe.configure({ mode: 'serial' });

let broker: RunningBroker;
test.beforeAll(async () => {
  broker = await startBroker();
});
test.afterAll(async () => {
  await broker?.stop();
});

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
