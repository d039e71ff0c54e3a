import type {
  BrokerSignalMessage,
  ConsentReason,
  DataChannelMessage,
  ErrorCode,
  HostKind,
  RemotePermission,
  SessionStatus,
} from '@beckon/protocol';
import { Emitter } from './emitter.ts';
import { Peer, type RtcImplementation } from './peer.ts';
import {
  SignalingClient,
  signalProtocols,
  signalUrl,
  type SignalingState,
  type WebSocketConstructor,
} from './signaling-client.ts';

export interface AgentSessionOptions {
  brokerUrl: string;
  requestId: string;
  /** A bearer token (desktop app, Node); a browser on the broker's origin signs in with its cookie. */
  token?: string;
  wrtc?: RtcImplementation;
  WebSocket?: WebSocketConstructor;
  iceTransportPolicy?: 'all' | 'relay';
}

export type AgentPhase = 'idle' | 'asking' | 'connecting' | 'live';

export type AgentSessionEvents = {
  signaling: [SignalingState];
  status: [SessionStatus];
  /** Whether the host is in the room. */
  client: [boolean];
  /** The present host's kind: `browser` is view only. */
  host: [HostKind];
  phase: [AgentPhase];
  consent: [{ granted: boolean; permissions: RemotePermission[] | null; reason: ConsentReason }];
  live: [{ relayed: boolean; verificationCode: string; peer: Peer }];
  stream: [MediaStream, MediaStreamTrack];
  message: [DataChannelMessage];
  ended: [{ reason: string }];
  /** The broker refused something (e.g. connect while the host is away). */
  refused: [{ code: ErrorCode; message: string }];
  /** A problem worth showing (a peer error, e.g. no TURN relay reachable). */
  problem: [string];
  /** Signaling closed for good (request over, or refused). */
  closed: [{ code: number; reason: string }];
};

/**
 * The agent's side of one request: the signaling socket, the Connect →
 * consent → peer sequence, and the peer while it lives. The console (browser)
 * and Node tests both drive sessions through this one class.
 */
export class AgentSession extends Emitter<AgentSessionEvents> {
  readonly signaling: SignalingClient<'agent'>;
  private readonly opts: AgentSessionOptions;
  private current: Peer | null = null;
  private phaseValue: AgentPhase = 'idle';
  private statusValue: SessionStatus | null = null;
  private hostPresent = false;
  private hostValue: HostKind | null = null;

  constructor(opts: AgentSessionOptions) {
    super();
    this.opts = opts;
    this.signaling = new SignalingClient({
      role: 'agent',
      WebSocket: opts.WebSocket,
      connect: async () => ({
        url: signalUrl(opts.brokerUrl, { request: opts.requestId }),
        protocols: signalProtocols(opts.token),
      }),
    });
    this.signaling.on('state', (s) => this.emit('signaling', s));
    this.signaling.on('message', (m) => this.onBroker(m));
    this.signaling.on('close', (c) => {
      // The broker may restart while the peers talk directly: only a final close ends the session.
      if (c.willReconnect) return;
      this.endPeer('signaling closed');
      this.emit('closed', { code: c.code, reason: c.reason });
    });
  }

  get phase(): AgentPhase {
    return this.phaseValue;
  }
  get status(): SessionStatus | null {
    return this.statusValue;
  }
  get hostConnected(): boolean {
    return this.hostPresent;
  }
  get peer(): Peer | null {
    return this.current;
  }
  /** The present host's kind, or null before one is known. */
  get host(): HostKind | null {
    return this.hostValue;
  }

  start(): void {
    this.signaling.start();
  }

  /** Asks the customer for consent to `permissions`; the answer arrives as a `consent` event. */
  connect(permissions: RemotePermission[]): boolean {
    // A browser host shows its screen and nothing more (UA2): asking for more would be refused.
    const asked: RemotePermission[] = this.hostValue === 'browser' ? ['view'] : permissions;
    const sent = this.signaling.send({ type: 'connect', permissions: asked });
    if (sent) this.setPhase('asking');
    return sent;
  }

  /** Sends on the channel the message belongs on; false when no session is live. */
  send(message: DataChannelMessage): boolean {
    return this.current?.sendMessage(message) ?? false;
  }

  /** Ends the remote session; the request stays open for another. */
  endSession(): void {
    this.current?.sendMessage({ type: 'stop', reason: 'ended by the agent' });
    this.signaling.send({ type: 'end_session' });
    this.endPeer('agent_ended');
  }

  close(): void {
    this.endPeer('closed');
    this.signaling.close();
  }

  private onBroker(m: BrokerSignalMessage): void {
    switch (m.type) {
      case 'welcome':
        // The host's kind first: Connect goes out on the status, and asks by it.
        if (m.peerHost) this.setHost(m.peerHost);
        // A question does not outlive its agent's socket (the room withdraws it): ask again.
        if (this.phaseValue === 'asking') this.setPhase('idle');
        this.setStatus(m.status);
        this.setHostPresent(m.peerPresent);
        // Back after a broker restart with the peer still up: the broker learns the session is live.
        if (this.current?.state === 'connected')
          this.signaling.send({ type: 'peer_state', state: 'connected' });
        // Back while still negotiating: what this side sent meanwhile may be lost.
        else if (m.peerPresent) this.resumeNegotiation();
        return;
      case 'status':
        return this.setStatus(m.status);
      case 'peer': {
        if (m.role !== 'assist') return;
        if (m.host) this.setHost(m.host);
        const returned = m.present && !this.hostPresent;
        this.setHostPresent(m.present);
        if (returned) this.resumeNegotiation();
        return;
      }
      case 'consent_result':
        this.emit('consent', { granted: m.granted, permissions: m.permissions, reason: m.reason });
        if (m.granted) this.openPeer();
        else this.setPhase('idle');
        return;
      case 'signal':
        this.current?.signal(m.data);
        return;
      case 'session_ended':
        this.endPeer(m.reason);
        return;
      case 'error':
        if (this.phaseValue === 'asking') this.setPhase('idle');
        this.emit('refused', { code: m.code, message: m.message });
        return;
      default:
        return;
    }
  }

  private openPeer(): void {
    this.endPeer('replaced', false);
    const peer = new Peer({
      initiator: true,
      wrtc: this.opts.wrtc,
      iceServers: this.signaling.welcome?.iceServers ?? [],
      iceTransportPolicy: this.opts.iceTransportPolicy ?? 'all',
      onSignal: (data) => this.signaling.send({ type: 'signal', data }),
    });
    this.current = peer;
    this.setPhase('connecting');
    peer.on('connected', ({ relayed }) => {
      if (this.current !== peer) return;
      this.signaling.send({ type: 'peer_state', state: 'connected', relayed });
      this.setPhase('live');
      void peer.verificationCode().then(
        (verificationCode) => this.emit('live', { relayed, verificationCode, peer }),
        () => this.emit('live', { relayed, verificationCode: '', peer }),
      );
    });
    peer.on('error', (err) => this.current === peer && this.emit('problem', err.message));
    peer.on('stream', (stream, track) => this.current === peer && this.emit('stream', stream, track));
    peer.on('message', (message) => {
      if (this.current !== peer) return;
      if (message.type === 'stop') return this.endPeer('stopped_by_user');
      this.emit('message', message);
    });
    peer.on('closed', () => {
      if (this.current !== peer) return;
      this.signaling.send({ type: 'peer_state', state: 'closed' });
      this.endPeer('peer_closed');
    });
  }

  /**
   * A signaling drop between the offer and the connection loses signals for
   * good: the broker refuses to relay to an absent host, and a host whose
   * socket died mid-frame never read them. Nothing else would notice, since
   * the ICE watchdog acts only on a connection that was up. Restarting ICE
   * here resends the pending offer with its candidates, then gathers fresh
   * candidates on both sides once it is answered.
   */
  private resumeNegotiation(): void {
    const peer = this.current;
    if (!peer || peer.state === 'connected' || peer.state === 'closed') return;
    peer.restartIce();
  }

  private endPeer(reason: string, announce = true): void {
    const peer = this.current;
    this.current = null;
    if (peer) {
      peer.close();
      if (announce) this.emit('ended', { reason });
    }
    this.setPhase('idle');
  }

  private setPhase(phase: AgentPhase): void {
    if (this.phaseValue === phase) return;
    this.phaseValue = phase;
    this.emit('phase', phase);
  }
  private setStatus(status: SessionStatus): void {
    this.statusValue = status;
    this.emit('status', status);
  }
  private setHost(host: HostKind): void {
    this.hostValue = host;
    this.emit('host', host);
  }
  private setHostPresent(present: boolean): void {
    this.hostPresent = present;
    this.emit('client', present);
  }
}
