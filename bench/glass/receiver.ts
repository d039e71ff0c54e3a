import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../testing/chromium.ts';
import type { Colour, GlassApi, Seen } from './probe.ts';
import { HEX, H, W, type Eye } from './screen.ts';

// The receivers' Chromium (Debian's, headed on its own Xvfb) and the flip loop
// every path shares: arm the page for the other colour, have eye.py watch the
// square's centre on the receivers' screen, flip the square, and take both
// times: when the page saw the new colour, and when the screen showed it.

// Real local addresses in ICE, not mDNS names: across the emulated link
// (point to point, no multicast) the host's Chromium could not resolve
// them. Over a real network STUN's server-reflexive candidates do this.
export const BENCH_FLAGS = [...CHROMIUM_FLAGS, '--disable-features=WebRtcHideLocalIpsWithMdns'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function launchReceiver(display: string, flags: string[] = []): Promise<Browser> {
  return chromium.launch({
    headless: false,
    executablePath: CHROMIUM_PATH,
    args: [
      ...BENCH_FLAGS,
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
  changes(since: number): Promise<number[]>;
}

type G = { glass: GlassApi };
export function pageGlass(page: Page): Glass {
  return {
    arm: (c) => page.evaluate((colour) => (window as unknown as G).glass.arm(colour), c),
    result: (ms) => page.evaluate((t) => (window as unknown as G).glass.result(t), ms),
    colour: () => page.evaluate(() => (window as unknown as G).glass.colour()),
    pictures: () => page.evaluate(() => (window as unknown as G).glass.pictures()),
    changes: (since) => page.evaluate((t) => (window as unknown as G).glass.changes(t), since),
  };
}

export function localGlass(s: GlassApi): Glass {
  return {
    arm: async (c) => s.arm(c),
    result: (ms) => s.result(ms),
    colour: async () => s.colour(),
    pictures: async () => s.pictures(),
    changes: async (since) => s.changes(since),
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
    // Awaited below once the page saw the flip; if the page never does, the path fails on that instead.
    onScreen?.shown.catch(() => {});
    const flippedAt = await flip(HEX[colour]);
    const seen = await glass.result(5000);
    out.push({ ...seen, flippedAt, ...(onScreen ? { screenAt: await onScreen.shown } : {}) });
    colour = colour === 'red' ? 'blue' : 'red';
    await sleep(150 + Math.random() * 150);
  }
  return { flips: out, pictures: (await glass.pictures()) - pictures0, seconds: (Date.now() - t0) / 1000 };
}

/** While the screen moves: new pictures the receiver showed per second, and the longest gap between two. */
export interface Motion {
  shownPerSecond: number;
  longestGapMs: number;
}

/**
 * Moves the picture for `seconds`: the square cycles red → green → blue at
 * `hz` (three colours, so a receiver that skips a picture still shows a
 * change, and a picture shown twice does not count twice), then counts the
 * colour changes the receiver showed, and the longest time without one
 * (the span's ends included: a receiver that stops showing anything scores
 * the whole span). Ends on red.
 */
export async function motion(
  glass: Glass,
  flip: (hex: string) => Promise<number>,
  seconds: number,
  hz = 30,
): Promise<Motion> {
  const cycle = [HEX.red, HEX.green, HEX.blue];
  const t0 = await flip(cycle[0]!);
  const end = t0 + seconds * 1000;
  for (let i = 1; Date.now() < end; i++) {
    await flip(cycle[i % 3]!);
    await sleep(Math.max(0, t0 + ((i + 1) * 1000) / hz - Date.now()));
  }
  // What was in flight when the moving stopped: a late picture still counts, the gap ends at `end`.
  await sleep(1000);
  const shown = (await glass.changes(t0)).filter((t) => t <= end + 1000);
  await flip(HEX.red);
  let longest = 0;
  let last = t0;
  for (const t of shown) {
    longest = Math.max(longest, t - last);
    last = t;
  }
  longest = Math.max(longest, end - last);
  return { shownPerSecond: shown.filter((t) => t <= end).length / seconds, longestGapMs: longest };
}
