import {
  RemotePermission,
  type DataChannelMessage,
  type RemotePermission as Permission,
  type SignalData,
} from '@beckon/protocol';
import { FileTransfers, Peer } from '@beckon/session';
import type { ConsentAnswer, ConsentQuestion } from './consent.ts';
import { HostCore, type HostCoreOptions } from './host-core.ts';
import { isPeerExtensionRequest, type PeerExtension } from './peer-extension.ts';
import type { RemoteControl } from './remote-control.ts';
import type { ScreenStreamer } from './screen-streamer.ts';
import { applySendTrials, engineScreen, ENGINE_FPS, type EngineWrtc } from './screen-video.ts';

export type { HostSessionEvents } from './host-core.ts';

/** What the person sees and answers: a window in the Electron client, the terminal when headless. */
export interface HostUi {
  askConsent(question: ConsentQuestion, signal: AbortSignal): Promise<ConsentAnswer>;
  /** `withdrawn` fires when the sender cancels the file or the session ends: the question leaves the screen. */
  confirmFile(offer: { name: string; size: number }, withdrawn?: AbortSignal): Promise<boolean>;
}

export interface HostSessionOptions extends HostCoreOptions {
  wrtc: EngineWrtc;
  ui: HostUi;
  fps?: number;
  /**
   * Unattended access at connection (UA3, UA7): administrator credentials the
   * agent sends over the verified peer connection, checked by this computer's
   * OS; null admits, a message refuses. While set, nothing streams and no
   * input counts until it has admitted.
   */
  adminAuth?: (username: string, password: string) => Promise<string | null>;
  /** A temporary host's password gate, file manager and dashboard (ad-hoc support). */
  extension?: PeerExtension;
}

interface Live {
  peer: Peer;
  control: RemoteControl;
  streamer: ScreenStreamer | null;
  files: FileTransfers;
  agentName: string;
  permissions: Permission[];
}

/**
 * The host engine in plain Node (the headless client, and the tests): the
 * peer is a wrtc `Peer` and the screen an X11 grab fed into a wrtc video
 * source. Joining, consent, grace and the session's rules are `HostCore`'s.
 */
export class HostSession extends HostCore<Live> {
  private readonly opts: HostSessionOptions;
  private counters = { framesSent: 0, injected: 0, dropped: 0 };

  constructor(opts: HostSessionOptions) {
    super(opts);
    this.opts = opts;
    applySendTrials(this.log);
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

  protected askPerson(q: ConsentQuestion, signal: AbortSignal): Promise<ConsentAnswer> {
    return this.opts.ui.askConsent(q, signal);
  }

  /** Only here, after Allow, do a peer, a screen track and an input path exist. */
  protected beginLive(agentName: string, permissions: Permission[]): void {
    const canView = permissions.includes(RemotePermission.VIEW);
    const streamer = canView
      ? engineScreen(this.opts.backend, this.opts.wrtc, this.opts.fps ?? ENGINE_FPS, this.log)
      : null;
    const peer = new Peer({
      initiator: false,
      wrtc: this.opts.wrtc,
      iceServers: this.signaling?.welcome?.iceServers ?? [],
      iceTransportPolicy: this.opts.iceTransportPolicy ?? 'all',
      videoTrack: streamer?.track ?? null,
      onSignal: (data) => this.signaling?.send({ type: 'signal', data }),
    });
    const control = this.remoteControl(permissions, (message) => void peer.sendMessage(message));
    const ext = this.opts.extension;
    // A temporary host's uploads go where its file manager said, never to a person's inbox.
    const files = ext
      ? new FileTransfers(peer.filesTransport(), { onOffer: (offer) => ext.acceptUpload(offer, permissions) })
      : this.fileTransfers(peer.filesTransport(), permissions, (o, withdrawn) =>
          this.opts.ui.confirmFile(o, withdrawn),
        );
    const live: Live = { peer, control, streamer, files, agentName, permissions };
    this.live = live;
    // Nothing streams and no input counts until the verification exchange has passed: before
    // it, the far end of this connection may be someone between the peers (verification.ts).
    // On a temporary host, not until the agent also presented the predefined password either.
    let verified = false;
    // With credentials required at connection, the verified connection is not enough: the OS
    // must also have accepted an administrator's credentials sent over it.
    const adminAuth = this.opts.adminAuth;
    let authorised = !adminAuth;
    let checking = false;
    const gate = { open: !ext, checking: false, timer: undefined as NodeJS.Timeout | undefined };
    let connectedInfo: { relayed: boolean; code: string } | null = null;
    // Every gate must hold before anything streams: verified, then the predefined password
    // (a temporary host) and the administrator's credentials (unattended at connection).
    const goLive = () => {
      if (this.live !== live || !connectedInfo) return;
      if (authorised) streamer?.start();
      this.onPeerConnected(live, connectedInfo.relayed, connectedInfo.code);
    };
    peer.on('connected', ({ relayed }) => {
      if (this.live !== live) return;
      void peer.verificationCode().then(
        (code) => {
          if (this.live !== live) return;
          verified = true;
          connectedInfo = { relayed, code };
          if (gate.open) return goLive();
          peer.sendMessage({ type: 'adhoc_auth_request' });
          gate.timer ??= setTimeout(() => {
            if (this.live === live && !gate.open) this.endLive('password_missing');
          }, ext?.secretTimeoutMs ?? 0);
        },
        (err: Error) => this.live === live && this.refuseUnverified(err.message),
      );
    });
    const unlock = (message: DataChannelMessage) => {
      if (!ext || message.type !== 'adhoc_auth' || gate.checking)
        return this.log(`dropped ${message.type}: the predefined password was not presented yet`);
      gate.checking = true;
      void ext.checkSecret(message.password).then((ok) => {
        if (this.live !== live) return;
        peer.sendMessage({ type: 'adhoc_auth_result', ok });
        clearTimeout(gate.timer);
        if (!ok) {
          this.log('a wrong predefined password: the session ends');
          return this.endLive('password_wrong');
        }
        gate.open = true;
        goLive();
      });
    };
    peer.on('disconnected', () => this.live === live && this.grace.dropped());
    peer.on('failed', () => this.live === live && this.grace.dropped());
    peer.on('closed', () => this.live === live && this.onPeerClosed());
    peer.on('message', (message) => {
      if (this.live !== live) return;
      if (message.type === 'stop') return this.endLive('agent_stopped');
      if (!verified) return this.log(`dropped ${message.type}: the connection is not verified yet`);
      if (message.type === 'unattended_auth') {
        if (!adminAuth || authorised || checking) return;
        checking = true;
        void adminAuth(message.username, message.password).then((refusal) => {
          if (this.live !== live) return;
          if (refusal === null) {
            authorised = true;
            // The password gate may still be shut: the stream starts when it opens.
            if (gate.open) streamer?.start();
            this.log(`administrator credentials accepted (${message.username}): the session starts`);
            peer.sendMessage({ type: 'unattended_auth_result', ok: true, message: 'accepted' });
            return;
          }
          this.log(`administrator credentials refused: ${refusal}`);
          peer.sendMessage({ type: 'unattended_auth_result', ok: false, message: refusal });
          this.refuseLive('admin_auth_failed', `administrator credentials refused: ${refusal}`);
        });
        return;
      }
      if (message.type === 'unattended_auth_result') return;
      if (!gate.open) return unlock(message);
      if (!authorised) return this.log(`dropped ${message.type}: administrator credentials not checked yet`);
      if (ext && isPeerExtensionRequest(message))
        return ext.handle(message, { permissions, files, reply: (m) => void peer.sendMessage(m) });
      control.handle(message);
    });
    peer.on('invalid', (bad) => this.log(`dropped an invalid message from the agent: ${bad.reason}`));
    peer.on('error', (err) => {
      this.log(err.message);
      this.emit('problem', err.message);
    });
  }

  protected releaseLive(live: Live): void {
    this.counters.framesSent += live.streamer?.framesSent ?? 0;
    this.counters.injected += live.control.counters.injected;
    this.counters.dropped += live.control.counters.dropped;
    live.streamer?.close();
    live.peer.close();
  }

  protected signalPeer(live: Live, data: SignalData): void {
    live.peer.signal(data);
  }

  protected sendToPeer(live: Live, message: DataChannelMessage): void {
    live.peer.sendMessage(message);
  }

  protected peerConnected(live: Live): boolean {
    return live.peer.state === 'connected';
  }
}
