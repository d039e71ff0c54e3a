import { defineConfig } from '@playwright/test';

// Browser end-to-end tests live in apps/<app>/e2e/. Chromium is Debian's
// (Playwright's own download cannot reach its host here), started headed on
// the Xvfb display scripts/lib/test.sh provides, since real screen capture
// needs a display.
export const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: '.',
  testMatch: ['apps/*/e2e/**/*.e2e.ts', 'packages/*/e2e/**/*.e2e.ts'],
  fullyParallel: false,
  workers: 1,
  timeout: 120_000,
  reporter: [['list']],
  outputDir: '.tools/test-results',
  use: {
    headless: !process.env.DISPLAY,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumFlags },
    screenshot: 'only-on-failure',
  },
});
