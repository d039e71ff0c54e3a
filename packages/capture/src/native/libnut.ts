import { createRequire } from 'node:module';

// nut-js's native core, called directly. nut-js itself wraps every call in
// promises, a provider registry and an `autoDelayMs` sleep (even at 0 that is
// a timer turn, a millisecond or more); the raw binding is a synchronous N-API
// call that returns once the window system has the event (X11: after XSync).
// libnut is a dependency of nut-js, so it is reached through nut-js's own
// resolution rather than declared a second time.

export interface LibnutBitmap {
  readonly width: number;
  readonly height: number;
  readonly byteWidth: number;
  readonly bitsPerPixel: number;
  readonly bytesPerPixel: number;
  readonly image: Buffer;
}

/** The subset of the raw libnut binding Beckon uses (identical on all three platforms). */
export interface Libnut {
  setMouseDelay(ms: number): void;
  setKeyboardDelay(ms: number): void;
  moveMouse(x: number, y: number): void;
  getMousePos(): { x: number; y: number };
  mouseToggle(action: 'down' | 'up', button: 'left' | 'middle' | 'right'): void;
  scrollMouse(x: number, y: number): void;
  keyToggle(key: string, action: 'down' | 'up', modifiers?: string[]): void;
  typeString(text: string): void;
  getScreenSize(): { width: number; height: number };
  captureScreen(x?: number, y?: number, width?: number, height?: number): LibnutBitmap;
  /** X11 only: the display libnut's shared connection opens. */
  setXDisplayName?(name: string): void;
}

const PACKAGE: Record<string, string> = {
  linux: '@nut-tree-fork/libnut-linux',
  win32: '@nut-tree-fork/libnut-win32',
  darwin: '@nut-tree-fork/libnut-darwin',
};

const cache = new Map<string, Libnut>();

/**
 * Loads the binding for `platform` and turns its built-in delays off (libnut
 * sleeps 10 ms after every pointer call by default). Throws when the package or
 * its shared libraries (libXtst on Linux) are missing.
 */
export function loadLibnut(platform: string): Libnut {
  const cached = cache.get(platform);
  if (cached) return cached;
  const name = PACKAGE[platform];
  if (!name) throw new Error(`libnut has no binding for ${platform}`);
  const fromHere = createRequire(import.meta.url);
  const fromNut = createRequire(fromHere.resolve('@nut-tree-fork/nut-js'));
  const fromLibnut = createRequire(fromNut.resolve('@nut-tree-fork/libnut'));
  const lib = fromLibnut(name) as Libnut;
  lib.setMouseDelay(0);
  lib.setKeyboardDelay(0);
  cache.set(platform, lib);
  return lib;
}
