// The one Chromium every browser test and benchmark starts, and its flags:
// playwright.config.ts, the tests that launch a browser of their own
// (apps/*/e2e, packages/capture's browser test) and the benches import them
// from here (a plain module: the Playwright config is not a library).

/** Debian's Chromium: Playwright's own download cannot reach its host here. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** No sandbox (tests run as root), no GPU (Xvfb), and nothing that would reach beyond loopback. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `getDisplayMedia` takes the whole screen without showing its picker (the choice a person would make). */
export const CAPTURE_WHOLE_SCREEN = '--auto-select-desktop-capture-source=Entire screen';
