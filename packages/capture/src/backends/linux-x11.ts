import type {
  BackendSelection,
  CaptureBackend,
  CaptureMethod,
  Display,
  Frame,
  I420Frame,
  PointerButton,
  TypeTextResult,
} from '../types.ts';
import { keyDef } from '../keys/codes.ts';
import { Injector, type RawInput } from '../input/injector.ts';
import { loadLibnut, type Libnut } from '../native/libnut.ts';
import { X11Connection } from '../x11/connection.ts';
import { keysymForCodePoint, X11Keyboard, XK, type KeyLocation } from '../x11/keyboard.ts';
import { CharBindings } from '../x11/char-bindings.ts';
import { X11ScreenCapture, type ScreenCaptureOptions } from '../x11/screen-capture.ts';

// Linux on X11 (Xorg, Xvfb, and Xwayland for X clients). libnut drives the
// pointer (XWarpPointer and XTEST buttons, each followed by XSync). Everything
// else goes through our own X11 connection, for what libnut 2.7.5 does poorly
// on Linux (numbers in bench/host):
// - its screen grab opens a new X connection per frame and copies the image
//   into a fresh buffer, twice the XGetImage floor and blocking the thread;
//   our connection grabs through MIT-SHM, or GetImage streamed into a reusable
//   buffer, asynchronously (x11/screen-capture.ts);
// - it resolves keys by keysym, so a key the layout lacks becomes keycode 0
//   and Xlib's error handler exits the process; it sleeps up to 62 ms per
//   modifier in keyTap and typeString; its typeString is ASCII only;
// - its scrollMouse turns horizontal steps into vertical ones.

export interface LinuxX11Options extends Omit<ScreenCaptureOptions, 'log'> {
  /** X display to drive, e.g. `:0`; defaults to `DISPLAY`. */
  readonly display?: string;
}

export async function openLinuxX11(options: LinuxX11Options = {}): Promise<BackendSelection> {
  const display = options.display ?? process.env.DISPLAY;
  if (!display) {
    const wayland = process.env.WAYLAND_DISPLAY ? ' (a Wayland session without Xwayland?)' : '';
    return fail('display_unavailable', `no X display: DISPLAY is not set${wayland}`);
  }
  // Probe with our own connection first: libnut dereferences a failed
  // XOpenDisplay and would take the whole process down.
  let conn: X11Connection | undefined;
  let keyboard: X11Keyboard;
  let screen: X11ScreenCapture;
  try {
    conn = await X11Connection.open(display);
    keyboard = await X11Keyboard.open(conn);
    screen = await X11ScreenCapture.open(conn, options);
  } catch (err) {
    conn?.close();
    return fail('display_unavailable', (err as Error).message);
  }
  let lib: Libnut;
  try {
    lib = loadLibnut('linux');
  } catch (err) {
    await screen.close();
    conn.close();
    return fail('native_module_unavailable', `libnut failed to load: ${(err as Error).message}`);
  }
  // libnut's one Xlib connection (for the pointer) opens the display named here.
  lib.setXDisplayName?.(display);
  return { ok: true, backend: new LinuxX11Backend(display, conn, keyboard, screen, lib) };
}

function fail(code: 'display_unavailable' | 'native_module_unavailable', message: string): BackendSelection {
  return { ok: false, error: { code, message } };
}

class LinuxX11Backend implements CaptureBackend {
  readonly name = 'linux-x11' as const;
  readonly input: Injector;
  private readonly raw: X11Input;
  private readonly display: string;
  private readonly conn: X11Connection;
  private readonly screen: X11ScreenCapture;

  constructor(
    display: string,
    conn: X11Connection,
    keyboard: X11Keyboard,
    screen: X11ScreenCapture,
    lib: Libnut,
  ) {
    this.display = display;
    this.conn = conn;
    this.screen = screen;
    this.raw = new X11Input(keyboard, lib);
    this.input = new Injector(this.raw, () => this.displays());
  }

  displays(): readonly Display[] {
    // One X screen is one display, the whole root window (per-monitor RandR
    // geometry is not read). Its size is the one the last grab found.
    const { width, height } = this.screen.size;
    return [
      {
        id: `x11:${this.display}`,
        name: this.display,
        bounds: { x: 0, y: 0, width, height },
        scaleFactor: 1,
        primary: true,
      },
    ];
  }

  get captureMethod(): CaptureMethod {
    return this.screen.captureMethod;
  }

  async grab(displayId?: string, reuse?: Frame): Promise<Frame> {
    this.checkDisplay(displayId);
    return this.screen.grab(reuse);
  }

  async grabI420(displayId?: string, out?: Uint8Array): Promise<I420Frame> {
    this.checkDisplay(displayId);
    return this.screen.grabI420(out);
  }

  watchScreen(listener: (() => void) | undefined): Promise<boolean> {
    return this.screen.onChange(listener);
  }

  private checkDisplay(displayId: string | undefined): void {
    if (displayId !== undefined && displayId !== `x11:${this.display}`) {
      throw new Error(`no display ${displayId}`);
    }
  }

  async close(): Promise<void> {
    try {
      await this.input.releaseAll();
      await this.raw.restoreKeymap();
      await this.screen.close();
    } finally {
      this.conn.close();
    }
  }
}

class X11Input implements RawInput {
  readonly hostRepeats = true;
  private readonly keyboard: X11Keyboard;
  private readonly lib: Libnut;
  private readonly bindings: CharBindings;

  constructor(keyboard: X11Keyboard, lib: Libnut) {
    this.keyboard = keyboard;
    this.lib = lib;
    this.bindings = new CharBindings(keyboard);
  }

  move(x: number, y: number): void {
    this.lib.moveMouse(x, y);
  }

  button(button: PointerButton, down: boolean): void {
    this.lib.mouseToggle(down ? 'down' : 'up', button);
  }

  async wheel(dx: number, dy: number): Promise<void> {
    // X11 wheels are buttons: 4 up, 5 down, 6 left, 7 right. Through XTEST, not
    // libnut: libnut 2.7.5's scrollMouse turns its x argument into vertical steps.
    const steps = (n: number, negative: number, positive: number) => {
      for (let i = 0; i < Math.abs(n); i++) {
        this.keyboard.fakeButton(n < 0 ? negative : positive, true);
        this.keyboard.fakeButton(n < 0 ? negative : positive, false);
      }
    };
    steps(dy, 4, 5);
    steps(dx, 6, 7);
    await this.keyboard.sync();
  }

  /**
   * The keycode for `code`: its evdev scancode + 8 when the server uses the
   * evdev keymap (recognised by Escape at 9 and Return at 36), otherwise wherever
   * the key's US keysym sits. Undefined when the key is not on this keyboard.
   */
  private keycodeFor(code: string): number | undefined {
    const def = keyDef(code);
    if (!def) return undefined;
    const kb = this.keyboard;
    const evdev = kb.keysymsAt(9)[0] === XK.Escape && kb.keysymsAt(36)[0] === XK.Return;
    if (evdev) {
      const keycode = def.evdev + 8;
      return kb.keysymsAt(keycode).some((s) => s !== 0) ? keycode : undefined;
    }
    return kb.locate(def.keysym)?.keycode;
  }

  hasKey(code: string): boolean {
    return this.keycodeFor(code) !== undefined;
  }

  async key(code: string, down: boolean): Promise<void> {
    await this.keyboard.refresh();
    const keycode = this.keycodeFor(code);
    if (keycode === undefined) return;
    this.keyboard.fakeKey(keycode, down);
    await this.keyboard.sync();
  }

  async type(text: string): Promise<TypeTextResult> {
    const kb = this.keyboard;
    await kb.refresh();
    const shift = kb.locate(XK.Shift_L);
    const chars = [...text.replace(/\r\n/g, '\n')];
    const keysyms = chars.map((ch) => keysymForCodePoint(ch.codePointAt(0)!));
    // Keysyms the layout has at a level we can reach; the rest need a binding.
    const onLayout = (ks: number) => {
      const at = kb.locate(ks);
      return at !== undefined && (!at.shift || shift !== undefined) && !this.bindings.has(ks);
    };
    const capacity = this.bindings.capacity();
    let typed = 0;
    let i = 0;
    while (i < chars.length) {
      // The longest run whose characters off the layout fit into the spare keycodes at once.
      const wanted = new Set<number>();
      let end = i;
      for (; end < chars.length; end++) {
        const ks = keysyms[end];
        if (ks === undefined || onLayout(ks) || wanted.has(ks) || capacity === 0) continue;
        if (wanted.size === capacity) break; // never at the run's first character: it always progresses
        wanted.add(ks);
      }
      const bound = wanted.size > 0 ? await this.bindings.prepare(wanted) : new Map<number, number>();
      for (; i < end; i++) {
        const ks = keysyms[i];
        if (ks === undefined) continue;
        const keycode = bound.get(ks);
        const at: KeyLocation | undefined = keycode !== undefined ? { keycode, shift: false } : kb.locate(ks);
        if (!at || (at.shift && !shift)) continue;
        if (at.shift && shift) kb.fakeKey(shift.keycode, true);
        kb.fakeKey(at.keycode, true);
        kb.fakeKey(at.keycode, false);
        if (at.shift && shift) kb.fakeKey(shift.keycode, false);
        typed++;
      }
    }
    await kb.sync();
    return { typed, skipped: chars.length - typed };
  }

  /** Gives back the keycodes bound for typing. */
  async restoreKeymap(): Promise<void> {
    this.bindings.release();
    await this.keyboard.sync();
  }
}
