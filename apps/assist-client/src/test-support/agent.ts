import type { BrokerSignalMessage, DataChannelMessage, RemotePermission } from '@beckon/protocol';
import { Peer, SignalingClient, signalProtocols, signalUrl, type RtcImplementation } from '@beckon/session';

type Wrtc = RtcImplementation & {
  nonstandard: {
    RTCVideoSink: new (track: MediaStreamTrack) => {
      onframe: ((e: { frame: { width: number; height: number; data: Uint8Array } }) => void) | null;
      stop(): void;
    };
  };
};

/**
 * A Node agent for tests: the agent side of a session on real parts (the
 * broker's signaling, a wrtc peer), receiving the host's real video frames.
 */
export class TestAgent {
  readonly messages: BrokerSignalMessage[] = [];
  readonly received: DataChannelMessage[] = [];
  readonly signaling: SignalingClient<'agent'>;
  peer: Peer | null = null;
  lastFrame: { width: number; height: number; data: Uint8Array } | null = null;
  frames = 0;
  private readonly wrtc: Wrtc;
  private sink: { stop(): void } | null = null;

  constructor(brokerUrl: string, token: string, requestId: string, wrtc: unknown) {
    this.wrtc = wrtc as Wrtc;
    this.signaling = new SignalingClient({
      role: 'agent',
      connect: async () => ({
        url: signalUrl(brokerUrl, { request: requestId }),
        protocols: signalProtocols(token),
      }),
    });
    this.signaling.on('message', (m) => this.onBroker(m));
  }

  start(): Promise<void> {
    this.signaling.start();
    return this.next('welcome').then(() => {});
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
    this.signaling.send({ type: 'connect', permissions });
    return mark;
  }

  private onBroker(m: BrokerSignalMessage): void {
    this.messages.push(m);
    if (m.type === 'consent_result' && m.granted) this.openPeer();
    if (m.type === 'signal') this.peer?.signal(m.data);
    if (m.type === 'session_ended') this.closePeer();
  }

  private openPeer(): void {
    this.closePeer();
    const peer = new Peer({
      initiator: true,
      wrtc: this.wrtc,
      iceServers: this.signaling.welcome?.iceServers ?? [],
      onSignal: (data) => this.signaling.send({ type: 'signal', data }),
    });
    this.peer = peer;
    peer.on('connected', ({ relayed }) =>
      this.signaling.send({ type: 'peer_state', state: 'connected', relayed }),
    );
    peer.on('message', (m) => this.received.push(m));
    peer.on('stream', (_stream, track) => {
      const sink = new this.wrtc.nonstandard.RTCVideoSink(track);
      sink.onframe = ({ frame }) => {
        this.frames++;
        this.lastFrame = { width: frame.width, height: frame.height, data: frame.data };
      };
      this.sink = sink;
    });
  }

  /** Waits until the peer is connected. */
  async connected(timeoutMs = 20_000): Promise<Peer> {
    const end = Date.now() + timeoutMs;
    while (this.peer?.state !== 'connected') {
      if (Date.now() > end) throw new Error('agent: peer did not connect');
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.peer;
  }

  send(message: DataChannelMessage): boolean {
    return this.peer?.sendMessage(message) ?? false;
  }

  closePeer(): void {
    this.sink?.stop();
    this.sink = null;
    this.peer?.close();
    this.peer = null;
  }

  close(): void {
    this.closePeer();
    this.signaling.close();
  }
}
