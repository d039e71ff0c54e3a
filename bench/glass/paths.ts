import type { Browser, Page } from '@playwright/test';
import type { TestBroker } from '@beckon/broker/testing';
import { startBeckonHost, startX11vnc } from './hosts.ts';
import type { Pages } from './pages.ts';
import { SQUARE_CENTRE, Sightings, classify, epochNow } from './probe.ts';
import {
  firstPicture,
  launchReceiver,
  type Glass,
  localGlass,
  measure,
  openReceiver,
  motion,
  pageGlass,
  type Flip,
  type Motion,
} from './receiver.ts';
import type { HostSide } from './net.ts';
import { breakdown, type Breakdown, type Stats } from './report.ts';
import { RfbWatcher } from './rfb-client.ts';
import type { Eye } from './screen.ts';

// The glass bench's paths: each starts its sender on the host's screen and a
// fresh receiver on the receivers' screen, flips the square, and stops both.

export interface PathResult {
  flips: Flip[];
  /** Pictures the receiver looked at per second while flipping. */
  fps: number;
  note: string;
  breakdown: Breakdown;
  /** While the screen moved (after the flips). */
  motion: Motion;
}

/** What every path shares: the screens, the flipper, the pages, the broker. */
export interface Bench {
  hostDisplay: string;
  rxDisplay: string;
  eye: Eye;
  flip(hex: string): Promise<number>;
  pages: Pages;
  broker: TestBroker;
  flips: number;
  /** How long the screen moves for the shown-per-second and freeze figures. */
  motionSeconds: number;
  /** Where the host side runs (loopback, or across the emulated link). */
  side: HostSide;
  debug: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `p`, or an error after `ms`: a receiver that never goes live fails its row instead of holding the run. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} not within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
type On<T> = { glass: T };

async function withReceiver<T>(
  b: Bench,
  flags: string[],
  page: string,
  run: (p: Page) => Promise<T>,
): Promise<T> {
  const browser: Browser = await launchReceiver(b.rxDisplay, flags);
  try {
    const p = await openReceiver(browser, `${b.pages.origin}/${page}`);
    try {
      return await run(p);
    } finally {
      await p.evaluate(() => (window as unknown as On<{ close(): void }>).glass.close()).catch(() => {});
    }
  } finally {
    await browser.close();
  }
}

export interface BeckonPath {
  mode: 'renderer' | 'headless' | 'engine';
  fps: number;
  /** Chromium switches for the receiving Chromium (the sender's come from glass-host.ts). */
  receiverFlags?: string[];
}

/** What a path's run sees once its receiver shows the host's screen. */
export interface Watching {
  glass: Glass;
  /** The receiving page's inbound video counters ({} for noVNC). */
  rxStats(): Promise<Stats>;
  /** The sender's outbound video counters (renderer path; {} otherwise). */
  txStats(): Promise<Stats>;
}

/** Beckon's host on the host screen, watched by the console page, for as long as `run` runs. */
export async function watchBeckon<T>(
  b: Bench,
  path: BeckonPath,
  run: (w: Watching) => Promise<T>,
): Promise<T> {
  const host = await startBeckonHost(path.mode, path.fps, b.hostDisplay, b.broker, b.side);
  try {
    return await withReceiver(b, path.receiverFlags ?? [], 'agent', async (page) => {
      await within(
        page.evaluate(
          (j) => (window as unknown as On<{ start(o: typeof j): Promise<void> }>).glass.start(j),
          host.join,
        ),
        60_000,
        'the session live',
      ).catch(async (err: Error) => {
        // Say where it stopped: the row's note is read long after the run.
        const trail = await page
          .evaluate(() => (window as unknown as On<{ trail(): string[] }>).glass.trail())
          .catch(() => []);
        if (b.debug) console.error(b.broker.output().split('\n').slice(-30).join('\n'));
        throw new Error(`${err.message} (${[...trail.slice(0, 8), '…', ...trail.slice(-6)].join('; ')})`, {
          cause: err,
        });
      });
      const glass = pageGlass(page);
      await firstPicture(glass);
      // Warm up: the encoder starts small and the bandwidth estimate climbs.
      await sleep(3000);
      return run({
        glass,
        rxStats: () =>
          page.evaluate(() => (window as unknown as On<{ stats(): Promise<Stats> }>).glass.stats()),
        txStats: () => host.stats(),
      });
    });
  } finally {
    await host.stop();
  }
}

/** x11vnc on the host screen, watched by noVNC, for as long as `run` runs. */
export async function watchNovnc<T>(
  b: Bench,
  o: { qualityLevel: number; compressionLevel: number },
  run: (w: Watching) => Promise<T>,
): Promise<T> {
  const vnc = await startX11vnc(b.hostDisplay, b.side);
  try {
    return await withReceiver(b, [], 'novnc', async (page) => {
      await within(
        page.evaluate(
          (opts) => (window as unknown as On<{ start(x: typeof opts): Promise<void> }>).glass.start(opts),
          { url: b.pages.vncUrl(vnc.host, vnc.port), ...o },
        ),
        60_000,
        'noVNC connected',
      );
      const glass = pageGlass(page);
      await firstPicture(glass);
      await sleep(1000);
      return run({ glass, rxStats: async () => ({}), txStats: async () => ({}) });
    });
  } finally {
    vnc.proc.kill('SIGTERM');
  }
}

export async function beckon(b: Bench, path: BeckonPath): Promise<PathResult> {
  return watchBeckon(b, path, async ({ glass, rxStats, txStats }) => {
    const host = { stats: txStats };
    const [rx0, tx0] = [await rxStats(), await host.stats()];
    const m = await measure(glass, b.flip, b.flips, b.eye);
    const [rx1, tx1] = [await rxStats(), await host.stats()];
    const moved = await motion(glass, b.flip, b.motionSeconds);
    if (b.debug) console.error(JSON.stringify({ rx0, rx1, tx0, tx1, flips: m.flips }, null, 1));
    return {
      flips: m.flips,
      fps: m.pictures / m.seconds,
      note: `${String(rx1['codec'] ?? '')} ${String(rx1['frameWidth'] ?? tx1['frameWidth'] ?? '')}w`,
      breakdown: breakdown(m.flips, [rx0, rx1], path.mode === 'renderer' ? [tx0, tx1] : null),
      motion: moved,
    };
  });
}

export async function novnc(b: Bench, qualityLevel: number, compressionLevel: number): Promise<PathResult> {
  return watchNovnc(b, { qualityLevel, compressionLevel }, async ({ glass }) => {
    const m = await measure(glass, b.flip, b.flips, b.eye);
    const moved = await motion(glass, b.flip, b.motionSeconds);
    return {
      flips: m.flips,
      fps: m.pictures / m.seconds,
      motion: moved,
      note: `qualityLevel ${qualityLevel}, compressionLevel ${compressionLevel}, unscaled`,
      breakdown: breakdown(m.flips, null, null),
    };
  });
}

/** x11vnc to a Node RFB client: no browser, no screen, the time its own socket saw the pixel. */
export async function rawRfb(b: Bench): Promise<PathResult> {
  const vnc = await startX11vnc(b.hostDisplay, b.side);
  const seen = new Sightings();
  const client = new RfbWatcher(vnc.host, vnc.port, SQUARE_CENTRE, ([r, g, bl]) =>
    seen.see(classify(r, g, bl), { at: epochNow() }),
  );
  try {
    await client.ready;
    const glass = localGlass(seen);
    await firstPicture(glass);
    await sleep(1000);
    const m = await measure(glass, b.flip, b.flips);
    const moved = await motion(glass, b.flip, b.motionSeconds);
    return {
      flips: m.flips,
      motion: moved,
      fps: m.pictures / m.seconds,
      note: 'raw encoding; pictures/s counts updates, sent only on change',
      breakdown: breakdown(m.flips, null, null),
    };
  } finally {
    client.close();
    vnc.proc.kill('SIGTERM');
  }
}
