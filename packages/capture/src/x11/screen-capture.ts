import { toI420 } from '../frame/convert.ts';
import { captureAddon, convertToI420, toI420Native, type CaptureAddon } from '../native/capture-addon.ts';
import type { CaptureMethod, Frame, I420Frame } from '../types.ts';
import { u16, u32, x11Request, type X11Connection } from './connection.ts';
import { ScreenDamage } from './damage.ts';
import { ShmImage } from './shm.ts';

// Whole-screen grabs on our X11 connection, by the fastest path this machine
// allows (numbers in bench/host):
// - MIT-SHM: the server writes the image into shared memory and the C
//   converter reads it from there, so the pixels never cross the socket or the
//   JS heap on the streaming path (grabI420); grab() copies them out once;
// - GetImage: the image streams through the socket into a reusable buffer,
//   when the server cannot share memory with us (no extension, another
//   machine or IPC namespace) or the addon is not built or turned off. The C
//   converter still does the I420 conversion when the addon is there.
// Grabs run one at a time: with one segment, a second ShmGetImage could
// overwrite the image while the first is being read.

export interface ScreenCaptureOptions {
  /** Use the native addon (MIT-SHM, C conversion) when built. Default true. */
  readonly native?: boolean;
  /** Try MIT-SHM (needs the addon). Default true. */
  readonly shm?: boolean;
  /** Where the one line saying which path is in use goes; default stderr. */
  readonly log?: (message: string) => void;
}

const GET_GEOMETRY = 14;
const GET_IMAGE = 73;
const Z_PIXMAP = 2;

const logged = new Set<string>();
const stderrLog = (message: string) => process.stderr.write(`[beckon capture] ${message}\n`);

export class X11ScreenCapture {
  private readonly conn: X11Connection;
  private readonly addon: CaptureAddon | undefined;
  private readonly log: (message: string) => void;
  private shm: ShmImage | undefined;
  private method: CaptureMethod;
  /** The GetImage path's image for grabI420, refilled each frame. */
  private scratch: Frame | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Change events: undefined until asked for, null where the server cannot send them. */
  private damage: ScreenDamage | null | undefined;
  /** The screen's size at the last grab. */
  size: { width: number; height: number };

  private constructor(
    conn: X11Connection,
    addon: CaptureAddon | undefined,
    method: CaptureMethod,
    log: (message: string) => void,
  ) {
    this.conn = conn;
    this.addon = addon;
    this.method = method;
    this.log = log;
    this.size = { width: conn.setup.widthPx, height: conn.setup.heightPx };
  }

  /** Picks the path (trying MIT-SHM first) and logs it, once per process and path. */
  static async open(conn: X11Connection, options: ScreenCaptureOptions = {}): Promise<X11ScreenCapture> {
    const log = options.log ?? stderrLog;
    const status = options.native === false ? { ok: false as const, reason: 'turned off' } : captureAddon();
    const addon = status.ok ? status.addon : undefined;
    const convert = addon ? 'native' : 'js';
    let fallback = status.ok ? undefined : `native addon: ${status.reason}`;
    const capture = new X11ScreenCapture(conn, addon, { grab: 'x11-get-image', convert }, log);
    if (addon && options.shm !== false) {
      const { width, height } = await capture.geometry();
      fallback = await capture.attach(addon, width * height * 4);
    } else if (addon) {
      fallback = 'MIT-SHM turned off';
    }
    capture.method = { grab: capture.shm ? 'x11-shm' : 'x11-get-image', convert, fallback };
    capture.announce();
    return capture;
  }

  get captureMethod(): CaptureMethod {
    return this.method;
  }

  /**
   * Calls `listener` once the screen changes after the latest grab (each grab
   * re-arms it); undefined stops. Resolves false where the server cannot tell.
   */
  async onChange(listener: (() => void) | undefined): Promise<boolean> {
    if (listener && this.damage === undefined) {
      const opened = await ScreenDamage.open(this.conn);
      this.damage = typeof opened === 'string' ? null : opened;
      if (typeof opened === 'string') this.log(`${this.conn.displayName}: no change events (${opened})`);
    }
    this.damage?.onChange(listener);
    return Boolean(this.damage);
  }

  /** The screen as a BGRA frame in JS memory, refilling `reuse` when it has the right size. */
  grab(reuse?: Frame): Promise<Frame> {
    return this.serial(async () => {
      this.damage?.rearm();
      const { width, height } = await this.geometry();
      const size = width * height * 4;
      const data = reuse && reuse.data.length === size ? reuse.data : new Uint8Array(size);
      if (await this.shmGrab(width, height)) this.addon!.read(this.shm!.segment, 0, data);
      else await this.getImage(width, height, data);
      return { width, height, stride: width * 4, format: 'bgra', data };
    });
  }

  /** The screen as I420, written into `out` when it has the right size. */
  grabI420(out?: Uint8Array): Promise<I420Frame> {
    return this.serial(async () => {
      // Re-armed before the pixels are read: drawing during the grab reports again.
      this.damage?.rearm();
      const { width, height } = await this.geometry();
      if (await this.shmGrab(width, height)) {
        const image = { width, height, stride: width * 4, format: 'bgra' } as const;
        return convertToI420(this.addon!, this.shm!.segment, image, out);
      }
      const size = width * height * 4;
      const data = this.scratch?.data.length === size ? this.scratch.data : new Uint8Array(size);
      await this.getImage(width, height, data);
      const frame: Frame = { width, height, stride: width * 4, format: 'bgra', data };
      this.scratch = frame;
      return this.addon ? toI420Native(this.addon, frame, out) : toI420(frame, out);
    });
  }

  /** Waits for a grab under way, then gives the segment back. */
  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    this.damage?.close();
    this.damage = undefined;
    this.shm?.close();
    this.shm = undefined;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private announce(): void {
    const { grab, convert, fallback } = this.method;
    const how = grab === 'x11-shm' ? 'MIT-SHM (ShmGetImage)' : 'GetImage through the X socket';
    const line = `${this.conn.displayName}: ${how}, ${convert === 'native' ? 'C' : 'JS'} I420${fallback ? ` (${fallback})` : ''}`;
    if (logged.has(line)) return;
    logged.add(line);
    this.log(line);
  }

  /** The root window's size; asked every time, since RandR may have resized the screen. */
  private async geometry(): Promise<{ width: number; height: number }> {
    const { root, imageByteOrder } = this.conn.setup;
    if (imageByteOrder !== 0)
      throw new Error('X servers with most-significant-byte-first images are not supported');
    const reply = await this.conn.request(x11Request(GET_GEOMETRY, 0, u32(root)));
    this.size = { width: reply.readUInt16LE(16), height: reply.readUInt16LE(18) };
    return this.size;
  }

  /** Opens a segment of `bytes`; returns why not when MIT-SHM does not work here. */
  private async attach(addon: CaptureAddon, bytes: number): Promise<string | undefined> {
    let result: ShmImage | string;
    try {
      result = await ShmImage.open(this.conn, addon, bytes);
    } catch (err) {
      result = `MIT-SHM failed: ${(err as Error).message}`;
    }
    if (typeof result === 'string') return result;
    this.shm = result;
    return undefined;
  }

  /**
   * Grabs into the segment, growing it when the screen grew. False when this
   * capture uses GetImage (from the start, or since a larger segment failed).
   */
  private async shmGrab(width: number, height: number): Promise<boolean> {
    if (!this.shm) return false;
    const bytes = width * height * 4;
    if (bytes > this.shm.size) {
      this.shm.close();
      this.shm = undefined;
      const why = await this.attach(this.addon!, bytes);
      if (why) {
        this.method = { ...this.method, grab: 'x11-get-image', fallback: why };
        this.announce();
        return false;
      }
    }
    await this.shm!.grab(this.conn.setup.root, width, height);
    return true;
  }

  /** GetImage, ZPixmap, all planes, streamed straight into `data`. */
  private async getImage(width: number, height: number, data: Uint8Array): Promise<void> {
    const { root } = this.conn.setup;
    await this.conn.requestInto(
      x11Request(GET_IMAGE, Z_PIXMAP, u32(root), u16(0), u16(0), u16(width), u16(height), u32(0xffffffff)),
      (_, length) => {
        if (length !== data.length)
          throw new Error(`screen image of ${length} bytes is not 32-bit colour (need 24/32-bit depth)`);
        return data;
      },
    );
  }
}
