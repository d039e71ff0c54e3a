import {
  isFinal,
  RemotePermission,
  type AssistSignalMessage,
  type BrokerSignalMessage,
  type DataChannelMessage,
  type HostRecordEntry,
  type JoinSummary,
  type RemotePermission as Permission,
  type SignalData,
} from '@beckon/protocol';
import {
  Emitter,
  FileTransfers,
  ReconnectGrace,
  SignalingClient,
  signalProtocols,
  signalUrl,
  TerminalSignalingError,
  type FileTransport,
} from '@beckon/session';
import { askConsent, type ConsentAnswer, type ConsentQuestion } from './consent.ts';
import { fileInbox, type FileConfirm } from './file-inbox.ts';
import { JoinError, joinRequest } from './join.ts';
import { RemoteControl } from './remote-control.ts';

import {
  VERIFICATION_FAILED,
  type HostCoreOptions,
  type HostSessionEvents,
  type LiveBase,
} from './host-core-types.ts';

export { VERIFICATION_FAILED, type HostCoreOptions, type HostSessionEvents, type LiveBase };
type HostRecordAnswer = NonNullable<HostRecordEntry['answer']>;

/**
 * The host engine's one orchestration, shared by its faces (the headless
 * `HostSession`, with wrtc and X11 grabs in Node, and the Electron client's
 * `DesktopHost`, with the peer and getDisplayMedia in a renderer): joining and
 * re-joining for a fresh ticket, the consent (deny by default, with its
 * timeout), the reconnect grace, and the rules of a session's life. A face
 * only says how to ask the person, how to start and stop its media, and how
 * to reach its peer; nothing is shared before `beginLive`, which runs after
 * an Allow only.
 */
export abstract class HostCore<L extends LiveBase> extends Emitter<HostSessionEvents> {
  protected readonly log: (line: string) => void;
  protected readonly grace: ReconnectGrace;
  protected signaling: SignalingClient<'assist'> | null = null;
  protected live: L | null = null;
  protected summaryValue: JoinSummary | null = null;
  private readonly core: HostCoreOptions;
  /** The question on the person's screen, if any. */
  private question: { id: string; withdraw: AbortController } | null = null;
  /** The last answer sent: repeated if the broker asks the same question again. */
  private lastAnswer: Extract<AssistSignalMessage, { type: 'consent' }> | null = null;
  private pendingTicket: string | null = null;
  /** Whose session is live, for the record: set by a grant, its start recorded once. */
  private recorded: { agentId: string; agentName: string; started: boolean } | null = null;
  /** The user id of the agent the running session admitted. */
  private liveAgentId: string | null = null;

  constructor(core: HostCoreOptions) {
    super();
    this.core = core;
    // The grant is passed at each question (a revoked one is gone at once), so not here.
    this.grace = new ReconnectGrace(core.now ? { now: core.now } : {});
    this.log = core.log ?? (() => {});
  }

  get summary(): JoinSummary | null {
    return this.summaryValue;
  }

  /** The agent (user id) of the running session, if one runs: a grant may be asked only by them. */
  get currentAgentId(): string | null {
    return this.live ? this.liveAgentId : null;
  }

  /** Asks the person; `deadline` is when the question is withdrawn (a deny). */
  protected abstract askPerson(
    q: ConsentQuestion,
    signal: AbortSignal,
    deadline: number,
  ): Promise<ConsentAnswer>;
  /** Starts the face's peer and capture for an allowed session and sets `live`. */
  protected abstract beginLive(agentName: string, permissions: Permission[]): void;
  /** Stops the face's peer and capture; the core ends file transfers before it and input after it. */
  protected abstract releaseLive(live: L): void;
  /** A signal from the broker for the live peer. */
  protected abstract signalPeer(live: L, data: SignalData): void;
  /** A message for the agent over the live peer's data channels. */
  protected abstract sendToPeer(live: L, message: DataChannelMessage): void;
  protected abstract peerConnected(live: L): boolean;

  /** What a face loads before anyone can be asked (the Electron client's branding); runs beside the join. */
  protected prepare(): Promise<void> {
    return Promise.resolve();
  }

  /** Joins (throws a JoinError for a wrong code or a dead link) and opens the signaling socket. */
  async start(): Promise<JoinSummary> {
    const { brokerUrl, target } = this.core;
    const [first] = await Promise.all([joinRequest(brokerUrl, target), this.prepare()]);
    this.summaryValue = first.summary;
    this.pendingTicket = first.ticket;
    const signaling = new SignalingClient({
      role: 'assist',
      WebSocket: this.core.WebSocket,
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
    signaling.on('error', (e) => this.log(`signaling ${e.kind}: ${e.message}`));
    signaling.on('close', (c) => {
      // A broker that went away comes back: the peer connection does not need it meanwhile.
      if (c.willReconnect) return this.log(`signaling closed (${c.code} ${c.reason}); reconnecting`);
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
        if (this.live && this.peerConnected(this.live)) {
          this.signaling?.send({ type: 'peer_state', state: 'connected' });
        }
        return;
      case 'status':
        this.emit('status', m.status);
        if (isFinal(m.status)) this.leave(`request ${m.status}`);
        return;
      case 'consent_request':
        void this.onConsentRequest(m);
        return;
      case 'consent_withdrawn':
        if (this.question?.id === m.questionId) this.question.withdraw.abort();
        return;
      case 'signal':
        // Before Allow there is no peer, so there is nothing a signal could reach.
        if (this.live) this.signalPeer(this.live, m.data);
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
    // Asked again after this host's socket came back (see the broker's room):
    // the question is still on screen, or the answer went into the dead socket.
    if (m.questionId === this.question?.id) return;
    if (m.questionId === this.lastAnswer?.questionId) return void this.signaling?.send(this.lastAnswer);
    // One question at a time, each answered by its own id: a newer question
    // voids the open one, so no answer can land on a question not on screen.
    this.question?.withdraw.abort();
    const agent = { userId: m.agentId, name: m.agentName };
    const note = (
      kind: 'consent_asked' | 'consent_answered',
      permissions: Permission[],
      answer: HostRecordAnswer | null,
    ) =>
      this.note(kind, {
        agentId: m.agentId,
        agentName: m.agentName,
        organisation: m.orgName,
        permissions,
        answer,
      });
    note('consent_asked', m.permissions, null);
    // The host's own reading of the one consent policy is final: what the
    // request offered bounds what may be asked, whatever the broker relays.
    const offered = this.summaryValue?.permissions ?? m.permissions;
    const decision = this.grace.decide(agent, m.permissions, offered, this.core.grant?.() ?? null);
    if (decision.kind === 'ask' && this.core.grantOnly) {
      this.log(`refused ${m.agentName}: no grant of this computer admits them now`);
      this.answer({ type: 'consent', questionId: m.questionId, granted: false, reason: 'user' });
      this.emit('consent', { granted: false, reason: 'user' });
      return;
    }
    if (decision.kind === 'deny') {
      this.log(`refused a question from ${m.agentName}: ${decision.reason}`);
      note('consent_answered', [], 'deny');
      this.answer({ type: 'consent', questionId: m.questionId, granted: false, reason: 'user' });
      return;
    }
    if (decision.kind === 'admit') {
      this.log(
        decision.reason === 'grant'
          ? `${m.agentName} admitted by this host's grant: no prompt`
          : `${m.agentName} reconnected within the grace window: no new prompt`,
      );
      note('consent_answered', decision.permissions, decision.reason === 'grant' ? 'grant' : 'grace');
      this.endLive('replaced');
      this.recorded = { agentId: m.agentId, agentName: m.agentName, started: false };
      this.answer({
        type: 'consent',
        questionId: m.questionId,
        granted: true,
        permissions: decision.permissions,
        reason: decision.reason,
      });
      this.emit('consent', { granted: true, reason: decision.reason });
      this.liveAgentId = agent.userId;
      this.beginLive(m.agentName, decision.permissions);
      return;
    }
    const question = { id: m.questionId, withdraw: new AbortController() };
    this.question = question;
    try {
      const timeoutMs = this.core.consentTimeoutMs ?? m.timeoutSec * 1000;
      const deadline = Date.now() + timeoutMs;
      const outcome = await askConsent(
        (q, signal) => this.askPerson(q, signal, deadline),
        {
          agentName: m.agentName,
          orgName: m.orgName,
          comment: m.comment,
          permissions: m.permissions,
          timeoutSec: m.timeoutSec,
        },
        timeoutMs,
        question.withdraw.signal,
      );
      // A void question is answered to nobody: its agent is gone, or a newer one replaced it.
      if (outcome.reason === 'withdrawn') return note('consent_answered', [], 'withdrawn');
      note(
        'consent_answered',
        outcome.permissions,
        !outcome.granted
          ? outcome.reason === 'timeout'
            ? 'silence'
            : 'deny'
          : outcome.permissions.length === m.permissions.length
            ? 'allow'
            : 'view',
      );
      this.emit('consent', { granted: outcome.granted, reason: outcome.reason });
      if (!outcome.granted) {
        // A deny of someone else leaves the session the person allowed running.
        if (!this.live) this.grace.revoke();
        this.answer({
          type: 'consent',
          questionId: m.questionId,
          granted: false,
          reason: outcome.reason,
        });
        return;
      }
      this.endLive('replaced');
      this.recorded = { agentId: m.agentId, agentName: m.agentName, started: false };
      this.grace.granted(agent.userId, outcome.permissions);
      this.answer({
        type: 'consent',
        questionId: m.questionId,
        granted: true,
        permissions: outcome.permissions,
        reason: 'user',
      });
      this.liveAgentId = agent.userId;
      this.beginLive(m.agentName, outcome.permissions);
    } finally {
      if (this.question === question) this.question = null;
    }
  }

  private answer(message: Extract<AssistSignalMessage, { type: 'consent' }>): void {
    this.lastAnswer = message;
    this.signaling?.send(message);
  }

  /** One line in the host's own record, with the request's code and organisation. */
  private note(
    kind: HostRecordEntry['kind'],
    e: Partial<Pick<HostRecordEntry, 'agentId' | 'agentName' | 'organisation' | 'answer' | 'reason'>> & {
      permissions: Permission[];
    },
  ): void {
    this.core.record?.append({
      at: new Date().toISOString(),
      kind,
      code: this.summaryValue?.displayCode ?? null,
      organisation: e.organisation ?? this.summaryValue?.organisation ?? null,
      agentId: e.agentId ?? null,
      agentName: e.agentName ?? null,
      permissions: e.permissions,
      answer: e.answer ?? null,
      reason: e.reason ?? null,
    });
  }

  /** Input and system information for an allowed session, checked per message against `permissions`. */
  protected remoteControl(permissions: Permission[], reply: (m: DataChannelMessage) => void): RemoteControl {
    return new RemoteControl({ permissions, backend: this.core.backend, reply, log: this.log });
  }

  /** Files for an allowed session: each one confirmed by the person, or all declined without the permission. */
  protected fileTransfers(
    transport: FileTransport,
    permissions: Permission[],
    confirm: FileConfirm,
  ): FileTransfers {
    return new FileTransfers(transport, {
      onOffer: permissions.includes(RemotePermission.FILE_TRANSFER)
        ? fileInbox(this.core.downloadDir, confirm, (p) => this.emit('fileSaved', p))
        : async () => ({ accept: false, reason: 'file transfer was not allowed' }),
    });
  }

  /** The face's peer connected: the grace window closes and the broker and the person are told. */
  protected onPeerConnected(live: L, relayed: boolean, verificationCode: string): void {
    this.grace.recovered();
    // A reconnect of the same peer (an ICE restart) is the same session: its start is recorded once.
    if (this.recorded && !this.recorded.started) {
      this.recorded.started = true;
      this.note('session_started', {
        agentId: this.recorded.agentId,
        agentName: this.recorded.agentName,
        permissions: live.permissions,
        reason: relayed ? 'relayed' : 'direct',
      });
    }
    this.signaling?.send({ type: 'peer_state', state: 'connected', relayed });
    this.emit('live', {
      agentName: live.agentName,
      permissions: live.permissions,
      relayed,
      verificationCode,
    });
  }

  /** The face's peer closed for good. */
  protected onPeerClosed(): void {
    this.grace.dropped();
    this.signaling?.send({ type: 'peer_state', state: 'closed' });
    this.endLive('peer_closed');
  }

  /** The person pressed Stop: the peer closes now, and the broker is told. */
  stop(): void {
    this.grace.revoke();
    const live = this.live;
    if (!live) return;
    this.sendToPeer(live, { type: 'stop', reason: 'stopped by the user' });
    this.signaling?.send({ type: 'stop' });
    this.endLive('stopped_by_user');
  }

  /**
   * The connection failed its verification (someone may be between the peers, or the agent
   * never finished the exchange): the session ends as on Stop, the agent loses its grace
   * window, and the person is told why.
   */
  protected refuseUnverified(reason: string): void {
    if (!this.live) return;
    this.grace.revoke();
    this.signaling?.send({ type: 'stop' });
    this.emit('problem', `the connection could not be verified, so the session was ended (${reason})`);
    this.endLive(VERIFICATION_FAILED);
  }

  /** The session may not go on (e.g. refused credentials at connection): ended as on Stop, with why. */
  protected refuseLive(reason: string, problem: string): void {
    if (!this.live) return;
    this.grace.revoke();
    this.signaling?.send({ type: 'stop' });
    this.emit('problem', problem);
    this.endLive(reason);
  }

  protected endLive(reason: string): void {
    const live = this.live;
    if (!live) return;
    this.live = null;
    if (this.recorded?.started)
      this.note('session_ended', {
        agentId: this.recorded.agentId,
        agentName: this.recorded.agentName,
        permissions: live.permissions,
        reason,
      });
    this.recorded = null;
    // Transfers end first, with the session's reason, while their transport is still there.
    live.files.dispose(reason);
    this.releaseLive(live);
    void live.control.close();
    this.emit('ended', { reason });
  }

  /** Leaves the request for good (window closed, Ctrl-C after Stop, request over). */
  leave(reason = 'left'): void {
    this.question?.withdraw.abort();
    this.grace.revoke();
    this.endLive(reason);
    this.signaling?.close(reason);
    this.signaling = null;
  }
}
