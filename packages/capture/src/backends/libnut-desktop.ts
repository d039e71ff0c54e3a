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
import { toI420 } from '../frame/convert.ts';
import { keyDef } from '../keys/codes.ts';
import { Injector, type RawInput } from '../input/injector.ts';
import { loadLibnut, type Libnut } from '../native/libnut.ts';

// Windows and macOS: everything through libnut (GDI BitBlt / SendInput on
// Windows, CGDisplayCreateImage / CGEvent on macOS). Both hand out BGRA.
// NOT RUNNABLE HERE: this repository's machines only run Linux. The code is type
// checked and follows libnut-core's sources, but has not run on either system.
// Known from those sources, to fix with a small native helper if it matters:
// - Windows: every key event sleeps 0-63 ms (WIN32_KEY_EVENT_WAIT), and
//   typeString truncates each character to 8 bits (no Unicode);
// - macOS: typeString posts Unicode (CGEventKeyboardSetUnicodeString) and is fine.

/** libnut names its key table maps to K_NOT_A_KEY on that system (pressing them does nothing or fails). */
const MISSING_KEYS: Record<'win32' | 'darwin', ReadonlySet<string>> = {
  win32: new Set(['numpad_equal', 'clear']),
  darwin: new Set(['insert', 'printscreen', 'menu', 'pause', 'num_lock', 'scroll_lock', 'audio_stop']),
};

export function openLibnutDesktop(platform: 'win32' | 'darwin'): BackendSelection {
  let lib: Libnut;
  try {
    lib = loadLibnut(platform);
  } catch (err) {
    return {
      ok: false,
      error: {
        code: 'native_module_unavailable',
        message: `libnut failed to load: ${(err as Error).message}`,
      },
    };
  }
  return { ok: true, backend: new LibnutDesktopBackend(platform, lib) };
}

/** libnut's scroll units per wheel notch: WHEEL_DELTA on Windows, pixels on macOS (a guess, unverified). */
const WHEEL_UNITS: Record<'win32' | 'darwin', number> = { win32: 120, darwin: 10 };

class LibnutDesktopBackend implements CaptureBackend {
  readonly name: 'win32' | 'darwin';
  readonly input: Injector;
  readonly captureMethod: CaptureMethod = { grab: 'libnut', convert: 'js' };
  private readonly lib: Libnut;
  /** Frame pixels per point, learnt from the first grab (2 on Retina displays). */
  private scale = 1;

  constructor(platform: 'win32' | 'darwin', lib: Libnut) {
    this.name = platform;
    this.lib = lib;
    this.input = new Injector(new LibnutInput(platform, lib), () => this.displays());
  }

  displays(): readonly Display[] {
    // libnut sees the main display only; multi-monitor needs a per-OS API.
    const { width, height } = this.lib.getScreenSize();
    return [
      {
        id: `${this.name}:main`,
        name: 'main',
        bounds: { x: 0, y: 0, width, height },
        scaleFactor: this.scale,
        primary: true,
      },
    ];
  }

  grab(displayId?: string): Promise<Frame> {
    if (displayId !== undefined && displayId !== `${this.name}:main`) {
      return Promise.reject(new Error(`no display ${displayId}`));
    }
    // libnut's grab is synchronous and always allocates: nothing to reuse.
    const shot = this.lib.captureScreen();
    const { width } = this.lib.getScreenSize();
    if (width > 0) this.scale = shot.width / width;
    const data = shot.image;
    return Promise.resolve({
      width: shot.width,
      height: shot.height,
      stride: shot.byteWidth,
      format: 'bgra',
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    });
  }

  /** The same grab, converted in JS: these backends stay on libnut (no shared-memory path). */
  async grabI420(displayId?: string, out?: Uint8Array): Promise<I420Frame> {
    return toI420(await this.grab(displayId), out);
  }

  async close(): Promise<void> {
    await this.input.releaseAll();
  }
}

class LibnutInput implements RawInput {
  // Neither SendInput nor CGEvent repeats an injected held key: repeats come from the agent.
  readonly hostRepeats = false;
  private readonly lib: Libnut;
  private readonly missing: ReadonlySet<string>;
  private readonly wheelUnits: number;
  private readonly asciiOnly: boolean;

  constructor(platform: 'win32' | 'darwin', lib: Libnut) {
    this.lib = lib;
    this.missing = MISSING_KEYS[platform];
    this.wheelUnits = WHEEL_UNITS[platform];
    this.asciiOnly = platform === 'win32';
  }

  move(x: number, y: number): void {
    this.lib.moveMouse(x, y);
  }

  button(button: PointerButton, down: boolean): void {
    this.lib.mouseToggle(down ? 'down' : 'up', button);
  }

  wheel(dx: number, dy: number): void {
    // libnut's positive y scrolls up and positive x left, on every system.
    this.lib.scrollMouse(-dx * this.wheelUnits, -dy * this.wheelUnits);
  }

  private nameFor(code: string): string | undefined {
    const nut = keyDef(code)?.nut;
    return nut !== undefined && !this.missing.has(nut) ? nut : undefined;
  }

  hasKey(code: string): boolean {
    return this.nameFor(code) !== undefined;
  }

  key(code: string, down: boolean): void {
    const name = this.nameFor(code);
    // No modifier flags: libnut would press them itself, with random sleeps in between.
    if (name !== undefined) this.lib.keyToggle(name, down ? 'down' : 'up');
  }

  type(text: string): Promise<TypeTextResult> {
    // See the header: Unicode on macOS; on Windows only ASCII survives libnut, so the rest is skipped.
    const chars = [...text.replace(/\r\n/g, '\n')];
    const typable = this.asciiOnly ? chars.filter((c) => c.charCodeAt(0) < 0x80) : chars;
    if (typable.length > 0) this.lib.typeString(typable.join(''));
    return Promise.resolve({ typed: typable.length, skipped: chars.length - typable.length });
  }
}
