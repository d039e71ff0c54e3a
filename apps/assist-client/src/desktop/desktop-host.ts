import {
  RemotePermission,
  type DataChannelLabel,
  type DataChannelMessage,
  type RemotePermission as Permission,
  type SignalData,
} from '@beckon/protocol';
import { channelForMessage, type FileMessage, type FileTransfers } from '@beckon/session';
import type { ConsentAnswer, ConsentQuestion } from '../engine/consent.ts';
import { HostCore, type HostCoreOptions } from '../engine/host-core.ts';
import type { RemoteControl } from '../engine/remote-control.ts';
import type { HostPeerReport, IndicatorStatus, WindowBrand } from '../shared/ipc.ts';
import { brandForSession } from './brand.ts';
import { BridgedFileTransport } from './bridged-files.ts';
import type { BakedBrand } from './client-config.ts';
import type { HostMedia } from './host-media.ts';
import type { UiController } from './ui-controller.ts';

export interface DesktopHostOptions extends HostCoreOptions {
  ui: Pick<UiController, 'askConsent' | 'confirmFile' | 'showIndicator' | 'hideIndicator'>;
  media: HostMedia;
  maxFrameRate?: number;
  /** The organisation's branding baked into this build (SR8); it wins over the broker's. */
  bakedBrand?: BakedBrand | null;
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
 * The Electron client's host engine, in main. Joining, consent, grace and the
 * session's rules are `HostCore`'s, as for the headless client; the difference
 * is the media (host-media.ts): the peer and the screen capture run in the host
 * window (Chromium's getDisplayMedia and WebRTC, reached through the
 * MediaBridge) or, where the engine's X11 grab exists, in main (EngineMedia),
 * while input injection, system information and file saving stay here.
 */
export class DesktopHost extends HostCore<Live> {
  private readonly opts: DesktopHostOptions;
  private sessions = 0;
  private brand: WindowBrand | null = null;
  private orgDisplayName: string | null = null;
  private readonly unbind: (() => void)[] = [];

  constructor(opts: DesktopHostOptions) {
    super(opts);
    this.opts = opts;
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

  /** True while a session the person allowed with `view` is on: main's display-media handler asks this. */
  get captureAllowed(): boolean {
    return this.live?.permissions.includes(RemotePermission.VIEW) ?? false;
  }

  protected override async prepare(): Promise<void> {
    const { brand, orgName } = await brandForSession(
      this.opts.bakedBrand ?? null,
      this.opts.brokerUrl,
      this.opts.target,
    );
    this.brand = brand;
    this.orgDisplayName = orgName;
  }

  private isLive(session: number): boolean {
    return this.live?.session === session;
  }

  protected async askPerson(
    q: ConsentQuestion,
    signal: AbortSignal,
    deadline: number,
  ): Promise<ConsentAnswer> {
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
  }

  /** Only here, after Allow, may a peer, a screen capture and an input path exist. */
  protected beginLive(agentName: string, permissions: Permission[]): void {
    const session = ++this.sessions;
    const media = this.opts.media;
    const language = this.summaryValue?.language ?? 'en';
    const control = this.remoteControl(permissions, (message) => media.send(session, message));
    const transport = new BridgedFileTransport((message) => media.send(session, message));
    const files = this.fileTransfers(transport, permissions, (o, withdrawn) =>
      this.opts.ui.confirmFile({ agentName, name: o.name, size: o.size, language }, withdrawn),
    );
    this.live = { session, agentName, permissions, control, files, transport, connected: false };
    media.start({
      session,
      iceServers: this.signaling?.welcome?.iceServers ?? [],
      iceTransportPolicy: this.opts.iceTransportPolicy ?? 'all',
      view: permissions.includes(RemotePermission.VIEW),
      maxFrameRate: this.opts.maxFrameRate ?? media.frameRate,
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
    // `connected` comes only after the verification passed: before it, nothing counts.
    if (!live.connected) return this.log(`dropped ${message.type}: the connection is not verified yet`);
    if (message.type.startsWith('file_')) return live.transport.deliver(message as FileMessage);
    live.control.handle(message);
  }

  private onPeerReport(report: HostPeerReport): void {
    const live = this.live;
    if (!live) return;
    live.connected = report.state === 'connected';
    switch (report.state) {
      case 'connected':
        this.onPeerConnected(live, report.relayed, report.verificationCode);
        this.opts.ui.showIndicator(this.indicator('live', report.verificationCode));
        return;
      case 'disconnected':
      case 'failed':
        this.grace.dropped();
        return;
      case 'closed':
        this.onPeerClosed();
        return;
      case 'unverified':
        this.refuseUnverified(report.reason);
        return;
    }
  }

  protected releaseLive(live: Live): void {
    this.opts.media.stop(live.session);
    live.transport.close();
    this.opts.ui.hideIndicator();
  }

  protected signalPeer(live: Live, data: SignalData): void {
    this.opts.media.signal(live.session, data);
  }

  protected sendToPeer(live: Live, message: DataChannelMessage): void {
    this.opts.media.send(live.session, message);
  }

  protected peerConnected(live: Live): boolean {
    return live.connected;
  }

  /** Leaves the request for good (quit, request over). */
  override leave(reason = 'left'): void {
    super.leave(reason);
    for (const off of this.unbind.splice(0)) off();
  }
}
