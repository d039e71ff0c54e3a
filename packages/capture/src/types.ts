import type { Modifiers, MonitorSample } from '@beckon/protocol';

// The one interface every capture backend implements. The assist client picks
// a backend once at start (`selectBackend`) and then only talks to this shape,
// so the session code never branches on the operating system.

/** A rectangle in the backend's pointer coordinate space (logical pixels). */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Display {
  /** Stable while the display stays attached, e.g. `x11::99`. */
  readonly id: string;
  readonly name: string;
  /** Where the display sits on the virtual desktop, in logical pixels. */
  readonly bounds: Rect;
  /** Frame pixels per logical pixel (2 on a Retina Mac, 1 on X11). */
  readonly scaleFactor: number;
  readonly primary: boolean;
}

/**
 * The byte order of one pixel in memory. X11, Windows and macOS all hand out
 * `bgra`; converting straight from it avoids a swap pass per frame.
 */
export type PixelFormat = 'bgra' | 'rgba';

/** One captured frame, `stride` bytes per row (at least `width * 4`). */
export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly stride: number;
  readonly format: PixelFormat;
  readonly data: Uint8Array;
}

/**
 * A planar I420 frame as `@roamhq/wrtc`'s `RTCVideoSource.onFrame` takes it:
 * Y (`width * height`), then U and V (`width/2 * height/2` each). Width and
 * height are even. `data` is a Uint8Array because that is what wrtc's typings
 * declare (its runtime takes a Uint8ClampedArray as well), so it passes as is.
 */
export interface I420Frame {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** How a backend captures, for logs and benches. */
export interface CaptureMethod {
  /**
   * `x11-shm`: MIT-SHM (the X server writes into shared memory); `x11-get-image`:
   * GetImage through the X socket; `libnut`: libnut's captureScreen.
   */
  readonly grab: 'x11-shm' | 'x11-get-image' | 'libnut';
  /** Who converts to I420 in `grabI420`: Beckon's C addon or the JS converter. */
  readonly convert: 'native' | 'js';
  /** Why a faster path is not in use, when one is not. */
  readonly fallback?: string | undefined;
}

export type PointerButton = 'left' | 'middle' | 'right';
export type KeyAction = 'down' | 'up';
export type { Modifiers };

/** What `typeText` managed: characters the host could not produce are counted, not thrown. */
export interface TypeTextResult {
  readonly typed: number;
  readonly skipped: number;
}

/**
 * Input injected on the captured computer. Pixel coordinates are frame pixels
 * of the given display, (0, 0) at its top-left corner; without a display id the
 * primary display is meant. Keys are named by `KeyboardEvent.code` (`KeyA`,
 * `ShiftLeft`, `Enter`): the physical key, so the host's own layout decides the
 * character, as with a keyboard plugged into it.
 *
 * Every promise resolves once the host's input system has processed the event,
 * so awaiting calls in order keeps them in order. Pointer moves are done before
 * the call returns: they are the latency-critical path.
 */
export interface InputInjector {
  pointerMove(x: number, y: number, displayId?: string): Promise<void>;
  /** Normalized 0..1 coordinates as on the data channel (the convention is `pointer-coords.ts` in @beckon/protocol). */
  pointerMoveNormalized(nx: number, ny: number, displayId?: string): Promise<void>;
  pointerButton(button: PointerButton, action: KeyAction): Promise<void>;
  /** Wheel steps (notches); positive `dy` scrolls down, positive `dx` right. */
  wheel(dx: number, dy: number): Promise<void>;
  /** Whether `code` can be pressed on this host (known code, present in the keymap). */
  supportsKey(code: string): boolean;
  /**
   * Presses or releases the key `code`. With `modifiers`, first brings Shift,
   * Control, Alt and Meta to that state (a lost key-up on the agent's side
   * cannot leave a modifier stuck). Resolves false for an unknown code.
   */
  key(code: string, action: KeyAction, modifiers?: Modifiers): Promise<boolean>;
  /** Types text as characters, whatever the keyboard layout. */
  typeText(text: string): Promise<TypeTextResult>;
  /** Releases every key and button this injector holds down (session end, permission loss). */
  releaseAll(): Promise<void>;
}

export interface MonitorOptions {
  readonly intervalMs: number;
  readonly onSample: (sample: MonitorSample) => void;
  readonly onError?: (error: unknown) => void;
}

export interface Monitor {
  stop(): void;
}

export type BackendName = 'linux-x11' | 'win32' | 'darwin';

export interface CaptureBackend {
  readonly name: BackendName;
  /** The attached displays; the primary one first. */
  displays(): readonly Display[];
  /**
   * Grabs the whole display. Pass the previous frame as `reuse` to have its
   * buffer overwritten instead of a new one allocated (no allocation, no GC
   * churn in a capture loop); without it every frame has its own buffer.
   */
  grab(displayId?: string, reuse?: Frame): Promise<Frame>;
  /**
   * Grabs the whole display as I420, the streaming path: on X11 with MIT-SHM
   * the pixels go from shared memory through the C converter into `out`
   * without a BGRA copy in JS memory. Pass the previous frame's `data` as
   * `out` to have it overwritten (it is when the size still matches).
   */
  grabI420(displayId?: string, out?: Uint8Array): Promise<I420Frame>;
  /**
   * Calls `listener` once the screen changes after the latest grab (X11: the
   * DAMAGE extension), so a streamer can grab at once instead of on its next
   * tick; undefined stops. Resolves false, or is absent, where nobody can tell.
   */
  watchScreen?(listener: (() => void) | undefined): Promise<boolean>;
  readonly captureMethod: CaptureMethod;
  readonly input: InputInjector;
  /** Releases held input and closes connections to the window system. */
  close(): Promise<void>;
}

export type BackendErrorCode = 'unsupported_platform' | 'display_unavailable' | 'native_module_unavailable';

export interface BackendError {
  readonly code: BackendErrorCode;
  readonly message: string;
}

export type BackendSelection =
  | { readonly ok: true; readonly backend: CaptureBackend }
  | { readonly ok: false; readonly error: BackendError };
