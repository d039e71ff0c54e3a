import type { CaptureBackend } from '@beckon/capture';

/** The part of `@roamhq/wrtc`'s nonstandard API the streamer needs. */
export interface VideoSourceLike {
  createTrack(): MediaStreamTrack;
  onFrame(frame: { width: number; height: number; data: Uint8Array }): void;
}

/**
 * With change events, an unchanged screen is still sent this often (a lost
 * frame heals; NACK and keyframe requests heal most losses before that).
 * Each repeat of an unchanged screen is not free: the encoder spends it on
 * refining the picture. bench/glass's bandwidth bench (office work: typing,
 * scrolling, moving a window, host to web console): 250 ms sent 92–102 KB/s,
 * 1000 ms 43 KB/s, and a still screen 7.1 → 4.8 KB/s; changes are grabbed at
 * once either way, so the glass-to-glass latency does not depend on it.
 */
export const KEEPALIVE_MS = 1000;

/**
 * Grabs the screen and feeds a WebRTC video track. It exists only after the
 * person allowed viewing, and grabs only between `start` and `stop`: no frame
 * is captured or sent outside a consented, connected session.
 */
export class ScreenStreamer {
  readonly track: MediaStreamTrack;
  private readonly source: VideoSourceLike;
  private readonly backend: CaptureBackend;
  private readonly intervalMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private ticking = false;
  /** A change was reported since the last grab started: the next grab is for it (not a keep-alive). */
  private changePending = false;
  /** When the last grab for a change started: only those count against the frame rate. */
  private lastChangeAt = -Infinity;
  private nextAt = Infinity;
  /** Time between grabs while nothing reports a change: the interval, or the keep-alive with change events. */
  private idleMs: number;
  private frames = 0;
  /** Reused between frames: wrtc copies a frame into its own buffer inside onFrame. */
  private buffer: Uint8Array | undefined;
  private onError: (err: unknown) => void;
  private readonly keepAliveMs: number;

  constructor(
    backend: CaptureBackend,
    source: VideoSourceLike,
    options: { fps?: number; keepAliveMs?: number; onError?: (err: unknown) => void } = {},
  ) {
    this.backend = backend;
    this.source = source;
    this.track = source.createTrack();
    this.intervalMs = 1000 / (options.fps ?? 30);
    this.idleMs = this.intervalMs;
    this.keepAliveMs = options.keepAliveMs ?? KEEPALIVE_MS;
    this.onError = options.onError ?? (() => {});
  }

  /** Frames handed to the encoder since creation. */
  get framesSent(): number {
    return this.frames;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.tick();
    // With change events a drawing is grabbed at once (no wait for the next
    // tick: half an interval on average, bench/glass), and an unchanged screen
    // is sent only as a keep-alive, not at the full rate.
    void this.backend.watchScreen?.(this.changed).then((watching) => {
      if (watching && this.running) this.idleMs = Math.max(this.intervalMs, this.keepAliveMs);
    });
  }

  private readonly changed = (): void => {
    if (!this.running) return;
    this.changePending = true;
    // A change reported during a grab may be newer than what the grab read, and
    // the X server reports no further change until the next grab rearms it:
    // dropping it froze the picture until the keep-alive (1 s gaps in bench/glass).
    // The grab's end schedules it.
    if (this.ticking) return;
    // A keep-alive just before does not hold a change back: with it counted, a
    // flip that came within a frame interval after one waited up to 33 ms (the
    // loopback p99 of bench/glass).
    const at = Math.max(performance.now(), this.lastChangeAt + this.intervalMs);
    if (at < this.nextAt) this.schedule(at);
  };

  private schedule(at: number): void {
    clearTimeout(this.timer);
    this.nextAt = at;
    this.timer = setTimeout(() => void this.tick(), Math.max(0, at - performance.now()));
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    const t0 = performance.now();
    this.ticking = true;
    const forChange = this.changePending;
    if (forChange) this.lastChangeAt = t0;
    this.changePending = false;
    this.nextAt = Infinity;
    try {
      // Straight to I420 (on X11 with MIT-SHM: from shared memory through the
      // C converter), refilling the previous frame's buffer.
      const frame = await this.backend.grabI420(undefined, this.buffer);
      if (!this.running) return;
      this.buffer = frame.data;
      this.source.onFrame(frame);
      this.frames++;
    } catch (err) {
      this.onError(err);
    } finally {
      this.ticking = false;
    }
    if (!this.running) return;
    // Scheduled from the frame's start so capture time does not lower the rate.
    // A change reported during the grab goes at the frame rate, the rest at the idle
    // pace; but a change's picture is followed by one more, a frame interval later,
    // even when nothing else changed (a trailing frame). A change's picture is often
    // one or two packets, and when they are lost the receiver cannot ask for them
    // again until a later packet shows the gap: without a trailing frame that was the
    // keep-alive, a second later (bench/glass, broadband with 0.5 % loss: p99 1.08 s).
    // With it NACK heals the loss a frame interval and a round trip later.
    // (Without change events every grab is at the frame rate already.)
    const trailing = forChange && this.idleMs > this.intervalMs;
    const at = this.changePending || trailing ? this.lastChangeAt + this.intervalMs : t0 + this.idleMs;
    this.schedule(Math.max(at, performance.now() + 1));
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    void this.backend.watchScreen?.(undefined);
  }

  /** Ends the track for good (the session is over). */
  close(): void {
    this.stop();
    this.track.stop();
  }
}
