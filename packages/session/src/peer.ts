import type { DataChannelLabel, DataChannelMessage, IceServer, SignalData } from '@beckon/protocol';
import {
  CHANNEL_LABELS,
  CHANNEL_SPECS,
  channelForMessage,
  encodeChannelMessage,
  parseChannelMessage,
  waitForBufferedAmount,
  type InvalidMessage,
} from './channels.ts';
import { Emitter } from './emitter.ts';
import type { FileTransport } from './file-transfer-types.ts';
import { IceWatchdog, type IceRestartOptions } from './ice-watchdog.ts';
import { NO_RELAY_MESSAGE, watchRelayCandidates } from './relay-check.ts';
import { isRelayed, snapshotOf } from './stats.ts';
import { connectionFingerprints } from './verification.ts';
import { VerificationExchange, isVerifyMessage } from './verification-exchange.ts';
import { FingerprintPin } from './verification-pin.ts';
import { preferVideoCodecs } from './video-tuning.ts';

/**
 * Why not simple-peer: it destroys itself when ICE reaches `failed` (so an ICE
 * restart cannot follow), has no ICE-restart offer, asks for an answerer's
 * transceiver with a `transceiverRequest` signal the protocol does not carry,
 * and needs Node polyfills (buffer, readable-stream, events) in a browser
 * bundle. This class speaks simple-peer's signal format (the protocol's
 * `SignalData`) over a plain `RTCPeerConnection`, which browsers have and
 * `@roamhq/wrtc` provides in Node.
 */
export interface RtcImplementation {
  RTCPeerConnection: new (configuration?: RTCConfiguration) => RTCPeerConnection;
  MediaStream?: new (tracks?: MediaStreamTrack[]) => MediaStream;
  /** For the codecs the agent can receive (their order in its offer); without it the order is the stack's own. */
  RTCRtpReceiver?: { getCapabilities(kind: string): RTCRtpCapabilities | null };
}

export interface PeerOptions {
  /** The agent initiates: it makes every offer, so the two sides never glare. */
  initiator: boolean;
  /** Every outgoing signal; the app forwards it through the signaling client. */
  onSignal: (data: SignalData) => void;
  /** `@roamhq/wrtc` in Node; omitted in a browser, where the globals are used. */
  wrtc?: RtcImplementation;
  iceServers?: IceServer[];
  iceTransportPolicy?: 'all' | 'relay';
  /** Host only: the screen track to send (also settable later with `setVideoTrack`). */
  videoTrack?: MediaStreamTrack | null;
  /** Tuning for automatic ICE restarts, or false to leave restarts to the app. */
  iceRestart?: IceRestartOptions | false;
}

export type PeerState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

export type PeerEvents = {
  state: [PeerState];
  /** The connection and all three channels are up (again, after a restart). */
  connected: [{ relayed: boolean }];
  disconnected: [];
  failed: [];
  closed: [];
  message: [DataChannelMessage, DataChannelLabel];
  /** An incoming message that was dropped: too big, not JSON, off-schema or on the wrong channel. */
  invalid: [InvalidMessage];
  /** Agent side: the host's video arrived. */
  stream: [MediaStream, MediaStreamTrack];
  iceRestart: [{ attempt: number }];
  /** Something went wrong that did not end the peer (a bad remote description, for one). */
  error: [Error];
};

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/** A local ICE candidate as the protocol's signal (simple-peer's format). */
export function candidateSignal(c: RTCIceCandidate): SignalData {
  return {
    type: 'candidate',
    candidate: {
      candidate: c.candidate,
      sdpMid: c.sdpMid ?? null,
      sdpMLineIndex: c.sdpMLineIndex ?? null,
      usernameFragment: c.usernameFragment ?? null,
    },
  };
}

export class Peer extends Emitter<PeerEvents> {
  readonly initiator: boolean;
  /** The underlying connection, for what this class does not wrap. */
  readonly connection: RTCPeerConnection;
  private readonly onSignal: (data: SignalData) => void;
  private readonly MediaStreamImpl: (new (tracks?: MediaStreamTrack[]) => MediaStream) | undefined;
  private readonly channels = new Map<DataChannelLabel, RTCDataChannel>();
  private readonly watchdog: IceWatchdog | null;
  private readonly pendingCandidates: RTCIceCandidateInit[] = [];
  private readonly seenTracks = new Set<string>();
  private chain: Promise<void> = Promise.resolve();
  private currentState: PeerState = 'new';
  private videoTrack: MediaStreamTrack | null;
  private offerPending = false;
  /** The offer awaiting its answer, and the candidates sent since: what a resend repeats. */
  private pendingOffer: string | null = null;
  private offerCandidates: SignalData[] = [];
  private restartPending = false;
  private invalid = 0;
  private readonly pin = new FingerprintPin();
  private readonly verification: VerificationExchange;

  constructor(options: PeerOptions) {
    super();
    this.initiator = options.initiator;
    this.onSignal = options.onSignal;
    this.videoTrack = options.videoTrack ?? null;
    const PC = options.wrtc?.RTCPeerConnection ?? globalThis.RTCPeerConnection;
    if (!PC) throw new Error('no RTCPeerConnection: pass the wrtc option outside a browser');
    this.MediaStreamImpl = options.wrtc?.MediaStream ?? globalThis.MediaStream;
    const pc = new PC({
      iceServers: options.iceServers ?? [],
      iceTransportPolicy: options.iceTransportPolicy ?? 'all',
    });
    this.connection = pc;
    this.verification = new VerificationExchange({
      initiator: this.initiator,
      send: (message) => this.send('control', message),
      // The remote one is pinned (FingerprintPin), so they never change under the exchange.
      fingerprints: () => connectionFingerprints(pc, this.initiator),
      onError: (err) => this.emit('error', err),
    });

    for (const label of CHANNEL_LABELS) {
      const channel = pc.createDataChannel(label, CHANNEL_SPECS[label]);
      this.channels.set(label, channel);
      channel.onopen = () => void this.maybeConnected();
      channel.onmessage = (event: MessageEvent) => this.onChannelMessage(label, event.data);
      // Negotiated channels close only when the remote closed its connection
      // (or we did): either way this peer is over.
      channel.onclose = () => this.close();
    }
    pc.onicecandidate = (event) => {
      const c = event.candidate;
      if (!c?.candidate) return;
      const signal = candidateSignal(c);
      if (this.pendingOffer !== null) this.offerCandidates.push(signal);
      this.out(signal);
    };
    if (options.iceTransportPolicy === 'relay') {
      watchRelayCandidates(pc, () => this.emit('error', new Error(NO_RELAY_MESSAGE)));
    }
    pc.onconnectionstatechange = () => this.onConnectionState(pc.connectionState);
    pc.ontrack = (event) => this.onTrack(event);

    this.watchdog =
      options.iceRestart === false
        ? null
        : new IceWatchdog({
            ...options.iceRestart,
            onRestart: (attempt) => {
              this.emit('iceRestart', { attempt });
              // Only the initiator offers; the other side asks it to.
              if (this.initiator) this.restartIce();
              else this.out({ type: 'renegotiate', renegotiate: true });
            },
          });

    if (this.initiator) {
      // The agent always receives the screen: its offer carries the video
      // m-line the host answers into, so the host never needs to offer.
      const video = pc.addTransceiver('video', { direction: 'recvonly' });
      preferVideoCodecs(video, options.wrtc?.RTCRtpReceiver ?? globalThis.RTCRtpReceiver);
      this.enqueue(() => this.makeOffer(false));
    }
  }

  get state(): PeerState {
    return this.currentState;
  }

  /** Incoming messages dropped as invalid since the start. */
  get invalidMessages(): number {
    return this.invalid;
  }

  /** Feeds one signal from the remote peer (via the broker). */
  signal(data: SignalData): void {
    this.enqueue(() => this.handleSignal(data));
  }

  /**
   * Sends on the named channel. Returns false if the channel is not open; a
   * message that does not belong on that channel (a click on `pointer`) or
   * fails the schema throws, since that is a bug in the caller.
   */
  send(label: DataChannelLabel, message: DataChannelMessage): boolean {
    const text = encodeChannelMessage(label, message);
    const channel = this.channels.get(label);
    if (!channel || channel.readyState !== 'open') return false;
    channel.send(text);
    return true;
  }

  /** Sends on the channel the message type belongs to. */
  sendMessage(message: DataChannelMessage): boolean {
    return this.send(channelForMessage(message.type), message);
  }

  /** The `files` channel as the file transfer needs it. */
  filesTransport(): FileTransport {
    const label = 'files' as const;
    const channel = (): RTCDataChannel | undefined => this.channels.get(label);
    return {
      send: (message) => this.send(label, message),
      bufferedAmount: () => channel()?.bufferedAmount ?? 0,
      waitForBufferedAmount: (lowWater) => {
        const c = channel();
        return c ? waitForBufferedAmount(c, lowWater) : Promise.resolve();
      },
      onMessage: (listener) =>
        this.on('message', (message, from) => {
          if (from === label) listener(message);
        }),
      isOpen: () => channel()?.readyState === 'open',
      onClose: (listener) => this.on('closed', listener),
    };
  }

  /** Host side: the track to stream, or null to stop sending frames. */
  setVideoTrack(track: MediaStreamTrack | null): void {
    if (this.initiator) throw new Error('the initiator receives video; it does not send any');
    this.videoTrack = track;
    this.enqueue(() => this.applyVideoTrack(true));
  }

  /** Restarts ICE now (the initiator offers; the other side asks it to). */
  restartIce(): void {
    if (!this.initiator) {
      this.out({ type: 'renegotiate', renegotiate: true });
      return;
    }
    this.enqueue(() => this.makeOffer(true));
  }

  /**
   * The short code both people compare, once the exchange over `control` that
   * follows the first `connected` is done; both ends of one connection get the
   * same. Rejects (VerificationError) if the exchange fails, times out or the
   * peer closes first; the failure is also emitted as `error`.
   */
  verificationCode(): Promise<string> {
    return this.verification.code;
  }

  getStats(): Promise<RTCStatsReport> {
    return this.connection.getStats();
  }

  close(): void {
    if (this.currentState === 'closed') return;
    this.setState('closed');
    this.watchdog?.stop();
    this.verification.close();
    for (const channel of this.channels.values()) {
      channel.onclose = null;
      channel.onmessage = null;
      channel.close();
    }
    this.connection.onconnectionstatechange = null;
    this.connection.onicecandidate = null;
    this.connection.close();
    this.emit('closed');
  }

  private enqueue(task: () => Promise<void>): void {
    // Offers, answers and candidates must apply in order; one chain serializes them.
    this.chain = this.chain.then(async () => {
      if (this.currentState === 'closed') return;
      try {
        await task();
      } catch (err) {
        if (!this.isClosed()) this.emit('error', asError(err));
      }
    });
  }

  /** A method, not a field read, so TypeScript does not narrow it away across awaits. */
  private isClosed(): boolean {
    return this.currentState === 'closed';
  }

  private out(data: SignalData): void {
    if (this.currentState !== 'closed') this.onSignal(data);
  }

  private async makeOffer(iceRestart: boolean): Promise<void> {
    const pc = this.connection;
    if (pc.signalingState === 'have-local-offer' && iceRestart && this.pendingOffer) {
      // The offer may have been lost with the signaling connection: send it
      // again with its candidates (a host that did get it just answers again),
      // and restart once it is answered. Rolling it back instead would orphan
      // the negotiated channels of a first offer in libwebrtc.
      this.out({ type: 'offer', sdp: this.pendingOffer });
      for (const candidate of this.offerCandidates) this.out(candidate);
      this.offerPending = true;
      this.restartPending = true;
      return;
    }
    if (pc.signalingState !== 'stable') {
      this.offerPending = true;
      this.restartPending ||= iceRestart;
      return;
    }
    this.offerPending = false;
    this.restartPending = false;
    const offer = await pc.createOffer(iceRestart ? { iceRestart: true } : {});
    await pc.setLocalDescription(offer);
    this.pendingOffer = offer.sdp ?? '';
    this.offerCandidates = [];
    // The created description, not pc.localDescription: the latter may already
    // hold candidates, which trickle separately anyway.
    this.out({ type: 'offer', sdp: this.pendingOffer });
  }

  private async handleSignal(data: SignalData): Promise<void> {
    const pc = this.connection;
    switch (data.type) {
      case 'offer': {
        if (this.initiator) throw new Error('the initiator does not take offers');
        this.pin.admit(data.sdp, 'offer');
        await pc.setRemoteDescription({ type: 'offer', sdp: data.sdp });
        this.pin.pin(data.sdp);
        await this.flushCandidates();
        await this.applyVideoTrack(false);
        const answer = await pc.createAnswer();
        await pc.setLocalDescription(answer);
        this.out({ type: 'answer', sdp: answer.sdp ?? '' });
        return;
      }
      case 'answer': {
        if (!this.initiator || pc.signalingState !== 'have-local-offer') return;
        this.pin.admit(data.sdp, 'answer');
        await pc.setRemoteDescription({ type: 'answer', sdp: data.sdp });
        this.pin.pin(data.sdp);
        this.pendingOffer = null;
        this.offerCandidates = [];
        await this.flushCandidates();
        if (this.offerPending) await this.makeOffer(this.restartPending);
        return;
      }
      case 'candidate': {
        if (this.pin.refuses(data.candidate)) return;
        if (!pc.remoteDescription) {
          this.pendingCandidates.push(data.candidate);
          return;
        }
        await this.addCandidate(data.candidate);
        return;
      }
      case 'renegotiate': {
        if (!this.initiator) return;
        // A request while we think all is well is for media (the host's
        // track); one while we are not connected means the host lost us.
        const broken = pc.connectionState === 'disconnected' || pc.connectionState === 'failed';
        await this.makeOffer(broken);
        return;
      }
      default:
        return;
    }
  }

  private async flushCandidates(): Promise<void> {
    for (const candidate of this.pendingCandidates.splice(0)) await this.addCandidate(candidate);
  }

  private async addCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    try {
      await this.connection.addIceCandidate(candidate);
    } catch {
      // Candidates of an ICE generation a restart replaced are refused; that is expected.
    }
  }

  /** Puts the host's track on the video transceiver the agent's offer created. */
  private async applyVideoTrack(requestRenegotiation: boolean): Promise<void> {
    const transceiver = this.connection
      .getTransceivers()
      .find((t) => t.mid !== null && t.receiver.track.kind === 'video');
    if (!transceiver) return; // no offer yet: applied when it arrives
    await transceiver.sender.replaceTrack(this.videoTrack);
    if (this.videoTrack && transceiver.direction !== 'sendonly') {
      transceiver.direction = 'sendonly';
      if (requestRenegotiation) this.out({ type: 'renegotiate', renegotiate: true });
    }
  }

  private onTrack(event: RTCTrackEvent): void {
    if (this.seenTracks.has(event.track.id)) return;
    this.seenTracks.add(event.track.id);
    const stream =
      event.streams[0] ?? (this.MediaStreamImpl ? new this.MediaStreamImpl([event.track]) : undefined);
    if (stream) this.emit('stream', stream, event.track);
  }

  private onChannelMessage(label: DataChannelLabel, data: unknown): void {
    const parsed = parseChannelMessage(label, data);
    if (!parsed.ok) {
      this.invalid += 1;
      this.emit('invalid', parsed.invalid);
      return;
    }
    // The verification exchange is the peer's own business, never the app's.
    if (isVerifyMessage(parsed.value)) return this.verification.receive(parsed.value);
    this.emit('message', parsed.value, label);
  }

  private onConnectionState(state: RTCPeerConnectionState): void {
    if (this.currentState === 'closed') return;
    this.watchdog?.update(state);
    switch (state) {
      case 'connected':
        void this.maybeConnected();
        return;
      case 'disconnected':
        if (this.setState('disconnected')) this.emit('disconnected');
        return;
      case 'failed':
        if (this.setState('failed')) this.emit('failed');
        return;
      case 'closed':
        this.close();
        return;
      default:
        if (this.currentState === 'new') this.setState('connecting');
    }
  }

  /** Emits `connected` once the transport and every channel are up. */
  private async maybeConnected(): Promise<void> {
    if (this.connection.connectionState !== 'connected') return;
    for (const channel of this.channels.values()) if (channel.readyState !== 'open') return;
    if (this.currentState === 'connected') return;
    let relayed = false;
    try {
      relayed = isRelayed(snapshotOf(await this.connection.getStats())) ?? false;
    } catch {
      // Stats are a nicety here; a connection without them is still connected.
    }
    if (this.connection.connectionState !== 'connected' || this.state === 'connected') return;
    if (!this.setState('connected')) return;
    this.verification.start(); // once: later calls, after an ICE restart, do nothing
    this.emit('connected', { relayed });
  }

  private setState(state: PeerState): boolean {
    if (this.currentState === state || this.currentState === 'closed') return false;
    this.currentState = state;
    this.emit('state', state);
    return true;
  }
}
