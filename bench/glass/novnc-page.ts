/// <reference lib="dom" />
// The peer's receiving glass: the real noVNC (@novnc/novnc 1.7, unmodified)
// connected to x11vnc through the bench's WebSocket-to-TCP bridge, showing the
// screen unscaled in its own canvas. The canvas is looked at once per
// animation frame (what is about to be presented), with the same 1x1 sample
// as the video page; noVNC's flips are also watched to tell when the
// picture landed on the canvas. Bundled for the browser by pages.ts.
import RFB from '@novnc/novnc';
import { Probe, epochNow, sample, type Colour, type GlassApi } from './probe.ts';

export interface NoVncGlass extends GlassApi {
  start(o: { url: string; qualityLevel: number; compressionLevel: number }): Promise<void>;
  close(): void;
}

const probe = new Probe();
const screen = document.getElementById('screen')!;
let rfb: RFB | null = null;
/** When each colour last landed on noVNC's canvas (its flip), before any animation frame showed it. */
let landed: { colour: Colour; at: number } = { colour: 'other', at: 0 };
const flipCanvas = document.createElement('canvas');
flipCanvas.width = flipCanvas.height = 1;
const flipCtx = flipCanvas.getContext('2d', { willReadFrequently: true })!;

function canvas(): HTMLCanvasElement | null {
  const c = screen.querySelector('canvas');
  return c && c.width > 0 ? c : null;
}

function frame(): void {
  const c = canvas();
  if (c) probe.look(c, c.width / 1280, { receiveAt: landed.at });
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);

/** Wraps noVNC's Display.flip (its canvas update) to stamp when a new colour landed. */
function watchFlips(client: RFB): void {
  const display = (client as unknown as { _display: { flip(q?: boolean): void } })._display;
  const flip = display.flip.bind(display);
  display.flip = (q) => {
    flip(q);
    const c = canvas();
    if (!c) return;
    const colour = sample(flipCtx, c, c.width / 1280);
    if (colour !== landed.colour) landed = { colour, at: epochNow() };
  };
}

const glass: NoVncGlass = {
  arm: (c) => probe.arm(c),
  result: (ms) => probe.result(ms),
  colour: () => probe.colour(),
  pictures: () => probe.pictures(),
  changes: (since) => probe.changes(since),
  start({ url, qualityLevel, compressionLevel }) {
    const client = new RFB(screen, url, { shared: true });
    rfb = client;
    client.viewOnly = true;
    client.scaleViewport = false;
    client.clipViewport = false;
    client.resizeSession = false;
    client.qualityLevel = qualityLevel;
    client.compressionLevel = compressionLevel;
    watchFlips(client);
    return new Promise((resolve, reject) => {
      client.addEventListener('connect', () => resolve());
      client.addEventListener('disconnect', () => reject(new Error('noVNC disconnected')));
      client.addEventListener('securityfailure', () => reject(new Error('noVNC security failure')));
    });
  },
  close() {
    rfb?.disconnect();
  },
};
(window as unknown as { glass: NoVncGlass }).glass = glass;
