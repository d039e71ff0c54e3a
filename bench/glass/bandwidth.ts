import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { startBroker } from '@beckon/broker/testing';
import { fmt, printTable } from '../lib/table.ts';
import { CONDITIONS, ROOT_ADDR, hostSide, startWire } from './net.ts';
import { servePages } from './pages.ts';
import { watchBeckon, watchNovnc, type Bench, type Watching } from './paths.ts';
import { H, W, lines, startEye, startFlipper, startXvfb } from './screen.ts';

// bench/glass's bandwidth bench: what each path sends while a person works
// on the host's screen, and while the screen sits still. office.py puts an
// editor and a long page on the host screen; xdotool types into the editor,
// scrolls the page with the wheel and moves the editor around, a third of
// BENCH_OFFICE_S each (60 s by default, the same script for every path).
// The bytes are counted on the emulated link (wire.py, office LAN: no rate
// limit, so nothing caps what a sender would send): whole IP packets from
// the host side to the receivers, so x11vnc's RFB-over-TCP and Beckon's
// SRTP-over-UDP are counted the same way. Usage (as root):
//   node bench/glass/bandwidth.ts

const OFFICE_S = Number(process.env['BENCH_OFFICE_S'] ?? 60);
const IDLE_S = Number(process.env['BENCH_IDLE_S'] ?? 15);
const TARGET_KBPS = 100;
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const wire = await startWire();
await wire.set(CONDITIONS['lan']!);
const hostScreen = await startXvfb(W, H);
const rxScreen = await startXvfb(W, H + 100);
const eye = await startEye(rxScreen.display, W, H + 100);
const flipper = await startFlipper(hostScreen.display);
const pages = await servePages();
const broker = await startBroker({ BECKON_ALLOWED_ORIGINS: pages.origin, BECKON_HOST: ROOT_ADDR });
const office = spawn('python3', ['-u', `${import.meta.dirname}/office.py`], {
  env: { ...process.env, DISPLAY: hostScreen.display },
  stdio: ['pipe', 'pipe', 'inherit'],
});
const ids = JSON.parse(((await lines(office).next()).value as string) ?? '{}') as {
  editor: number;
  page: number;
};
const bench: Bench = {
  hostDisplay: hostScreen.display,
  rxDisplay: rxScreen.display,
  eye,
  flip: flipper.flip,
  pages,
  broker,
  flips: 0,
  motionSeconds: 0,
  side: hostSide(CONDITIONS['lan']!, wire, broker.url),
  debug: false,
};

const xdo = (...args: string[]) =>
  run('xdotool', args, { env: { ...process.env, DISPLAY: hostScreen.display } });
const TEXT =
  'Hello, this is the support desk. I can see your screen now. Please open the settings page and ' +
  'tell me what the message says. Thanks, the printer driver needs an update; I will do it for you. ';

/** The scripted office work, `seconds` long: typing, scrolling, moving a window. */
async function officeWork(seconds: number): Promise<void> {
  const third = (seconds * 1000) / 3;
  let end = Date.now() + third;
  await xdo('mousemove', '600', '150');
  for (let i = 0; Date.now() < end; i++) {
    // About 8 characters a second, a quick typist's pace.
    const chunk = TEXT.slice((i * 16) % TEXT.length, ((i * 16) % TEXT.length) + 16);
    await xdo('type', '--delay', '120', chunk);
  }
  end = Date.now() + third;
  await xdo('mousemove', '600', '500');
  while (Date.now() < end) {
    await xdo('click', '5');
    await sleep(250);
  }
  end = Date.now() + third;
  for (let i = 0; Date.now() < end; i++) {
    const a = (i / 40) * 2 * Math.PI;
    await xdo(
      'windowmove',
      String(ids.editor),
      String(Math.round(340 + 200 * Math.cos(a))),
      String(Math.round(40 + 150 * Math.sin(a))),
    );
    await sleep(50);
  }
  await xdo('windowmove', String(ids.editor), '340', '40');
}

interface Cost {
  officeBps: number;
  idleBps: number;
}

async function cost(w: Watching): Promise<Cost> {
  void w;
  // Settle: what the connection's start sent is not the work's.
  await sleep(2000);
  const a = await wire.bytes();
  await officeWork(OFFICE_S);
  const b = await wire.bytes();
  await sleep(3000);
  const c = await wire.bytes();
  await sleep(IDLE_S * 1000);
  const d = await wire.bytes();
  return { officeBps: (b.up - a.up) / OFFICE_S, idleBps: (d.up - c.up) / IDLE_S };
}

const results: [string, Cost | Error][] = [];
/** Only the paths whose name contains one of these (comma-separated). */
const ONLY = process.env['BENCH_PATHS']?.split(',');
const attempt = async (name: string, f: () => Promise<Cost>) => {
  if (ONLY && !ONLY.some((o) => name.includes(o))) return;
  console.error(new Date().toISOString(), name);
  results.push([name, await f().catch((err: Error) => err)]);
};
await attempt('x11vnc tuned → noVNC (Chromium)', () =>
  watchNovnc(bench, { qualityLevel: 6, compressionLevel: 2 }, cost),
);
await attempt('Beckon headless, 30 fps → web console', () =>
  watchBeckon(bench, { mode: 'headless', fps: 30 }, cost),
);
await attempt('Beckon assist client, engine in main (X11), 30 fps → web console', () =>
  watchBeckon(bench, { mode: 'engine', fps: 30 }, cost),
);
await attempt('Beckon assist client, renderer path (Chromium capture), 60 fps → web console', () =>
  watchBeckon(bench, { mode: 'renderer', fps: 60 }, cost),
);

const kb = (bps: number) => fmt(bps / 1000);
printTable(
  `Bandwidth, host → viewer, whole IP packets on the link (office LAN), ${W}x${H}: ` +
    `${OFFICE_S} s of office work (typing, scrolling, moving a window), then ${IDLE_S} s of a still screen`,
  ['path', 'office KB/s', 'idle KB/s', `office ≤ ${TARGET_KBPS} KB/s`],
  results.map(([name, r]) =>
    r instanceof Error
      ? [name, '-', '-', `failed: ${r.message.split('\n')[0]!}`]
      : [name, kb(r.officeBps), kb(r.idleBps), r.officeBps / 1000 <= TARGET_KBPS ? 'met' : 'NOT met'],
  ),
);

office.kill();
await pages.close();
await broker.stop();
for (const proc of [flipper.proc, eye.proc, hostScreen.proc, rxScreen.proc]) proc.kill();
wire.stop();
process.exit(0);
