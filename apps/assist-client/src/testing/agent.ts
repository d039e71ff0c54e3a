import type { BrokerSignalMessage, DataChannelMessage, RemotePermission } from '@beckon/protocol';
import { AgentSession, type Peer, type RtcImplementation, type WebSocketConstructor } from '@beckon/session';

type Wrtc = RtcImplementation & {
  nonstandard: {
    RTCVideoSink: new (track: MediaStreamTrack) => {
      onframe: ((e: { frame: { width: number; height: number; data: Uint8Array } }) => void) | null;
      stop(): void;
    };
  };
};

/**
 * A Node agent for tests: the console's own `AgentSession` on wrtc, plus a
 * video sink so a test can look at the host's real frames.
 */
export class TestAgent {
  readonly messages: BrokerSignalMessage[] = [];
  readonly received: DataChannelMessage[] = [];
  readonly problems: string[] = [];
  readonly session: AgentSession;
  lastFrame: { width: number; height: number; data: Uint8Array } | null = null;
  frames = 0;
  private sink: { stop(): void } | null = null;
  private liveInfo: { relayed: boolean; verificationCode: string } | null = null;

  constructor(
    brokerUrl: string,
    token: string,
    requestId: string,
    wrtc: unknown,
    policy: 'all' | 'relay' = 'all',
    WebSocket?: WebSocketConstructor,
  ) {
    const w = wrtc as Wrtc;
    this.session = new AgentSession({
      brokerUrl,
      requestId,
      token,
      wrtc: w,
      iceTransportPolicy: policy,
      WebSocket,
    });
    this.session.signaling.on('message', (m) => this.messages.push(m));
    this.session.on('message', (m) => this.received.push(m));
    this.session.on('problem', (p) => this.problems.push(p));
    this.session.on(
      'live',
      ({ relayed, verificationCode }) => (this.liveInfo = { relayed, verificationCode }),
    );
    this.session.on('ended', () => this.stopSink());
    this.session.on('stream', (_stream, track) => {
      this.stopSink();
      const sink = new w.nonstandard.RTCVideoSink(track);
      sink.onframe = ({ frame }) => {
        this.frames++;
        this.lastFrame = { width: frame.width, height: frame.height, data: frame.data };
      };
      this.sink = sink;
    });
  }

  get peer(): Peer | null {
    return this.session.peer;
  }

  start(): Promise<unknown> {
    this.session.start();
    return this.next('welcome');
  }

  signalingOpen(): boolean {
    return this.session.signaling.state === 'open';
  }

  /** Resolves with the first frame of `type` after index `after`. */
  async next<T extends BrokerSignalMessage['type']>(type: T, after = 0, timeoutMs = 20_000) {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.slice(after).find((m) => m.type === type);
      if (found) return found as Extract<BrokerSignalMessage, { type: T }>;
      if (Date.now() > end) throw new Error(`agent: no '${type}' within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  connect(permissions: RemotePermission[]): number {
    const mark = this.messages.length;
    this.session.connect(permissions);
    return mark;
  }

  /** Waits until the peer is connected and the verification code is known. */
  async live(timeoutMs = 20_000): Promise<{ relayed: boolean; verificationCode: string }> {
    const end = Date.now() + timeoutMs;
    while (!this.liveInfo || this.session.phase !== 'live') {
      if (Date.now() > end) throw new Error(`agent: not live (${this.problems.join('; ')})`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.liveInfo;
  }

  async connected(timeoutMs = 20_000): Promise<Peer> {
    await this.live(timeoutMs);
    return this.session.peer!;
  }

  send(message: DataChannelMessage): boolean {
    return this.session.send(message);
  }

  endSession(): void {
    this.session.endSession();
  }

  private stopSink(): void {
    this.sink?.stop();
    this.sink = null;
  }

  close(): void {
    this.stopSink();
    this.session.close();
  }
}
