/// <reference lib="dom" />
// The receiving glass, shared by both receiver pages (bundled into each): it
// samples the square's centre of whatever the page shows (the WebRTC <video>
// or noVNC's canvas) by drawing that one pixel into a 1x1 canvas, the same
// way for both, and notes the first time a new colour is about to be
// presented, in epoch ms (performance.timeOrigin + performance.now(), the
// clock flipper.py stamps the flips with).

export type Colour = 'red' | 'blue' | 'green' | 'other';

export const SQUARE_CENTRE = { x: 200, y: 200 };

/** When a receiver first had a colour, with what the page knew about that picture. */
export interface Seen {
  at: number;
  /** Video only (requestVideoFrameCallback metadata, epoch ms): the sender's capture instant. */
  captureAt?: number;
  /** Video only: when the picture's last packet arrived. */
  receiveAt?: number;
  /** Video only: when Chromium expects the picture on the glass. */
  displayAt?: number;
}

export function classify(r: number, g: number, b: number): Colour {
  if (r > 150 && g < 100 && b < 100) return 'red';
  if (b > 150 && r < 100 && g < 100) return 'blue';
  if (g > 150 && r < 100 && b < 100) return 'green';
  return 'other';
}

export const epochNow = (): number => performance.timeOrigin + performance.now();
export const epochOf = (t: number): number => performance.timeOrigin + t;

/** What the bench drives through `window.glass`. */
export interface GlassApi {
  /** Waits for `colour`; call before the flip. */
  arm(colour: Colour): void;
  /** The armed colour's first sighting. */
  result(timeoutMs: number): Promise<Seen>;
  colour(): Colour;
  pictures(): number;
  /** When the picture changed colour (epoch ms) at or after `since`: new pictures shown while the screen moves. */
  changes(since: number): number[];
}

/** The colours a receiver saw, and the one the bench waits for (DOM-free: the Node RFB client uses it too). */
export class Sightings implements GlassApi {
  private current: Colour = 'other';
  private count = 0;
  private changedAt: number[] = [];
  /** The colour waited for; `done` once seen (its promise stays for `result`). */
  private armed: { colour: Colour; seen: Promise<Seen>; resolve: (s: Seen) => void; done: boolean } | null =
    null;

  /** One picture showed `colour`. */
  see(colour: Colour, seen: Seen): void {
    this.count++;
    const changed = colour !== this.current;
    this.current = colour;
    if (changed && colour !== 'other') this.changedAt.push(seen.at);
    const armed = this.armed;
    if (changed && armed && !armed.done && armed.colour === colour) {
      armed.done = true;
      armed.resolve(seen);
    }
  }

  arm(colour: Colour): void {
    let resolve!: (s: Seen) => void;
    const seen = new Promise<Seen>((r) => (resolve = r));
    this.armed = { colour, seen, resolve, done: false };
  }

  result(timeoutMs: number): Promise<Seen> {
    const armed = this.armed;
    if (!armed) return Promise.reject(new Error('nothing armed'));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no ${armed.colour} within ${timeoutMs} ms (seeing ${this.current})`)),
        timeoutMs,
      );
    });
    return Promise.race([armed.seen, timeout]).finally(() => clearTimeout(timer));
  }

  colour(): Colour {
    return this.current;
  }
  pictures(): number {
    return this.count;
  }
  changes(since: number): number[] {
    if (this.changedAt.length > 10_000) this.changedAt = this.changedAt.slice(-5000);
    return this.changedAt.filter((t) => t >= since);
  }
}

/** Sightings of a picture on the page: one pixel drawn into a 1x1 canvas and read back. */
export class Probe extends Sightings {
  private readonly ctx: CanvasRenderingContext2D;

  constructor() {
    super();
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    this.ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  }

  /** Looks at one picture of `source` (`scale`: the picture's width over 1280). */
  look(source: CanvasImageSource, scale: number, extra: Omit<Seen, 'at'> = {}): Colour {
    const colour = sample(this.ctx, source, scale);
    this.see(colour, { ...extra, at: epochNow() });
    return colour;
  }
}

/** The colour at the square's centre of `source`, through the 1x1 canvas `ctx`. */
export function sample(ctx: CanvasRenderingContext2D, source: CanvasImageSource, scale: number): Colour {
  const x = Math.round(SQUARE_CENTRE.x * scale);
  const y = Math.round(SQUARE_CENTRE.y * scale);
  ctx.drawImage(source, x, y, 1, 1, 0, 0, 1, 1);
  const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
  return classify(r!, g!, b!);
}
