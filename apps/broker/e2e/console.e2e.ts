import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The broker serves the agent desktop's renderer as the web console. This
// runs the real broker process and the built bundle in Debian Chromium.
let broker: ChildProcess;
let url: string;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'beckon-e2e-'));
  broker = spawn(process.execPath, [join(import.meta.dirname, '../bin/beckon-broker.js'), 'serve'], {
    env: { ...process.env, BECKON_DATA_DIR: dataDir, BECKON_PORT: '0', BECKON_LOG_LEVEL: 'warn' },
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
});

test.afterAll(() => {
  broker.kill();
  rmSync(dataDir, { recursive: true, force: true });
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
