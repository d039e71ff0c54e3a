// Moves the pointer, clicks and types a line:
//   node packages/capture/scripts/input-smoke.ts --xvfb   on a private Xvfb, into a test window
//                                                         that reports what it received
//   node packages/capture/scripts/input-smoke.ts          on $DISPLAY: YOUR pointer and keyboard,
//                                                         into whatever window has focus
import { setTimeout as delay } from 'node:timers/promises';
import { selectBackend } from '../src/index.ts';
import { pointerLocation, startProbeWindow, startXvfb, type ProbeWindow } from '../src/testing/index.ts';

const useXvfb = process.argv.includes('--xvfb');
const LINE = 'Hello from Beckon: äöü € ✓';

let display = process.env.DISPLAY;
let probe: ProbeWindow | undefined;
if (useXvfb) {
  const xvfb = await startXvfb({ width: 1280, height: 720, args: ['-br'] });
  display = xvfb.display;
  // Centred, so the last move (0.5, 0.5) ends inside it.
  probe = await startProbeWindow({ display, x: 340, y: 260, width: 600, height: 200, entry: true });
} else {
  console.log('Driving the real pointer and keyboard in 3 seconds (Ctrl+C to stop)…');
  await delay(3000);
}

const selected = await selectBackend(process.platform, display ? { display } : {});
if (!selected.ok) {
  console.error(`no capture backend: ${selected.error.message}`);
  process.exit(1);
}
const { input } = selected.backend;
const [primary] = selected.backend.displays();
const { width, height } = primary!.bounds;

// A square around the middle of the screen, in normalized coordinates as the agent sends them.
for (const [nx, ny] of [
  [0.3, 0.3],
  [0.7, 0.3],
  [0.7, 0.7],
  [0.3, 0.7],
  [0.5, 0.5],
] as const) {
  await input.pointerMoveNormalized(nx, ny);
  const at = display && process.platform === 'linux' ? await pointerLocation(display) : undefined;
  console.log(
    `pointer -> (${nx}, ${ny}) of ${width}x${height}${at ? `: X server says (${at.x}, ${at.y})` : ''}`,
  );
  await delay(150);
}
await input.pointerButton('left', 'down');
await input.pointerButton('left', 'up');
const typed = await input.typeText(LINE);
await input.key('Enter', 'down');
await input.key('Enter', 'up');
console.log(`typed ${typed.typed} characters, skipped ${typed.skipped}`);

if (probe) {
  const text = await probe.waitForText(LINE);
  const clicks = probe.events.filter((e) => e.event === 'button');
  console.log(`the window received: clicks ${JSON.stringify(clicks)}, text ${JSON.stringify(text)}`);
  await probe.close();
}
await selected.backend.close();
