import type { CaptureBackend } from '@beckon/capture';
import {
  isFinal,
  RemotePermission,
  type BrokerSignalMessage,
  type DataChannelMessage,
  type JoinSummary,
  type RemotePermission as Permission,
  type SessionStatus,
} from '@beckon/protocol';
import {
  Emitter,
  FileTransfers,
  Peer,
  ReconnectGrace,
  SignalingClient,
  signalProtocols,
  signalUrl,
  TerminalSignalingError,
  type RtcImplementation,
  type WebSocketConstructor,
} from '@beckon/session';
import { askConsent, type ConsentAnswer, type ConsentQuestion } from './consent.ts';
import { fileInbox } from './file-inbox.ts';
import { JoinError, joinRequest, type JoinTarget } from './join.ts';
import { RemoteControl } from './remote-control.ts';
import { ScreenStreamer, type VideoSourceLike } from './screen-streamer.ts';

/** What the person sees and answers: a window in the Electron client, the terminal when headless. */
export interface HostUi {
  askConsent(question: ConsentQuestion, signal: AbortSignal): Promise<ConsentAnswer>;
  confirmFile(offer: { name: string; size: number }): Promise<boolean>;
}

export interface HostSessionOptions {
  brokerUrl: string;
  target: JoinTarget;
  backend: CaptureBackend;
  /** `@roamhq/wrtc`: the peer connection and its nonstandard video source. */
  wrtc: RtcImplementation & { nonstandard: { RTCVideoSource: new () => VideoSourceLike } };
  ui: HostUi;
  downloadDir: string;
  consentTimeoutMs?: number;
  fps?: number;
  /** 'relay' forces every byte through TURN (a policy some networks require; also how tests prove TURN works). */
  iceTransportPolicy?: 'all' | 'relay';
  WebSocket?: WebSocketConstructor;
  log?: (line: string) => void;
}

export type HostSessionEvents = {
  /** The request's status as the broker reports it. */
  status: [SessionStatus];
  /** The session is live: the indicator must show who is helping. */
  live: [{ agentName: string; permissions: Permission[]; relayed: boolean; verificationCode: string }];
  /** A problem the person or the log should see (e.g. no TURN relay could be reached). */
  problem: [string];
  /** The remote session ended (Stop, the agent ended it, the connection died); the request may go on. */
  ended: [{ reason: string }];
  consent: [{ granted: boolean; reason: 'user' | 'timeout' | 'grace' }];
  fileSaved: [string];
  /** Left for good: the request is over, or signaling gave up. */
  closed: [{ reason: string }];
};

interface Live {
  peer: Peer;
  control: RemoteControl;
  streamer: ScreenStreamer | null;
  files: FileTransfers;
  agentName: string;
  permissions: Permission[];
}

/**
 * The assist client's engine, in plain Node: joins a request, asks the person
 * before anything is shared, and only then streams the screen and obeys the
 * agent, within what was allowed. The Electron client and the headless CLI
 * are two faces over this class.
 */
export class HostSession extends Emitter<HostSessionEvents> {
  private readonly opts: HostSessionOptions;
  private readonly log: (line: string) => void;
  private readonly grace = new ReconnectGrace();
  private signaling: SignalingClient<'assist'> | null = null;
  private live: Live | null = null;
  private asking = false;
  private pendingTicket: string | null = null;
  private summaryValue: JoinSummary | null = null;
  private counters = { framesSent: 0, injected: 0, dropped: 0 };

  constructor(opts: HostSessionOptions) {
    super();
    this.opts = opts;
    this.log = opts.log ?? (() => {});
  }

  get summary(): JoinSummary | null {
    return this.summaryValue;
  }

  /** Frames sent and input injected or dropped over the whole run (sessions included). */
  get stats(): { framesSent: number; injected: number; dropped: number } {
    const l = this.live;
    return {
      framesSent: this.counters.framesSent + (l?.streamer?.framesSent ?? 0),
      injected: this.counters.injected + (l?.control.counters.injected ?? 0),
      dropped: this.counters.dropped + (l?.control.counters.dropped ?? 0),
    };
  }

  /** Joins (throws a JoinError for a wrong code or a dead link) and opens the signaling socket. */
  async start(): Promise<JoinSummary> {
    const first = await joinRequest(this.opts.brokerUrl, this.opts.target);
    this.summaryValue = first.summary;
    this.pendingTicket = first.ticket;
    const signaling = new SignalingClient({
      role: 'assist',
      WebSocket: this.opts.WebSocket,
      connect: async () => {
        // Tickets are single-use: every reconnect joins again for a fresh one.
        let ticket = this.pendingTicket;
        this.pendingTicket = null;
        if (!ticket) {
          try {
            ticket = (await joinRequest(this.opts.brokerUrl, this.opts.target)).ticket;
          } catch (err) {
            if (err instanceof JoinError && err.final) throw new TerminalSignalingError(err.message);
            throw err;
          }
        }
        return { url: signalUrl(this.opts.brokerUrl, { ticket }), protocols: signalProtocols() };
      },
    });
    this.signaling = signaling;
    signaling.on('message', (m) => this.onBroker(m));
    signaling.on('close', (c) => {
      // A broker that went away comes back: the peer connection does not need it meanwhile.
      if (c.willReconnect) return;
      this.endLive('signaling_closed');
      this.emit('closed', { reason: c.reason || `closed (${c.code})` });
    });
    signaling.start();
    return first.summary;
  }

  private onBroker(m: BrokerSignalMessage): void {
    switch (m.type) {
      case 'welcome':
        this.emit('status', m.status);
        // After a broker restart the peer connection may still be up: say so.
        if (this.live?.peer.state === 'connected')
          this.signaling?.send({ type: 'peer_state', state: 'connected' });
        return;
      case 'status':
        this.emit('status', m.status);
        if (isFinal(m.status)) this.leave(`request ${m.status}`);
        return;
      case 'consent_request':
        void this.onConsentRequest(m);
        return;
      case 'signal':
        // Before Allow there is no peer, so there is nothing a signal could reach.
        this.live?.peer.signal(m.data);
        return;
      case 'session_ended':
        this.grace.revoke();
        this.endLive(m.reason);
        return;
      case 'peer':
        if (m.role === 'agent' && !m.present && this.live) this.grace.dropped();
        return;
      default:
        return;
    }
  }

  private async onConsentRequest(
    m: Extract<BrokerSignalMessage, { type: 'consent_request' }>,
  ): Promise<void> {
    if (this.asking) return;
    const decision = this.grace.check(m.agentName, m.permissions);
    if (decision.admit) {
      this.log(`${m.agentName} reconnected within the grace window: no new prompt`);
      this.endLive('replaced');
      this.signaling?.send(decision.consent);
      this.emit('consent', { granted: true, reason: 'grace' });
      this.beginLive(m.agentName, decision.permissions);
      return;
    }
    this.asking = true;
    try {
      const outcome = await askConsent(
        (q, signal) => this.opts.ui.askConsent(q, signal),
        {
          agentName: m.agentName,
          orgName: m.orgName,
          comment: m.comment,
          permissions: m.permissions,
          timeoutSec: m.timeoutSec,
        },
        this.opts.consentTimeoutMs ?? m.timeoutSec * 1000,
      );
      this.emit('consent', { granted: outcome.granted, reason: outcome.reason });
      if (!outcome.granted) {
        this.grace.revoke();
        this.signaling?.send({ type: 'consent', granted: false, reason: outcome.reason });
        return;
      }
      this.endLive('replaced');
      this.grace.granted(m.agentName, outcome.permissions);
      this.signaling?.send({
        type: 'consent',
        granted: true,
        permissions: outcome.permissions,
        reason: 'user',
      });
      this.beginLive(m.agentName, outcome.permissions);
    } finally {
      this.asking = false;
    }
  }

  /** Only here, after Allow, do a peer, a screen track and an input path exist. */
  private beginLive(agentName: string, permissions: Permission[]): void {
    const canView = permissions.includes(RemotePermission.VIEW);
    const streamer = canView
      ? new ScreenStreamer(this.opts.backend, new this.opts.wrtc.nonstandard.RTCVideoSource(), {
          fps: this.opts.fps ?? 30,
          onError: (err) => this.log(`capture failed: ${(err as Error).message}`),
        })
      : null;
    const peer = new Peer({
      initiator: false,
      wrtc: this.opts.wrtc,
      iceServers: this.signaling?.welcome?.iceServers ?? [],
      iceTransportPolicy: this.opts.iceTransportPolicy ?? 'all',
      videoTrack: streamer?.track ?? null,
      onSignal: (data) => this.signaling?.send({ type: 'signal', data }),
    });
    const reply = (message: DataChannelMessage) => void peer.sendMessage(message);
    const control = new RemoteControl({ permissions, backend: this.opts.backend, reply, log: this.log });
    const files = new FileTransfers(peer.filesTransport(), {
      onOffer: permissions.includes(RemotePermission.FILE_TRANSFER)
        ? fileInbox(
            this.opts.downloadDir,
            (o) => this.opts.ui.confirmFile(o),
            (p) => this.emit('fileSaved', p),
          )
        : async () => ({ accept: false, reason: 'file transfer was not allowed' }),
    });
    const live: Live = { peer, control, streamer, files, agentName, permissions };
    this.live = live;
    peer.on('connected', ({ relayed }) => {
      if (this.live !== live) return;
      this.grace.recovered();
      streamer?.start();
      this.signaling?.send({ type: 'peer_state', state: 'connected', relayed });
      void peer.verificationCode().then(
        (verificationCode) => this.emit('live', { agentName, permissions, relayed, verificationCode }),
        () => this.emit('live', { agentName, permissions, relayed, verificationCode: '' }),
      );
    });
    peer.on('disconnected', () => this.live === live && this.grace.dropped());
    peer.on('failed', () => this.live === live && this.grace.dropped());
    peer.on('closed', () => {
      if (this.live !== live) return;
      this.grace.dropped();
      this.signaling?.send({ type: 'peer_state', state: 'closed' });
      this.endLive('peer_closed');
    });
    peer.on('message', (message) => {
      if (this.live !== live) return;
      if (message.type === 'stop') return this.endLive('agent_stopped');
      control.handle(message);
    });
    peer.on('invalid', (bad) => this.log(`dropped an invalid message from the agent: ${bad.reason}`));
    peer.on('error', (err) => {
      this.log(err.message);
      this.emit('problem', err.message);
    });
  }

  /** The person pressed Stop: the peer closes now, and the broker is told. */
  stop(): void {
    this.grace.revoke();
    if (!this.live) return;
    this.live.peer.sendMessage({ type: 'stop', reason: 'stopped by the user' });
    this.signaling?.send({ type: 'stop' });
    this.endLive('stopped_by_user');
  }

  private endLive(reason: string): void {
    const live = this.live;
    if (!live) return;
    this.live = null;
    this.counters.framesSent += live.streamer?.framesSent ?? 0;
    this.counters.injected += live.control.counters.injected;
    this.counters.dropped += live.control.counters.dropped;
    live.streamer?.close();
    live.files.dispose(reason);
    live.peer.close();
    void live.control.close();
    this.emit('ended', { reason });
  }

  /** Leaves the request for good (window closed, Ctrl-C after Stop, request over). */
  leave(reason = 'left'): void {
    this.grace.revoke();
    this.endLive(reason);
    this.signaling?.close(reason);
    this.signaling = null;
  }
}
