/// <reference lib="dom" />
// Browser-side capture: the Electron renderer of the assist client and plain
// Chromium (browser-only, view-only sessions) share the screen through
// getDisplayMedia, with the browser's (or Electron's handler's) own picker.
// No Node imports here: this file runs in a renderer.

/** The parts of `navigator` the browser backend looks at. */
export interface NavigatorLike {
  readonly mediaDevices?: { readonly getDisplayMedia?: unknown } | undefined;
}

export interface BrowserCaptureSupport {
  /** `navigator.mediaDevices.getDisplayMedia` exists (screen sharing with the browser's own prompt). */
  readonly displayMedia: boolean;
  /** Browsers cannot inject input into the operating system. */
  readonly input: false;
}

export function browserCaptureSupport(nav: NavigatorLike | undefined): BrowserCaptureSupport {
  return { displayMedia: typeof nav?.mediaDevices?.getDisplayMedia === 'function', input: false };
}

/** What was shared, as far as the track's settings tell. */
export interface SharedSurface {
  /** `monitor`, `window` or `browser` (a tab); undefined where the browser does not say. */
  readonly displaySurface: string | undefined;
  readonly width: number;
  readonly height: number;
  readonly frameRate: number | undefined;
  /** The track's label, e.g. "screen:0:0" in Chromium. */
  readonly label: string;
}

export interface BrowserCapture {
  readonly stream: MediaStream;
  readonly track: MediaStreamTrack;
  readonly surface: SharedSurface;
  /** Called once when sharing ends: stopped here, or by the browser's own "Stop sharing". */
  onEnded(listener: () => void): void;
  stop(): void;
}

export interface BrowserCaptureOptions {
  /** Upper bound on the frame rate asked for (default 30). */
  readonly maxFrameRate?: number;
  /** Whether to prefer the whole screen in the picker (Chromium's `monitorTypeSurfaces`). */
  readonly preferMonitor?: boolean;
}

export type BrowserCaptureErrorCode = 'unsupported' | 'denied' | 'no_video';

export class BrowserCaptureError extends Error {
  readonly code: BrowserCaptureErrorCode;
  constructor(code: BrowserCaptureErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * Asks the user to share a screen (video only) and describes what was shared.
 * Rejects with `BrowserCaptureError`: `unsupported` without getDisplayMedia,
 * `denied` when the user or policy refused, `no_video` if no track came back.
 */
export async function startBrowserCapture(
  mediaDevices: MediaDevices | undefined = globalThis.navigator?.mediaDevices,
  options: BrowserCaptureOptions = {},
): Promise<BrowserCapture> {
  if (typeof mediaDevices?.getDisplayMedia !== 'function') {
    throw new BrowserCaptureError('unsupported', 'this browser cannot share the screen (no getDisplayMedia)');
  }
  const maxFrameRate = options.maxFrameRate ?? 30;
  const constraints: DisplayMediaStreamOptions & Record<string, unknown> = {
    video: { frameRate: { ideal: maxFrameRate, max: maxFrameRate } },
    audio: false,
  };
  if (options.preferMonitor) constraints.monitorTypeSurfaces = 'include';
  let stream: MediaStream;
  try {
    stream = await mediaDevices.getDisplayMedia(constraints);
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    const message = err instanceof Error ? err.message : String(err);
    throw new BrowserCaptureError(
      name === 'NotAllowedError' || name === 'AbortError' ? 'denied' : 'unsupported',
      `screen sharing failed: ${name ? `${name}: ` : ''}${message}`,
    );
  }
  const track = stream.getVideoTracks()[0];
  if (!track) {
    for (const t of stream.getTracks()) t.stop();
    throw new BrowserCaptureError('no_video', 'screen sharing returned no video track');
  }
  const settings = track.getSettings() as MediaTrackSettings & { displaySurface?: string };
  const surface: SharedSurface = {
    displaySurface: settings.displaySurface,
    width: settings.width ?? 0,
    height: settings.height ?? 0,
    frameRate: settings.frameRate,
    label: track.label,
  };
  const listeners: (() => void)[] = [];
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    for (const l of listeners.splice(0)) l();
  };
  track.addEventListener('ended', end);
  return {
    stream,
    track,
    surface,
    onEnded(listener) {
      if (ended) listener();
      else listeners.push(listener);
    },
    stop() {
      for (const t of stream.getTracks()) t.stop();
      // stop() does not fire "ended" on the track itself; tell listeners here.
      end();
    },
  };
}
