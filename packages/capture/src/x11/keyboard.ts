import type { X11Connection } from './connection.ts';

// The server's keyboard mapping and XTEST fake input over our own connection.
// Knowing the mapping lets us press only keycodes that exist (a fake key event
// with keycode 0, which libnut sends for a keysym the layout lacks, makes Xlib's
// default error handler exit the process) and type any character: keysyms the
// layout has are pressed with Shift as needed, the rest are bound to a spare
// keycode for the moment they are typed, as xdotool does.

export const XK = {
  BackSpace: 0xff08,
  Tab: 0xff09,
  Return: 0xff0d,
  Escape: 0xff1b,
  Shift_L: 0xffe1,
  space: 0x20,
} as const;

const OP_CHANGE_KEYBOARD_MAPPING = 100;
const OP_GET_KEYBOARD_MAPPING = 101;
const XTEST_FAKE_INPUT = 2;
const KEY_PRESS = 2;
const KEY_RELEASE = 3;
const BUTTON_PRESS = 4;
const BUTTON_RELEASE = 5;
const MOTION_NOTIFY = 6;
const MAPPING_NOTIFY = 34;

export interface KeyLocation {
  readonly keycode: number;
  /** Level 2 of the first group: needs Shift held. */
  readonly shift: boolean;
}

/** The keysym that types `codePoint`, or undefined for control characters we do not type. */
export function keysymForCodePoint(codePoint: number): number | undefined {
  if (codePoint === 0x0a || codePoint === 0x0d) return XK.Return;
  if (codePoint === 0x09) return XK.Tab;
  if ((codePoint >= 0x20 && codePoint <= 0x7e) || (codePoint >= 0xa0 && codePoint <= 0xff)) return codePoint;
  if (codePoint >= 0x100 && codePoint <= 0x10ffff) return 0x01000000 | codePoint;
  return undefined;
}

function isLowerLatinLetter(keysym: number): boolean {
  return (keysym >= 0x61 && keysym <= 0x7a) || (keysym >= 0xe0 && keysym <= 0xfe && keysym !== 0xf7);
}

export class X11Keyboard {
  private readonly conn: X11Connection;
  private readonly xtest: number;
  private perKeycode = 0;
  private syms: Uint32Array = new Uint32Array(0);
  private located = new Map<number, KeyLocation>();
  private stale = false;

  private constructor(conn: X11Connection, xtest: number) {
    this.conn = conn;
    this.xtest = xtest;
    conn.onEvent((code) => {
      // Any client (or we) changed the mapping: reload before the next lookup.
      if (code === MAPPING_NOTIFY) this.stale = true;
    });
  }

  static async open(conn: X11Connection): Promise<X11Keyboard> {
    const xtest = await conn.extensionOpcode('XTEST');
    if (xtest === undefined) throw new Error(`X display ${conn.displayName} has no XTEST extension`);
    const keyboard = new X11Keyboard(conn, xtest);
    await keyboard.reload();
    return keyboard;
  }

  get minKeycode(): number {
    return this.conn.setup.minKeycode;
  }

  get maxKeycode(): number {
    return this.conn.setup.maxKeycode;
  }

  /** Reloads the mapping if it changed since the last load. */
  async refresh(): Promise<void> {
    if (this.stale) await this.reload();
  }

  async reload(): Promise<void> {
    this.stale = false;
    const { minKeycode, maxKeycode } = this.conn.setup;
    const req = Buffer.alloc(8);
    req[0] = OP_GET_KEYBOARD_MAPPING;
    req.writeUInt16LE(2, 2);
    req[4] = minKeycode;
    req[5] = maxKeycode - minKeycode + 1;
    const reply = await this.conn.request(req);
    this.perKeycode = reply[1]!;
    const count = (reply.length - 32) / 4;
    this.syms = new Uint32Array(count);
    for (let i = 0; i < count; i++) this.syms[i] = reply.readUInt32LE(32 + i * 4);
    this.located = this.index();
  }

  /** The keysyms bound to `keycode` (all groups and levels, NoSymbol as 0). */
  keysymsAt(keycode: number): number[] {
    const start = (keycode - this.minKeycode) * this.perKeycode;
    if (keycode < this.minKeycode || keycode > this.maxKeycode) return [];
    return Array.from(this.syms.subarray(start, start + this.perKeycode));
  }

  /** Where `keysym` sits in the first group, preferring no Shift, then the lowest keycode. */
  locate(keysym: number): KeyLocation | undefined {
    return this.located.get(keysym);
  }

  private index(): Map<number, KeyLocation> {
    const located = new Map<number, KeyLocation>();
    const { minKeycode, maxKeycode } = this.conn.setup;
    for (const level of [0, 1]) {
      for (let keycode = minKeycode; keycode <= maxKeycode; keycode++) {
        const base = (keycode - minKeycode) * this.perKeycode;
        let keysym = this.perKeycode > level ? this.syms[base + level]! : 0;
        // The core protocol's rule: a lone lowercase letter implies its capital on level 2.
        const first = this.syms[base]!;
        if (level === 1 && keysym === 0 && isLowerLatinLetter(first)) keysym = first - 0x20;
        if (keysym !== 0 && !located.has(keysym)) located.set(keysym, { keycode, shift: level === 1 });
      }
    }
    return located;
  }

  /** Keycodes with no keysym at all, highest first: free for temporary bindings. */
  spareKeycodes(): number[] {
    const spare: number[] = [];
    for (let keycode = this.maxKeycode; keycode >= this.minKeycode; keycode--) {
      if (this.keysymsAt(keycode).every((s) => s === 0)) spare.push(keycode);
    }
    return spare;
  }

  /** Binds `keysym` (0 clears) to both levels of `keycode`'s first group. */
  bind(keycode: number, keysym: number): void {
    const n = this.perKeycode;
    const req = Buffer.alloc(8 + 4 * n);
    req[0] = OP_CHANGE_KEYBOARD_MAPPING;
    req[1] = 1;
    req.writeUInt16LE(2 + n, 2);
    req[4] = keycode;
    req[5] = n;
    if (n > 0) req.writeUInt32LE(keysym, 8);
    if (n > 1) req.writeUInt32LE(keysym, 12);
    this.conn.send(req);
  }

  /** Queues a fake key press or release; `sync()` waits for it. */
  fakeKey(keycode: number, down: boolean): void {
    this.fake(down ? KEY_PRESS : KEY_RELEASE, keycode, 0, 0);
  }

  fakeButton(button: number, down: boolean): void {
    this.fake(down ? BUTTON_PRESS : BUTTON_RELEASE, button, 0, 0);
  }

  /** Absolute pointer motion on the default screen. */
  fakeMotion(x: number, y: number): void {
    this.fake(MOTION_NOTIFY, 0, x, y);
  }

  sync(): Promise<void> {
    return this.conn.sync();
  }

  private fake(type: number, detail: number, x: number, y: number): void {
    const req = Buffer.alloc(36);
    req[0] = this.xtest;
    req[1] = XTEST_FAKE_INPUT;
    req.writeUInt16LE(9, 2);
    req[4] = type;
    req[5] = detail;
    // time 0 (CurrentTime) and root 0 (the pointer's screen) stay zero.
    req.writeInt16LE(x, 24);
    req.writeInt16LE(y, 26);
    this.conn.send(req);
  }
}
