import type { CaptureAddon, ShmSegment } from '../native/capture-addon.ts';
import { u16, u32, x11Request, type X11Connection } from './connection.ts';

// MIT-SHM screen grabs on our own X11 connection: the server writes the image
// into a SysV segment both processes have attached, instead of sending 3.7 MB
// (1280x720) through the socket per frame. The protocol is here; creating,
// reading and freeing the memory is the native addon's (capture-addon.ts).
//
// The segment is marked for removal (IPC_RMID) as soon as the server has
// attached it, so the kernel frees it once both sides detach, even if this
// process is killed; only a crash between shmget and that round trip can
// leave one behind.

const SHM_QUERY_VERSION = 0;
const SHM_ATTACH = 1;
const SHM_DETACH = 2;
const SHM_GET_IMAGE = 4;
const Z_PIXMAP = 2;

/** A segment the X server has attached, sized for one screen image. */
export class ShmImage {
  /** Bytes the segment holds. */
  readonly size: number;
  readonly segment: ShmSegment;
  private readonly conn: X11Connection;
  private readonly addon: CaptureAddon;
  private readonly opcode: number;
  private readonly shmseg: number;
  private closed = false;

  private constructor(
    conn: X11Connection,
    addon: CaptureAddon,
    opcode: number,
    segment: ShmSegment,
    shmseg: number,
    size: number,
  ) {
    this.conn = conn;
    this.addon = addon;
    this.opcode = opcode;
    this.segment = segment;
    this.shmseg = shmseg;
    this.size = size;
  }

  /**
   * Creates a segment of `size` bytes and has the server attach it. Resolves
   * with the reason instead when MIT-SHM cannot work with this server: no
   * extension, a refused attach (another user, another machine), or a server
   * that attached some other segment of that id (another IPC namespace, as in
   * a container sharing only the X socket).
   */
  static async open(conn: X11Connection, addon: CaptureAddon, size: number): Promise<ShmImage | string> {
    if (!conn.local) return `${conn.displayName} is reached over TCP: its memory is not shared with us`;
    const opcode = await conn.extensionOpcode('MIT-SHM');
    if (opcode === undefined) return 'the X server has no MIT-SHM extension';
    const version = await conn.request(x11Request(opcode, SHM_QUERY_VERSION));
    if (version.readUInt16LE(8) < 1) return `MIT-SHM ${version.readUInt16LE(8)} is too old`;
    let segment: ShmSegment;
    try {
      segment = addon.create(size);
    } catch (err) {
      return `cannot create a shared memory segment: ${(err as Error).message}`;
    }
    const shmseg = conn.newId();
    // Read-write: the server writes the image into it (ShmGetImage needs a writable attach).
    conn.send(x11Request(opcode, SHM_ATTACH, u32(shmseg), u32(addon.id(segment)), Buffer.alloc(4)));
    try {
      await conn.sync();
    } catch (err) {
      addon.detach(segment);
      return `the X server refused ShmAttach: ${(err as Error).message}`;
    }
    addon.remove(segment);
    const image = new ShmImage(conn, addon, opcode, segment, shmseg, size);
    let shared: boolean;
    try {
      shared = await image.sharesMemory(conn.setup.root);
    } catch (err) {
      image.close();
      return `ShmGetImage failed: ${(err as Error).message}`;
    }
    if (!shared) {
      image.close();
      return 'the X server attached a different segment of that id (another IPC namespace?)';
    }
    return image;
  }

  /**
   * Whether the server writes into our memory: with plane mask 0 a ZPixmap
   * image is all zeros, so a 1x1 grab over 0xff bytes must clear them.
   */
  private async sharesMemory(root: number): Promise<boolean> {
    const canary = new Uint8Array(4).fill(0xff);
    this.addon.write(this.segment, 0, canary);
    await this.getImage(root, 1, 1, 0);
    this.addon.read(this.segment, 0, canary);
    return canary.every((b) => b === 0);
  }

  /** The size in bytes the server reports for the image it wrote. */
  private async getImage(
    drawable: number,
    width: number,
    height: number,
    planeMask: number,
  ): Promise<number> {
    const reply = await this.conn.request(
      x11Request(
        this.opcode,
        SHM_GET_IMAGE,
        u32(drawable),
        u16(0),
        u16(0),
        u16(width),
        u16(height),
        u32(planeMask),
        Buffer.from([Z_PIXMAP, 0, 0, 0]),
        u32(this.shmseg),
        u32(0),
      ),
    );
    return reply.readUInt32LE(12);
  }

  /**
   * Has the server write `width` x `height` pixels of `drawable` (from its
   * top-left corner) into the segment as ZPixmap, `width * 4` bytes a row.
   */
  async grab(drawable: number, width: number, height: number): Promise<void> {
    if (this.closed) throw new Error('MIT-SHM image is closed');
    if (width * height * 4 > this.size) throw new RangeError(`${width}x${height} does not fit the segment`);
    const bytes = await this.getImage(drawable, width, height, 0xffffffff);
    if (bytes !== width * height * 4)
      throw new Error(`screen image of ${bytes} bytes is not 32-bit colour (need 24/32-bit depth)`);
  }

  /** Detaches on both sides; the kernel then frees the segment. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.conn.send(x11Request(this.opcode, SHM_DETACH, u32(this.shmseg)));
    } catch {
      // The connection is gone, and with it the server's attachment.
    }
    this.addon.detach(this.segment);
  }
}
