import { CHROMIUM_SWITCHES, chromiumFlags } from '@beckon/session';
import { startBroker } from '@beckon/broker/testing';
import { fmt, printTable } from '../lib/table.ts';
import { CONDITIONS, ROOT_ADDR, hostSide, startWire, type Condition, type Wire } from './net.ts';
import { servePages } from './pages.ts';
import { beckon, novnc, rawRfb, type Bench, type PathResult } from './paths.ts';
import { pageLatency } from './receiver.ts';
import { pct } from './report.ts';
import { BREAKDOWN_HEADER, breakdownRow } from './report.ts';
import { figures, targetLines } from './targets.ts';
import { H, SQUARE, W, startEye, startFlipper, startXvfb } from './screen.ts';

// bench/glass: glass-to-glass latency at 1280x720. A 200x200 square flips
// between red and blue on a private Xvfb screen (flipper.py answers with the
// time the X server had the new colour). Every receiver is Chromium on a
// second Xvfb screen, and eye.py times the flip where a person would see it:
// the pixel at the square's centre on that screen. In the same run, on the
// same host screen:
// - x11vnc tuned as the issue names (-wait 5 -defer 5 -nonap) into the real
//   noVNC (1.7) in Chromium, through a WebSocket bridge as websockify carries it;
// - Beckon, assist client on X11: main's modules in Node with the engine as
//   their media (X11 grab → I420 → wrtc in main; glass-host.ts);
// - Beckon, assist renderer path (its media on Windows, macOS, Wayland): the
//   built renderer in Debian Chromium (getDisplayMedia + WebRTC), main's
//   modules in Node;
// - Beckon, headless engine: X11 grab → I420 → wrtc;
//   all into the console's engine (AgentSession) in Chromium, into a <video>;
//   the renderer path's Chromium runs with the switches the assist client's
//   Electron main sets, and the headless engine is watched twice: by the
//   agent desktop (Chromium with its Electron main's switches) and by the web
//   console in a plain browser (no switches: a page cannot set them);
// - x11vnc read by a bare Node RFB client: the floor with no browser at all.
// Each path runs under each network condition (BENCH_NETS, net.ts): on
// loopback, or with the host side (the Beckon host process, x11vnc) in a
// network namespace behind an emulated link (wire.py). After the flips, the
// square cycles through three colours at 30 Hz for BENCH_MOTION_S seconds:
// the new pictures each receiver showed per second, and its longest gap.

const FLIPS = Number(process.env['BENCH_FLIPS'] ?? 60);
const MOTION_S = Number(process.env['BENCH_MOTION_S'] ?? 5);
/** The senders' frame rates: each media's default (the window's 60, the engine's 30). */
const RENDERER_FPS = Number(process.env['BENCH_RENDERER_FPS'] ?? 60);
const HEADLESS_FPS = Number(process.env['BENCH_HEADLESS_FPS'] ?? 30);
/** noVNC's qualityLevel/compressionLevel (its defaults: others measured no faster). */
const [QUALITY, COMPRESSION] = (process.env['BENCH_NOVNC'] ?? '6/2').split('/').map(Number) as [
  number,
  number,
];
/** Only the paths whose name contains one of these (comma-separated), e.g. `noVNC,renderer`. */
const ONLY = process.env['BENCH_PATHS']?.split(',');
/** The network conditions, in order (net.ts's names). */
const NETS = (process.env['BENCH_NETS'] ?? 'loopback,lan,broadband,mobile').split(',');
const conditions: Condition[] = NETS.map((n) => {
  const c = CONDITIONS[n];
  if (!c) throw new Error(`unknown condition ${n}: one of ${Object.keys(CONDITIONS).join(', ')}`);
  return c;
});

const wire: Wire | null = NETS.some((n) => n !== 'loopback') ? await startWire() : null;
const hostScreen = await startXvfb(W, H);
const rxScreen = await startXvfb(W, H + 100);
const eye = await startEye(rxScreen.display, W, H + 100);
const flipper = await startFlipper(hostScreen.display);
const pages = await servePages();
// Across a wire the host side reaches the broker at the link's near end.
const broker = await startBroker({
  BECKON_ALLOWED_ORIGINS: pages.origin,
  ...(wire ? { BECKON_HOST: ROOT_ADDR } : {}),
});
/** What the agent desktop's Electron main sets for its Chromium (the console's renderer). */
const desktopConsole = chromiumFlags(CHROMIUM_SWITCHES.agent);

const PEER = 'x11vnc tuned → noVNC (Chromium)';
const paths: [string, (b: Bench) => Promise<PathResult>][] = [
  [PEER, (b) => novnc(b, QUALITY, COMPRESSION)],
  [
    `Beckon assist client, engine in main (X11), ${HEADLESS_FPS} fps → web console`,
    (b) => beckon(b, { mode: 'engine', fps: HEADLESS_FPS }),
  ],
  [
    `Beckon assist client, renderer path (Chromium capture), ${RENDERER_FPS} fps → web console`,
    (b) => beckon(b, { mode: 'renderer', fps: RENDERER_FPS }),
  ],
  [
    `Beckon headless, ${HEADLESS_FPS} fps → agent desktop console`,
    (b) => beckon(b, { mode: 'headless', fps: HEADLESS_FPS, receiverFlags: desktopConsole }),
  ],
  [
    `Beckon headless, ${HEADLESS_FPS} fps → web console`,
    (b) => beckon(b, { mode: 'headless', fps: HEADLESS_FPS }),
  ],
  ['x11vnc tuned → bare Node RFB client (no browser, no screen)', (b) => rawRfb(b)],
];

const summary: string[] = [];
for (const condition of conditions) {
  await wire?.set(condition);
  const bench: Bench = {
    hostDisplay: hostScreen.display,
    rxDisplay: rxScreen.display,
    eye,
    flip: flipper.flip,
    pages,
    broker,
    flips: FLIPS,
    motionSeconds: MOTION_S,
    side: hostSide(condition, wire, broker.url),
    debug: Boolean(process.env['BENCH_DEBUG']),
  };
  const results = new Map<string, PathResult | Error>();
  for (const [name, run] of paths)
    if (!ONLY || ONLY.some((o) => name.includes(o)))
      results.set(name, await run(bench).catch((err: Error) => err));

  const peer = results.get(PEER);
  const peerF = peer instanceof Error || !peer ? null : figures(peer);
  const rows = [...results].map(([name, r]) => {
    if (r instanceof Error)
      return [name, 0, '-', '-', '-', '-', '-', '-', '-', '-', `failed: ${r.message.split('\n')[0]!}`];
    const f = figures(r);
    return [
      name,
      r.flips.length,
      fmt(f.p50),
      fmt(f.p95),
      fmt(f.p99),
      peerF ? `${fmt(f.p50 / peerF.p50, 2)} / ${fmt(f.p99 / peerF.p99, 2)}` : '-',
      fmt(pct(r.flips.map(pageLatency), 0.5)),
      fmt(f.shownPerSecond),
      fmt(f.longestGapMs, 0),
      fmt(r.fps),
      r.note,
    ];
  });
  printTable(
    `${condition.name}: glass-to-glass latency, ${W}x${H}, a ${SQUARE.size}x${SQUARE.size} square flipping, ` +
      `${FLIPS} flips per path, then ${MOTION_S} s of motion at 30 Hz`,
    [
      'path',
      'flips',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'p50 / p99 vs noVNC',
      'in-page p50',
      'shown/s moving',
      'longest gap ms',
      'pictures/s',
      'notes',
    ],
    rows,
  );
  printTable(
    `${condition.name}: where the time goes, ms: medians per flip from the receiving page’s stamps; per-frame means from getStats`,
    BREAKDOWN_HEADER,
    [...results].flatMap(([name, r]) => (r instanceof Error ? [] : [breakdownRow(name, r.breakdown)])),
  );
  summary.push(`\nTargets, ${condition.name}:`, ...targetLines(condition, results, PEER));
}
console.log(summary.join('\n'));

await pages.close();
await broker.stop();
for (const proc of [flipper.proc, eye.proc, hostScreen.proc, rxScreen.proc]) proc.kill();
wire?.stop();
// Leave at once: the bridge's and the children's handles need not hold the process.
process.exit(0);
