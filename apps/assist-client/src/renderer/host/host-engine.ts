import { startBrowserCapture, type BrowserCapture } from '@beckon/capture/browser';
import type { SignalData } from '@beckon/protocol';
import { capScreenBitrate, Peer } from '@beckon/session';
import type { HostApi, HostStart } from '../../shared/ipc.ts';

interface Current {
  session: number;
  peer: Peer | null;
  capture: BrowserCapture | null;
  /** Signals that came while the screen capture was starting: applied once the peer exists. */
  pending: SignalData[];
  ended: boolean;
}

/**
 * The host window's engine: the fast path of a session the person allowed.
 * The screen comes from getDisplayMedia (main's handler grants it only
 * during such a session, video only, whole screen) and goes out through
 * Chromium's WebRTC stack. Everything the peer receives is handed to main
 * untouched, where the permission checks, input, files and system
 * information live; this window can do nothing with it on its own.
 */
export class HostEngine {
  private readonly api: HostApi;
  private readonly mediaDevices: MediaDevices | undefined;
  private current: Current | null = null;

  constructor(api: HostApi, mediaDevices: MediaDevices | undefined) {
    this.api = api;
    this.mediaDevices = mediaDevices;
  }

  /** Listens to main, then tells it this window is ready. */
  bind(): void {
    this.api.onStart((start) => void this.start(start));
    this.api.onSignal(({ session, data }) => this.signal(session, data));
    this.api.onSend(({ session, message }) => {
      if (this.current?.session === session) this.current.peer?.sendMessage(message);
    });
    this.api.onStop(({ session }) => {
      if (this.current?.session === session) this.end();
    });
    void this.api.ready();
  }

  get session(): number | null {
    return this.current?.session ?? null;
  }

  private async start(start: HostStart): Promise<void> {
    this.end();
    const cur: Current = { session: start.session, peer: null, capture: null, pending: [], ended: false };
    this.current = cur;
    const { api } = this;
    const session = start.session;
    if (start.view) {
      try {
        cur.capture = await startBrowserCapture(this.mediaDevices, {
          maxFrameRate: start.maxFrameRate,
          preferMonitor: true,
        });
      } catch (err) {
        void api.capture(session, { ok: false, reason: err instanceof Error ? err.message : String(err) });
      }
      if (cur.ended) {
        cur.capture?.stop();
        return;
      }
      if (cur.capture) {
        // A screen is text and fine lines: Chromium keeps the resolution and gives up frame rate instead.
        cur.capture.track.contentHint = 'detail';
        const { width, height, label } = cur.capture.surface;
        void api.capture(session, { ok: true, width, height, label: label.slice(0, 256) });
        cur.capture.onEnded(() => {
          if (!cur.ended) void api.capture(session, { ok: false, reason: 'screen sharing ended' });
        });
      }
    }
    // Black frames until the verification exchange has passed: before it, the far end may be
    // someone between the peers (verification.ts), and a disabled track shows them nothing.
    if (cur.capture) cur.capture.track.enabled = false;
    const peer = new Peer({
      initiator: false,
      iceServers: [...start.iceServers],
      iceTransportPolicy: start.iceTransportPolicy,
      videoTrack: cur.capture?.track ?? null,
      onSignal: (data) => void api.signal(session, data),
    });
    cur.peer = peer;
    peer.on('connected', ({ relayed }) => {
      void peer.verificationCode().then(
        (verificationCode) => {
          if (cur.ended) return;
          if (cur.capture) {
            cur.capture.track.enabled = true;
            const { width, height } = cur.capture.surface;
            // A failed cap leaves the encoder at its own rate: a costlier stream, not a broken one.
            capScreenBitrate(peer.connection, width, height).catch(() => {});
          }
          void api.peer(session, { state: 'connected', relayed, verificationCode });
        },
        (err: Error) => void api.peer(session, { state: 'unverified', reason: err.message.slice(0, 1000) }),
      );
    });
    peer.on('disconnected', () => void api.peer(session, { state: 'disconnected' }));
    peer.on('failed', () => void api.peer(session, { state: 'failed' }));
    peer.on('closed', () => void api.peer(session, { state: 'closed' }));
    peer.on('message', (message, label) => void api.message(session, label, message));
    for (const data of cur.pending.splice(0)) peer.signal(data);
  }

  private signal(session: number, data: SignalData): void {
    const cur = this.current;
    if (!cur || cur.session !== session) return;
    if (cur.peer) cur.peer.signal(data);
    else cur.pending.push(data);
  }

  /** Ends the session's peer and capture: nothing is sent after this. */
  end(): void {
    const cur = this.current;
    if (!cur) return;
    this.current = null;
    cur.ended = true;
    cur.capture?.stop();
    cur.peer?.close();
  }
}
