// One interface for screen capture, input injection and system information;
// one backend per OS. Only types and backend selection live here for now: the
// real backends (nut-js input, OS capture, systeminformation) come later.

/** A rectangle in virtual-desktop pixels. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Display {
  /** Stable while the display stays attached. */
  readonly id: string;
  readonly name: string;
  readonly bounds: Rect;
  /** Device pixels per logical pixel. */
  readonly scaleFactor: number;
  readonly primary: boolean;
}

/** One captured frame: `width * height * 4` bytes, row-major RGBA, no padding. */
export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export type PointerButton = 'left' | 'middle' | 'right';

/**
 * Input injected on the captured computer. Pointer coordinates are pixels of
 * the given display's frames, (0, 0) at its top-left corner. Keys are named by
 * `KeyboardEvent.code` (e.g. `KeyA`, `ShiftLeft`, `Enter`), which does not
 * depend on the keyboard layout.
 */
export interface InputInjector {
  pointerMove(displayId: string, x: number, y: number): Promise<void>;
  pointerButton(button: PointerButton, pressed: boolean): Promise<void>;
  /** Scroll by wheel steps; positive `dy` scrolls down, positive `dx` right. */
  wheel(dx: number, dy: number): Promise<void>;
  keyDown(code: string): Promise<void>;
  keyUp(code: string): Promise<void>;
  /** Types text as characters, independent of the keyboard layout. */
  typeText(text: string): Promise<void>;
}

export interface DiskInfo {
  readonly mount: string;
  readonly sizeBytes: number;
  readonly usedBytes: number;
}

/** What "system information" shows about the computer. */
export interface SystemInfoSnapshot {
  readonly hostname: string;
  readonly os: {
    readonly platform: string;
    readonly distro: string;
    readonly release: string;
    readonly arch: string;
  };
  readonly cpu: { readonly model: string; readonly cores: number };
  readonly memory: { readonly totalBytes: number };
  readonly disks: readonly DiskInfo[];
  readonly uptimeSeconds: number;
}

/** One reading of live CPU / RAM / storage monitoring. */
export interface LiveSample {
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** Whole-machine CPU load, 0 to 100. */
  readonly cpuPercent: number;
  readonly memoryUsedBytes: number;
  readonly memoryTotalBytes: number;
  readonly disks: readonly DiskInfo[];
}

export interface LiveSampler {
  /** Calls `listener` every `intervalMs` until the returned stop function is called. */
  start(intervalMs: number, listener: (sample: LiveSample) => void): () => void;
}

export interface CaptureBackend {
  /** Which backend this is, e.g. `linux-x11`. */
  readonly name: string;
  displays(): Promise<readonly Display[]>;
  grabFrame(displayId: string): Promise<Frame>;
  readonly input: InputInjector;
  systemInfo(): Promise<SystemInfoSnapshot>;
  readonly sampler: LiveSampler;
}

export type BackendError =
  | { readonly code: 'unsupported_platform'; readonly message: string }
  | { readonly code: 'not_implemented'; readonly message: string };

export type BackendSelection =
  | { readonly ok: true; readonly backend: CaptureBackend }
  | { readonly ok: false; readonly error: BackendError };

/** The platforms a backend is planned for (`process.platform` values). */
export const SUPPORTED_PLATFORMS = ['linux', 'win32', 'darwin'] as const;

export type SupportedPlatform = (typeof SUPPORTED_PLATFORMS)[number];

export function isSupportedPlatform(platform: string): platform is SupportedPlatform {
  return (SUPPORTED_PLATFORMS as readonly string[]).includes(platform);
}

/** The backend for `platform` (usually `process.platform`). */
export function selectBackend(platform: string): BackendSelection {
  if (!isSupportedPlatform(platform)) {
    return {
      ok: false,
      error: {
        code: 'unsupported_platform',
        message: `screen capture is not available on "${platform}": supported platforms are ${SUPPORTED_PLATFORMS.join(', ')}`,
      },
    };
  }
  return {
    ok: false,
    error: {
      code: 'not_implemented',
      message: `the ${platform} capture backend is not implemented yet`,
    },
  };
}
