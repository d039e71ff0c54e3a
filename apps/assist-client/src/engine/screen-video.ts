import type { CaptureBackend } from '@beckon/capture';
import { WRTC_SEND_TRIALS, type RtcImplementation } from '@beckon/session';
import { ScreenStreamer, type VideoSourceLike } from './screen-streamer.ts';
import { setWrtcFieldTrials, type FieldTrialsResult } from './wrtc-field-trials.ts';

/**
 * The engine's screen video: an X11 grab fed into a wrtc video source. Both
 * hosts that send it share this: the headless client (HostSession) and the
 * Electron client where the grab exists (EngineMedia, in its main process).
 */

/** `@roamhq/wrtc`: the peer connection and its nonstandard video source. */
export type EngineWrtc = RtcImplementation & {
  nonstandard: { RTCVideoSource: new (init?: { isScreencast?: boolean }) => VideoSourceLike };
};

/**
 * 30, not the renderer path's 60: wrtc's software VP8 encoder, not the grab
 * (~0.5 ms with MIT-SHM), is the cost, and on 2 cores 60 fps measured slower
 * glass to glass (bench/glass: p50 28 ms at 30 fps, 32–44 ms at 60).
 */
export const ENGINE_FPS = 30;

/**
 * The screen is screen content to the encoder (libwebrtc's screenshare mode, as a
 * browser's getDisplayMedia track is): VP8 spends fewer bytes on text and windows,
 * and encodes faster. bench/glass, headless host → web console: office work
 * 109–112 → 76–80 KB/s, flip → received on loopback 8.0 → 6.8 ms. The cost: a
 * still screen sends 13–14 KB/s instead of 2 (the renderer path, a browser's
 * screen track, sends 18), padding that keeps the bandwidth estimate up.
 */
const SCREEN_SOURCE = { isScreencast: true } as const;

/** Once per process, before the first peer: how wrtc sends (WRTC_SEND_TRIALS). */
let sendTrials: FieldTrialsResult | null = null;

/**
 * Playout delay 0 in the host's RTP: a web console then shows each frame once
 * decoded instead of holding it in its jitter buffer (wrtc-field-trials.ts);
 * and each picture's packets leave in one burst (video-tuning.ts). Logged once.
 */
export function applySendTrials(log: (line: string) => void): void {
  if (sendTrials) return;
  sendTrials = setWrtcFieldTrials(WRTC_SEND_TRIALS);
  log(
    sendTrials.applied
      ? 'video: playout delay 0 and burst pacing, consoles show each frame once decoded'
      : `video: consoles will buffer this host's frames: ${sendTrials.reason}`,
  );
}

/** A streamer of `backend`'s screen; it grabs nothing until `start`. */
export function engineScreen(
  backend: CaptureBackend,
  wrtc: EngineWrtc,
  fps: number,
  log: (line: string) => void,
): ScreenStreamer {
  return new ScreenStreamer(backend, new wrtc.nonstandard.RTCVideoSource(SCREEN_SOURCE), {
    fps,
    onError: (err) => log(`capture failed: ${(err as Error).message}`),
  });
}
