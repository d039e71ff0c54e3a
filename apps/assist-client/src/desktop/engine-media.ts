import type { CaptureBackend } from '@beckon/capture';
import type { DataChannelMessage, SignalData } from '@beckon/protocol';
import { Emitter, Peer } from '@beckon/session';
import type { ScreenStreamer } from '../engine/screen-streamer.ts';
import { applySendTrials, engineScreen, ENGINE_FPS, type EngineWrtc } from '../engine/screen-video.ts';
import type { HostStart } from '../shared/ipc.ts';
import type { HostMedia, HostMediaEvents } from './host-media.ts';

export interface EngineMediaOptions {
  backend: CaptureBackend;
  wrtc: EngineWrtc;
  log?: (line: string) => void;
}

interface Current {
  session: number;
  peer: Peer;
  streamer: ScreenStreamer | null;
}

/**
 * The Electron client's media where the engine's X11 grab exists: the peer
 * (wrtc) and the screen (the DAMAGE-driven grab the headless client sends)
 * run in main, not in the host window. Why: Chromium's X11 capturer grabs on
 * a 60 Hz timer whatever changed, and bench/glass measured that path 7–8 ms
 * slower glass to glass than the engine's, on every network condition, and
 * more bytes for office work (103 against 76 KB/s). Chromium still draws the
 * windows; it no longer carries the screen.
 *
 * The same rule as the host window's: a session's peer exists only from
 * `start` (after the person's Allow), and nothing is grabbed until the
 * verification exchange has passed (before it, the far end may be someone
 * between the peers). Messages go to DesktopHost, which checks them as it
 * checks the window's.
 */
export class EngineMedia extends Emitter<HostMediaEvents> implements HostMedia {
  readonly frameRate = ENGINE_FPS;
  private readonly opts: EngineMediaOptions;
  private readonly log: (line: string) => void;
  private current: Current | null = null;

  constructor(opts: EngineMediaOptions) {
    super();
    this.opts = opts;
    this.log = opts.log ?? (() => {});
    applySendTrials(this.log);
  }

  start(start: HostStart): void {
    this.end();
    const { session } = start;
    const { backend, wrtc } = this.opts;
    const live = () => this.current?.session === session;
    const streamer = start.view ? engineScreen(backend, wrtc, start.maxFrameRate, this.log) : null;
    const peer = new Peer({
      initiator: false,
      wrtc,
      iceServers: [...start.iceServers],
      iceTransportPolicy: start.iceTransportPolicy,
      videoTrack: streamer?.track ?? null,
      onSignal: (data) => live() && this.emit('signal', session, data),
    });
    this.current = { session, peer, streamer };
    if (streamer) {
      const display = backend.displays()[0];
      this.emit('capture', session, {
        ok: true,
        width: display?.bounds.width ?? 0,
        height: display?.bounds.height ?? 0,
        label: display?.name.slice(0, 256) ?? 'screen',
      });
    }
    peer.on('connected', ({ relayed }) => {
      void peer.verificationCode().then(
        (verificationCode) => {
          if (!live()) return;
          streamer?.start();
          this.emit('peer', session, { state: 'connected', relayed, verificationCode });
        },
        (err: Error) =>
          live() && this.emit('peer', session, { state: 'unverified', reason: err.message.slice(0, 1000) }),
      );
    });
    peer.on('disconnected', () => live() && this.emit('peer', session, { state: 'disconnected' }));
    peer.on('failed', () => live() && this.emit('peer', session, { state: 'failed' }));
    peer.on('closed', () => live() && this.emit('peer', session, { state: 'closed' }));
    peer.on('message', (message, label) => live() && this.emit('message', session, label, message));
    peer.on('invalid', (bad) => this.log(`dropped an invalid message from the agent: ${bad.reason}`));
    peer.on('error', (err) => this.log(err.message));
  }

  signal(session: number, data: SignalData): void {
    if (this.current?.session === session) this.current.peer.signal(data);
  }

  send(session: number, message: DataChannelMessage): void {
    if (this.current?.session === session) void this.current.peer.sendMessage(message);
  }

  stop(session: number): void {
    if (this.current?.session === session) this.end();
  }

  /** Frames handed to the encoder in the current session (0 without one). */
  get framesSent(): number {
    return this.current?.streamer?.framesSent ?? 0;
  }

  private end(): void {
    const cur = this.current;
    if (!cur) return;
    this.current = null;
    cur.streamer?.close();
    cur.peer.close();
  }
}
