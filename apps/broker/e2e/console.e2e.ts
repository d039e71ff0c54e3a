import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { startBroker, type TestBroker } from '../src/testing/index.ts';

// The broker serves the agent desktop's renderer as the web console. This
// runs the real broker process and the built bundle in Debian Chromium.
let broker: TestBroker;
let url: string;

test.beforeAll(async () => {
  // No administrator yet: the console shows its sign-in as on a fresh install.
  broker = await startBroker({}, { admin: false });
  url = broker.url;
});

test.afterAll(async () => {
  await broker?.stop();
});

test('the web console loads from the broker and degrades to the browser shell', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${url}/`);
  await expect(page).toHaveURL(/\/console\/$/);
  await expect(page.getByRole('heading', { name: 'Beckon' })).toBeVisible();
  await expect(page.getByText('Web console')).toBeVisible();
  await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible();
  await page.screenshot({ path: join(import.meta.dirname, '../../../.tools/test-results/console.png') });
  expect(errors).toEqual([]);
});
