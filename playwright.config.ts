import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './testing/chromium.ts';

// Browser end-to-end tests live in apps/<app>/e2e/. Chromium is Debian's,
// started headed on the Xvfb display scripts/lib/test.sh provides, since real
// screen capture needs a display.
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
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS },
    screenshot: 'only-on-failure',
  },
});
