import {
  JoinResponseSchema,
  isFinal,
  parseWith,
  type BrokerSignalMessage,
  type JoinSummary,
  type RemotePermission,
  type SessionStatus,
} from '@beckon/protocol';
import { Emitter } from './emitter.ts';
import { Peer, type RtcImplementation } from './peer.ts';
import {
  SignalingClient,
  TerminalSignalingError,
  signalProtocols,
  signalUrl,
  type WebSocketConstructor,
} from './signaling-client.ts';

/** What the page shows the person for one Connect. */
export interface BrowserQuestion {
  agentName: string;
  orgName: string;
  comment: string | null;
  /** What the agent asked for; a browser grants `view` at most. */
  asked: readonly RemotePermission[];
  /** When no answer becomes a deny (ms since the epoch). */
  deadline: number;
}

export interface BrowserHostOptions {
  /** The broker's origin (the landing page's own). */
  brokerUrl: string;
  /** The customer link's token: every (re)connect joins with it for a fresh single-use ticket. */
  token: string;
  /**
   * Shows the question with Allow and Deny. Allow must then start the screen
   * share (getDisplayMedia, under the click's user activation) and resolve with
   * its track; Deny, a cancelled picker or `withdrawn` resolve with null.
   */
  ask(question: BrowserQuestion, withdrawn: AbortSignal): Promise<MediaStreamTrack | null>;
  wrtc?: RtcImplementation;
  WebSocket?: WebSocketConstructor;
  fetch?: typeof fetch;
}

export type BrowserHostEvents = {
  status: [SessionStatus];
  /** The agent sees the screen; both sides show `verificationCode`. */
  live: [{ agentName: string; verificationCode: string; relayed: boolean }];
  /** The shared screen stopped (Stop here, in the browser's own bar, or by the agent). */
  ended: [{ reason: string }];
  /** Left for good: the request is over, or the page stopped it. */
  closed: [{ reason: string }];
};

interface Live {
  peer: Peer;
  track: MediaStreamTrack;
  agentName: string;
}

/**
 * The customer's side of "share my screen from this browser" (UA2's
 * browser-only sessions): joins the request as its host, says it is a
 * `browser` host, asks the person once per Connect (the page's Allow, then the
 * browser's own picker), and sends only the picked screen. It grants `view`
 * and nothing more, and acts on no input: a browser page cannot move the
 * pointer or type, and nothing the agent sends but `stop` is used.
 */
export class BrowserHost extends Emitter<BrowserHostEvents> {
  private readonly opts: BrowserHostOptions;
  private signaling: SignalingClient<'assist'> | null = null;
  private live: Live | null = null;
  private question: { id: string; withdraw: AbortController } | null = null;
  /** Messages the agent sent that a view-only host does not act on. */
  ignored = 0;

  constructor(opts: BrowserHostOptions) {
    super();
    this.opts = opts;
  }

  private async join(): Promise<{ summary: JoinSummary; ticket: string }> {
    const res = await (this.opts.fetch ?? fetch)(new URL('/api/v1/join', this.opts.brokerUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: this.opts.token }),
    });
    const parsed = parseWith(JoinResponseSchema, await res.json().catch(() => null));
    if (res.ok && parsed.ok) return parsed.value;
    const error = new Error(`join refused (${res.status})`);
    if (res.status === 400 || res.status === 404 || res.status === 410)
      throw new TerminalSignalingError(error.message);
    throw error;
  }

  /** Joins and opens the signaling socket; resolves with what the page may show of the request. */
  async start(): Promise<JoinSummary> {
    const first = await this.join();
    let ticket: string | null = first.ticket;
    const signaling = new SignalingClient({
      role: 'assist',
      host: 'browser',
      WebSocket: this.opts.WebSocket,
      connect: async () => {
        const use = ticket ?? (await this.join()).ticket;
        ticket = null;
        return { url: signalUrl(this.opts.brokerUrl, { ticket: use }), protocols: signalProtocols() };
      },
    });
    this.signaling = signaling;
    signaling.on('message', (m) => this.onBroker(m));
    signaling.on('close', (c) => {
      if (c.willReconnect) return;
      this.endLive('signaling_closed');
      this.emit('closed', { reason: c.reason || `closed (${c.code})` });
    });
    signaling.start();
    return first.summary;
  }

  get sharing(): boolean {
    return this.live !== null;
  }

  private onBroker(m: BrokerSignalMessage): void {
    switch (m.type) {
      case 'welcome':
        this.emit('status', m.status);
        return;
      case 'status':
        this.emit('status', m.status);
        if (isFinal(m.status)) this.leave(`request ${m.status}`);
        return;
      case 'consent_request':
        void this.onQuestion(m);
        return;
      case 'consent_withdrawn':
        if (this.question?.id === m.questionId) this.question.withdraw.abort();
        return;
      case 'signal':
        this.live?.peer.signal(m.data);
        return;
      case 'session_ended':
        this.endLive(m.reason);
        return;
      default:
        return;
    }
  }

  private async onQuestion(m: Extract<BrokerSignalMessage, { type: 'consent_request' }>): Promise<void> {
    this.question?.withdraw.abort();
    const question = { id: m.questionId, withdraw: new AbortController() };
    this.question = question;
    const answer = (granted: boolean, reason: 'user' | 'timeout') =>
      this.signaling?.send({
        type: 'consent',
        questionId: m.questionId,
        granted,
        ...(granted ? { permissions: ['view' as const] } : {}),
        reason,
      });
    const deadline = Date.now() + m.timeoutSec * 1000;
    const timer = setTimeout(() => question.withdraw.abort(), m.timeoutSec * 1000);
    try {
      // Without view there is nothing a browser could give: refuse without asking.
      if (!m.permissions.includes('view')) return void answer(false, 'user');
      const track = await this.opts.ask(
        { agentName: m.agentName, orgName: m.orgName, comment: m.comment, asked: m.permissions, deadline },
        question.withdraw.signal,
      );
      if (question.withdraw.signal.aborted) {
        track?.stop();
        // Withdrawn by the broker: answered to nobody. Timed out here: a deny.
        if (Date.now() >= deadline && this.question === question) answer(false, 'timeout');
        return;
      }
      if (!track) return void answer(false, 'user');
      this.endLive('replaced');
      answer(true, 'user');
      this.beginLive(m.agentName, track);
    } finally {
      clearTimeout(timer);
      if (this.question === question) this.question = null;
    }
  }

  private beginLive(agentName: string, track: MediaStreamTrack): void {
    const peer = new Peer({
      initiator: false,
      wrtc: this.opts.wrtc,
      iceServers: this.signaling?.welcome?.iceServers ?? [],
      videoTrack: track,
      onSignal: (data) => this.signaling?.send({ type: 'signal', data }),
    });
    const live: Live = { peer, track, agentName };
    this.live = live;
    // The browser's own "Stop sharing" ends the session like Stop on the page.
    track.addEventListener('ended', () => this.live === live && this.stop());
    peer.on('connected', ({ relayed }) => {
      if (this.live !== live) return;
      this.signaling?.send({ type: 'peer_state', state: 'connected', relayed });
      void peer.verificationCode().then(
        (verificationCode) => this.emit('live', { agentName, verificationCode, relayed }),
        () => this.emit('live', { agentName, verificationCode: '', relayed }),
      );
    });
    peer.on('message', (message) => {
      if (this.live !== live) return;
      if (message.type === 'stop') return this.endLive('agent_stopped');
      this.ignored++;
    });
    peer.on('closed', () => {
      if (this.live !== live) return;
      this.signaling?.send({ type: 'peer_state', state: 'closed' });
      this.endLive('peer_closed');
    });
  }

  /** Stop: the screen stops at once, the agent and the broker are told. */
  stop(): void {
    const live = this.live;
    if (!live) return;
    live.peer.sendMessage({ type: 'stop', reason: 'stopped by the user' });
    this.signaling?.send({ type: 'stop' });
    this.endLive('stopped_by_user');
  }

  private endLive(reason: string): void {
    const live = this.live;
    if (!live) return;
    this.live = null;
    live.track.stop();
    live.peer.close();
    this.emit('ended', { reason });
  }

  /** Leaves the request (the page closes, or the request is over). */
  leave(reason = 'left'): void {
    this.question?.withdraw.abort();
    this.endLive(reason);
    this.signaling?.close(reason);
    this.signaling = null;
  }
}
