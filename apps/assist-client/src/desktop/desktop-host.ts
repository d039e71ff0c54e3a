import type { CaptureBackend } from '@beckon/capture';
import {
  isFinal,
  RemotePermission,
  type BrokerSignalMessage,
  type DataChannelLabel,
  type DataChannelMessage,
  type JoinSummary,
  type RemotePermission as Permission,
} from '@beckon/protocol';
import {
  channelForMessage,
  Emitter,
  FileTransfers,
  ReconnectGrace,
  SignalingClient,
  signalProtocols,
  signalUrl,
  TerminalSignalingError,
  type FileMessage,
  type WebSocketConstructor,
} from '@beckon/session';
import { askConsent } from '../engine/consent.ts';
import { fileInbox } from '../engine/file-inbox.ts';
import type { HostSessionEvents } from '../engine/host-session.ts';
import { JoinError, joinRequest, type JoinTarget } from '../engine/join.ts';
import { RemoteControl } from '../engine/remote-control.ts';
import type { HostPeerReport, IndicatorStatus, WindowBrand } from '../shared/ipc.ts';
import { fetchBrand } from './brand.ts';
import { BridgedFileTransport } from './bridged-files.ts';
import type { MediaBridge } from './media-bridge.ts';
import type { UiController } from './ui-controller.ts';

export interface DesktopHostOptions {
  brokerUrl: string;
  target: JoinTarget;
  backend: CaptureBackend;
  ui: Pick<UiController, 'askConsent' | 'confirmFile' | 'showIndicator' | 'hideIndicator'>;
  media: MediaBridge;
  downloadDir: string;
  consentTimeoutMs?: number;
  maxFrameRate?: number;
  iceTransportPolicy?: 'all' | 'relay';
  WebSocket?: WebSocketConstructor;
  log?: (line: string) => void;
}

interface Live {
  session: number;
  agentName: string;
  permissions: Permission[];
  control: RemoteControl;
  files: FileTransfers;
  transport: BridgedFileTransport;
  connected: boolean;
}

/**
 * The Electron client's host engine, in main. It is HostSession's twin with
 * one difference: the peer and the screen capture run in the host window
 * (Chromium's getDisplayMedia and WebRTC), reached through the MediaBridge.
 * Joining, the consent (deny by default, with its timeout), the reconnect
 * grace, input injection (RemoteControl, checked per message), system
 * information and file saving (FileTransfers + fileInbox) stay here and use
 * the engine's own modules.
 */
export class DesktopHost extends Emitter<HostSessionEvents> {
  private readonly opts: DesktopHostOptions;
  private readonly log: (line: string) => void;
  private readonly grace = new ReconnectGrace();
  private signaling: SignalingClient<'assist'> | null = null;
  private live: Live | null = null;
  private sessions = 0;
  private asking = false;
  private pendingTicket: string | null = null;
  private summaryValue: JoinSummary | null = null;
  private brand: WindowBrand | null = null;
  private orgDisplayName: string | null = null;
  private readonly unbind: (() => void)[] = [];

  constructor(opts: DesktopHostOptions) {
    super();
    this.opts = opts;
    this.log = opts.log ?? (() => {});
    const m = opts.media;
    this.unbind.push(
      m.on('signal', (s, data) => this.isLive(s) && this.signaling?.send({ type: 'signal', data })),
      m.on('message', (s, label, message) => this.isLive(s) && this.onPeerMessage(label, message)),
      m.on('peer', (s, report) => this.isLive(s) && this.onPeerReport(report)),
      m.on('capture', (s, report) => {
        if (!this.isLive(s) || report.ok) return;
        this.log(`screen capture failed: ${report.reason}`);
        this.emit('problem', `screen capture failed: ${report.reason}`);
      }),
    );
  }

  get summary(): JoinSummary | null {
    return this.summaryValue;
  }

  /** True while a session the person allowed with `view` is on: main's display-media handler asks this. */
  get captureAllowed(): boolean {
    return this.live?.permissions.includes(RemotePermission.VIEW) ?? false;
  }

  /** Joins (throws a JoinError for a wrong code or a dead link) and opens the signaling socket. */
  async start(): Promise<JoinSummary> {
    const { brokerUrl, target } = this.opts;
    const [first, brand] = await Promise.all([joinRequest(brokerUrl, target), fetchBrand(brokerUrl, target)]);
    this.summaryValue = first.summary;
    this.brand = brand?.brand ?? null;
    this.orgDisplayName = brand?.branding.orgName || null;
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
            ticket = (await joinRequest(brokerUrl, target)).ticket;
          } catch (err) {
            if (err instanceof JoinError && err.final) throw new TerminalSignalingError(err.message);
            throw err;
          }
        }
        return { url: signalUrl(brokerUrl, { ticket }), protocols: signalProtocols() };
      },
    });
    this.signaling = signaling;
    signaling.on('message', (m) => this.onBroker(m));
    signaling.on('close', (c) => {
      this.endLive('signaling_closed');
      this.emit('closed', { reason: c.reason || `closed (${c.code})` });
    });
    signaling.start();
    return first.summary;
  }

  private isLive(session: number): boolean {
    return this.live?.session === session;
  }

  private onBroker(m: BrokerSignalMessage): void {
    switch (m.type) {
      case 'welcome':
        this.emit('status', m.status);
        // After a broker restart the peer connection may still be up: say so.
        if (this.live?.connected) this.signaling?.send({ type: 'peer_state', state: 'connected' });
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
        if (this.live) this.opts.media.signal(this.live.session, m.data);
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
      const timeoutMs = this.opts.consentTimeoutMs ?? m.timeoutSec * 1000;
      const deadline = Date.now() + timeoutMs;
      const outcome = await askConsent(
        async (q, signal) => {
          const prompt = {
            agentName: q.agentName,
            // The admins' display name for the organisation, where they set one.
            organisationName: this.orgDisplayName ?? (q.orgName || null),
            comment: q.comment,
            permissions: q.permissions,
            deadline,
            language: this.summaryValue?.language ?? 'en',
            brand: this.brand,
          };
          const answer = await this.opts.ui.askConsent(prompt, signal);
          return answer === 'allow' ? { allow: true } : { allow: false };
        },
        {
          agentName: m.agentName,
          orgName: m.orgName,
          comment: m.comment,
          permissions: m.permissions,
          timeoutSec: m.timeoutSec,
        },
        timeoutMs,
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

  /** Only here, after Allow, may a peer, a screen capture and an input path exist. */
  private beginLive(agentName: string, permissions: Permission[]): void {
    const session = ++this.sessions;
    const media = this.opts.media;
    const language = this.summaryValue?.language ?? 'en';
    const control = new RemoteControl({
      permissions,
      backend: this.opts.backend,
      reply: (message) => media.send(session, message),
      log: this.log,
    });
    const transport = new BridgedFileTransport((message) => media.send(session, message));
    const files = new FileTransfers(transport, {
      onOffer: permissions.includes(RemotePermission.FILE_TRANSFER)
        ? fileInbox(
            this.opts.downloadDir,
            (o) => this.opts.ui.confirmFile({ agentName, name: o.name, size: o.size, language }),
            (p) => this.emit('fileSaved', p),
          )
        : async () => ({ accept: false, reason: 'file transfer was not allowed' }),
    });
    this.live = { session, agentName, permissions, control, files, transport, connected: false };
    media.start({
      session,
      iceServers: this.signaling?.welcome?.iceServers ?? [],
      iceTransportPolicy: this.opts.iceTransportPolicy ?? 'all',
      view: permissions.includes(RemotePermission.VIEW),
      // 60: half the wait for the next captured frame (bench/glass: p50 29 ms at 60 fps, 36 ms at 30).
      maxFrameRate: this.opts.maxFrameRate ?? 60,
    });
    this.opts.ui.showIndicator(this.indicator('connecting', null));
  }

  private indicator(phase: IndicatorStatus['phase'], verificationCode: string | null): IndicatorStatus {
    return {
      phase,
      agentName: this.live?.agentName ?? '',
      language: this.summaryValue?.language ?? 'en',
      verificationCode,
      permissions: this.live?.permissions ?? [],
    };
  }

  private onPeerMessage(label: DataChannelLabel, message: DataChannelMessage): void {
    const live = this.live;
    if (!live) return;
    // The renderer's peer already checked this; main does not take its word for it.
    if (channelForMessage(message.type) !== label)
      return this.log(`dropped ${message.type} that came on '${label}'`);
    if (message.type === 'stop') return this.endLive('agent_stopped');
    if (message.type.startsWith('file_')) return live.transport.deliver(message as FileMessage);
    live.control.handle(message);
  }

  private onPeerReport(report: HostPeerReport): void {
    const live = this.live;
    if (!live) return;
    live.connected = report.state === 'connected';
    switch (report.state) {
      case 'connected':
        this.grace.recovered();
        this.signaling?.send({ type: 'peer_state', state: 'connected', relayed: report.relayed });
        this.emit('live', {
          agentName: live.agentName,
          permissions: live.permissions,
          relayed: report.relayed,
          verificationCode: report.verificationCode,
        });
        this.opts.ui.showIndicator(this.indicator('live', report.verificationCode));
        return;
      case 'disconnected':
      case 'failed':
        this.grace.dropped();
        return;
      case 'closed':
        this.grace.dropped();
        this.signaling?.send({ type: 'peer_state', state: 'closed' });
        this.endLive('peer_closed');
        return;
    }
  }

  /** The person pressed Stop: the peer closes now, and the broker is told. */
  stop(): void {
    this.grace.revoke();
    const live = this.live;
    if (!live) return;
    this.opts.media.send(live.session, { type: 'stop', reason: 'stopped by the user' });
    this.signaling?.send({ type: 'stop' });
    this.endLive('stopped_by_user');
  }

  private endLive(reason: string): void {
    const live = this.live;
    if (!live) return;
    this.live = null;
    this.opts.media.stop(live.session);
    live.files.dispose(reason);
    live.transport.close();
    void live.control.close();
    this.opts.ui.hideIndicator();
    this.emit('ended', { reason });
  }

  /** Leaves the request for good (quit, request over). */
  leave(reason = 'left'): void {
    this.grace.revoke();
    this.endLive(reason);
    this.signaling?.close(reason);
    this.signaling = null;
    for (const off of this.unbind.splice(0)) off();
  }
}
