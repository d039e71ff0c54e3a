import { u32, x11Request, type X11Connection } from './connection.ts';

// The DAMAGE extension on our own X11 connection: the server tells us when
// anything on the screen was drawn, so the streamer can grab at once instead
// of waiting up to a whole frame interval for its timer (bench/glass: that
// wait is most of the headless path's latency at 30 fps).
//
// Level NonEmpty sends one DamageNotify when the damage region goes from
// empty to non-empty; `rearm()` empties it again (DamageSubtract with no
// regions), so there is at most one event per grab however much is drawn.

const DAMAGE_QUERY_VERSION = 0;
const DAMAGE_CREATE = 1;
const DAMAGE_DESTROY = 2;
const DAMAGE_SUBTRACT = 3;
const REPORT_NON_EMPTY = 3;

export class ScreenDamage {
  private readonly conn: X11Connection;
  private readonly opcode: number;
  private readonly damage: number;
  private listener: (() => void) | undefined;
  private closed = false;
  private readonly unlisten: () => void;

  private constructor(conn: X11Connection, opcode: number, damage: number, firstEvent: number) {
    this.conn = conn;
    this.opcode = opcode;
    this.damage = damage;
    this.unlisten = conn.onEvent((code, event) => {
      // The top bit marks events sent by another client (SendEvent); the damage id is at byte 8.
      if ((code & 0x7f) === firstEvent && event.readUInt32LE(8) === damage) this.listener?.();
    });
  }

  /** Watches the root window, or resolves with why not (no DAMAGE extension, a refused request). */
  static async open(conn: X11Connection): Promise<ScreenDamage | string> {
    const ext = await conn.extension('DAMAGE');
    if (!ext) return 'the X server has no DAMAGE extension';
    // The server only accepts DAMAGE requests from a client that announced its version.
    await conn.request(x11Request(ext.opcode, DAMAGE_QUERY_VERSION, u32(1), u32(1)));
    const id = conn.newId();
    const level = Buffer.from([REPORT_NON_EMPTY, 0, 0, 0]);
    conn.send(x11Request(ext.opcode, DAMAGE_CREATE, u32(id), u32(conn.setup.root), level));
    try {
      await conn.sync();
    } catch (err) {
      return `DAMAGE refused: ${(err as Error).message}`;
    }
    return new ScreenDamage(conn, ext.opcode, id, ext.firstEvent);
  }

  /** Calls `listener` when the screen changed since the last `rearm()`; null stops. */
  onChange(listener: (() => void) | undefined): void {
    this.listener = listener;
  }

  /** Forgets what was drawn so far: the next drawing reports again. Call just before a grab. */
  rearm(): void {
    if (this.closed) return;
    this.conn.send(x11Request(this.opcode, DAMAGE_SUBTRACT, u32(this.damage), u32(0), u32(0)));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.listener = undefined;
    this.unlisten();
    try {
      this.conn.send(x11Request(this.opcode, DAMAGE_DESTROY, u32(this.damage)));
    } catch {
      // The connection is gone, and the server freed the damage object with it.
    }
  }
}
