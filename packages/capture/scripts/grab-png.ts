// Grabs one frame and writes it as a PNG:
//   node packages/capture/scripts/grab-png.ts [out.png]          the display in $DISPLAY
//   node packages/capture/scripts/grab-png.ts --xvfb [out.png]   a private Xvfb with a test window
// Prints the grab and conversion times, so it doubles as a quick speed check.
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { selectBackend, toI420, toRgba } from '../src/index.ts';
import { startProbeWindow, startXvfb } from '../src/testing/index.ts';

const args = process.argv.slice(2);
const useXvfb = args.includes('--xvfb');
const out = args.find((a) => !a.startsWith('--')) ?? 'frame.png';

let display = process.env.DISPLAY;
let closeProbe: (() => Promise<void>) | undefined;
if (useXvfb) {
  const xvfb = await startXvfb({ width: 1280, height: 720, args: ['-br'] });
  display = xvfb.display;
  const probe = await startProbeWindow({ display, x: 100, y: 80, width: 480, height: 240, entry: true });
  closeProbe = () => probe.close();
}

const selected = await selectBackend(process.platform, display ? { display } : {});
if (!selected.ok) {
  console.error(`no capture backend: ${selected.error.message}`);
  process.exit(1);
}
const { backend } = selected;
let t = performance.now();
const frame = await backend.grab();
const grabMs = performance.now() - t;
t = performance.now();
toI420(frame);
const i420Ms = performance.now() - t;

const png = new PNG({ width: frame.width, height: frame.height });
png.data = Buffer.from(toRgba(frame).buffer);
writeFileSync(out, PNG.sync.write(png));
console.log(
  `${backend.name}: ${frame.width}x${frame.height} ${frame.format} -> ${out} (grab ${grabMs.toFixed(1)} ms, I420 ${i420Ms.toFixed(1)} ms)`,
);
await closeProbe?.();
await backend.close();
