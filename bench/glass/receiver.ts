import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../testing/chromium.ts';
import type { Colour, GlassApi, Seen } from './probe.ts';
import { HEX, H, W, type Eye } from './screen.ts';

// The receivers' Chromium (Debian's, headed on its own Xvfb) and the flip loop
// every path shares: arm the page for the other colour, have eye.py watch the
// square's centre on the receivers' screen, flip the square, and take both
// times: when the page saw the new colour, and when the screen showed it.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function launchReceiver(display: string, flags: string[] = []): Promise<Browser> {
  return chromium.launch({
    headless: false,
    executablePath: CHROMIUM_PATH,
    args: [
      ...CHROMIUM_FLAGS,
      '--window-position=0,0',
      `--window-size=${W},${H + 100}`,
      ...flags,
      ...(process.env['BENCH_RX_FLAGS']?.split(' ').filter(Boolean) ?? []),
    ],
    env: { ...process.env, DISPLAY: display },
  });
}

/** One receiver page (agent or novnc) in a fresh context of the receivers' browser. */
export async function openReceiver(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: W, height: H } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`receiver page: ${e.message}`));
  await page.goto(url);
  // noVNC's modules finish evaluating late (a top-level await probes WebCodecs): wait for the page's API.
  await page.waitForFunction(() => 'glass' in window, undefined, { timeout: 30_000 });
  return page;
}

/** Resolves once the page shows the square (either colour): the stream is up. */
export async function firstPicture(glass: Glass, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await glass.colour()) === 'other') {
    if (Date.now() > until) throw new Error(`no picture of the square within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** One flip as measured: when the host's X server had it, what the page saw, and when the receivers' screen showed it. */
export interface Flip extends Seen {
  flippedAt: number;
  screenAt?: number;
}

/** Glass to glass: to the receivers' screen where there is one (eye.py), else to the receiver's own sighting. */
export const latency = (f: Flip): number => (f.screenAt ?? f.at) - f.flippedAt;
/** To the page's sighting (its animation frame or video-frame callback). */
export const pageLatency = (f: Flip): number => f.at - f.flippedAt;

/** A receiver as the flip loop drives it: a page's `window.glass`, or sightings in this process. */
export interface Glass {
  arm(colour: Colour): Promise<void>;
  result(timeoutMs: number): Promise<Seen>;
  colour(): Promise<Colour>;
  pictures(): Promise<number>;
}

type G = { glass: GlassApi };
export function pageGlass(page: Page): Glass {
  return {
    arm: (c) => page.evaluate((colour) => (window as unknown as G).glass.arm(colour), c),
    result: (ms) => page.evaluate((t) => (window as unknown as G).glass.result(t), ms),
    colour: () => page.evaluate(() => (window as unknown as G).glass.colour()),
    pictures: () => page.evaluate(() => (window as unknown as G).glass.pictures()),
  };
}

export function localGlass(s: GlassApi): Glass {
  return {
    arm: async (c) => s.arm(c),
    result: (ms) => s.result(ms),
    colour: async () => s.colour(),
    pictures: async () => s.pictures(),
  };
}

export async function measure(
  glass: Glass,
  flip: (hex: string) => Promise<number>,
  flips: number,
  eye?: Eye,
): Promise<{ flips: Flip[]; pictures: number; seconds: number }> {
  const out: Flip[] = [];
  const now = await glass.colour();
  if (eye) {
    const where = await eye.locate(now);
    if (process.env['BENCH_DEBUG'])
      console.error("square on the receivers' screen:", where, await eye.dump('/tmp/glass-rx.ppm'));
  }
  let colour: Exclude<Colour, 'other'> = now === 'red' ? 'blue' : 'red';
  const pictures0 = await glass.pictures();
  const t0 = Date.now();
  for (let i = 0; i < flips; i++) {
    await glass.arm(colour);
    const onScreen = eye ? await eye.watch(colour) : undefined;
    const flippedAt = await flip(HEX[colour]);
    const seen = await glass.result(5000);
    out.push({ ...seen, flippedAt, ...(onScreen ? { screenAt: await onScreen.shown } : {}) });
    colour = colour === 'red' ? 'blue' : 'red';
    await sleep(150 + Math.random() * 150);
  }
  return { flips: out, pictures: (await glass.pictures()) - pictures0, seconds: (Date.now() - t0) / 1000 };
}
