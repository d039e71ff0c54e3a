import type { CaptureBackend } from '@beckon/capture';

/** The part of `@roamhq/wrtc`'s nonstandard API the streamer needs. */
export interface VideoSourceLike {
  createTrack(): MediaStreamTrack;
  onFrame(frame: { width: number; height: number; data: Uint8Array }): void;
}

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
  private frames = 0;
  /** Reused between frames: wrtc copies a frame into its own buffer inside onFrame. */
  private buffer: Uint8Array | undefined;
  private onError: (err: unknown) => void;

  constructor(
    backend: CaptureBackend,
    source: VideoSourceLike,
    options: { fps?: number; onError?: (err: unknown) => void } = {},
  ) {
    this.backend = backend;
    this.source = source;
    this.track = source.createTrack();
    this.intervalMs = 1000 / (options.fps ?? 30);
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
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    const t0 = performance.now();
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
    }
    if (!this.running) return;
    // Scheduled from the frame's start so capture time does not lower the rate.
    const wait = Math.max(1, this.intervalMs - (performance.now() - t0));
    this.timer = setTimeout(() => void this.tick(), wait);
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  /** Ends the track for good (the session is over). */
  close(): void {
    this.stop();
    this.track.stop();
  }
}
