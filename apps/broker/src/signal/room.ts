import { randomBytes } from 'node:crypto';
import {
  canConnect,
  CloseCode,
  decideConsent,
  ErrorCode,
  isFinal,
  narrowToAsked,
  type Actor,
  type AgentSignalMessage,
  type AssistSignalMessage,
  type ConsentReason,
  type ErrorCode as ErrorCodeType,
  type HostKind,
  type PeerRole,
  type RemotePermission,
  type SessionEvent,
  type SessionStatus,
} from '@beckon/protocol';
import type { TransitionAuditInfo } from '../storage/audit-types.ts';
import type { RequestRecord } from '../storage/types.ts';
import {
  ACTIVE,
  CONSENT_BACKSTOP_MS,
  CONSENT_TIMEOUT_SEC,
  SYSTEM,
  type Consent,
  type Pending,
  type RoomDeps,
  type RoomPeer,
} from './room-types.ts';

/**
 * One session request's meeting point: at most one assist client and one
 * agent. Consent is bound to one agent and one peer connection: the room
 * relays SDP and candidates only between the host and the agent the end
 * user allowed, each question has an id and only its own answer applies,
 * and a question whose agent left is withdrawn from the host's screen. The
 * host decides last; the room turns what the peers say into state-machine
 * events, and the status lives in storage, so a restarted broker picks it up.
 * Operations run one at a time, in arrival order, because each one reads and
 * writes the request's status.
 */
export class Room {
  readonly orgId: string;
  readonly id: string;
  private readonly deps: RoomDeps;
  private peers: Partial<Record<PeerRole, RoomPeer>> = {};
  private status: SessionStatus;
  private consent: Consent | null = null;
  private pending: Pending | null = null;
  /** A dropped peer's place, kept for the grace window; `userId` is whose place it is. */
  private readonly leaveTimers = new Map<PeerRole, { timer: NodeJS.Timeout; userId: string | null }>();
  private chain: Promise<void> = Promise.resolve();
  onEmpty: () => void = () => {};

  constructor(record: RequestRecord, deps: RoomDeps) {
    this.orgId = record.orgId;
    this.id = record.id;
    this.deps = deps;
    this.status = record.status;
    // A stored ready/in_session status is durable proof of a consent given
    // before a broker restart; the peers may still be connected to each other.
    // It was given to the agent who last asked, and that agent is away now.
    if (ACTIVE.has(record.status)) void this.run(() => this.restoreConsent(record));
  }

  private async restoreConsent(record: RequestRecord): Promise<void> {
    const events = await this.deps.storage.requests.events(record.id);
    const asked = events.findLast((e) => e.kind === 'connect_requested' && e.actor.id !== null);
    if (!asked) return;
    this.consent = { agent: asked.actor, permissions: record.permissions, droppedAtMs: Date.now() };
  }

  /** Runs `fn` after every earlier operation on this room. */
  private run(fn: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(fn).catch((err: unknown) => {
      this.deps.log.warn({ err, requestId: this.id }, 'signaling room operation failed');
    });
    return this.chain;
  }

  has(role: PeerRole): boolean {
    return this.peers[role] !== undefined;
  }

  peerPresent(role: PeerRole): boolean {
    return this.peers[role === 'agent' ? 'assist' : 'agent'] !== undefined;
  }

  /** The present host's kind, or undefined when no host is here. */
  hostKind(): HostKind | undefined {
    const host = this.peers.assist;
    return host ? (host.host ?? 'app') : undefined;
  }

  currentStatus(): SessionStatus {
    return this.status;
  }

  /** Adds a peer whose hello was accepted. The caller checked the place is free. */
  join(peer: RoomPeer): Promise<void> {
    this.peers[peer.role] = peer;
    const kept = this.leaveTimers.get(peer.role);
    // Only the same user coming back takes up a kept place: another agent
    // joining must not stop the clock on a session it was never allowed.
    if (kept && (peer.role === 'assist' || kept.userId === peer.actor.id)) {
      clearTimeout(kept.timer);
      this.leaveTimers.delete(peer.role);
    }
    const host = peer.role === 'assist' ? { host: peer.host ?? 'app' } : {};
    this.other(peer.role)?.send({ type: 'peer', role: peer.role, present: true, ...host });
    if (peer.role === 'agent') return Promise.resolve();
    this.askAgain(peer);
    // in_session after a broker restart: the client is back, nothing to change.
    return this.run(async () => {
      await this.event('client_joined', peer.actor, null, true);
    });
  }

  /** A peer's socket closed. An intentional leave acts at once; a drop gets the grace window. */
  leave(peer: RoomPeer, intentional: boolean): void {
    if (this.peers[peer.role] !== peer) return;
    delete this.peers[peer.role];
    this.other(peer.role)?.send({ type: 'peer', role: peer.role, present: false });
    if (peer.role === 'agent' && this.pending?.agent.id === peer.actor.id) {
      // Nobody is left to see the answer: withdraw the question, from the host's screen too.
      void this.run(() => this.withdraw('agent_left'));
    }
    if (peer.role === 'agent' && this.consent?.agent.id === peer.actor.id && !intentional)
      this.consent.droppedAtMs ??= Date.now();
    const gone = () => void this.run(() => this.abandoned(peer));
    if (intentional) gone();
    else
      this.leaveTimers.set(peer.role, {
        timer: setTimeout(gone, this.deps.graceMs).unref(),
        userId: peer.actor.id,
      });
    this.maybeEmpty();
  }

  /** The grace window passed (or the peer left on purpose) without that peer coming back. */
  private async abandoned(left: RoomPeer): Promise<void> {
    const role = left.role;
    if (this.leaveTimers.get(role)?.userId === left.actor.id) this.leaveTimers.delete(role);
    const back = this.peers[role];
    if (back && (role === 'assist' || back.actor.id === left.actor.id)) return;
    if (role === 'agent') {
      // Only the allowed agent's absence ends the session; another agent's question stays.
      if (this.consent?.agent.id === left.actor.id) await this.endSession('agent_left', SYSTEM);
    } else {
      // Nobody is left to answer: the question is void.
      await this.withdraw('client_left');
      await this.endSession('client_left', SYSTEM);
      await this.event('client_left', SYSTEM, null, true);
    }
    this.maybeEmpty();
  }

  /** Whether `agent` is the one the end user allowed: only it may reach the host's peer. */
  private allowed(agent: RoomPeer | undefined): boolean {
    return agent !== undefined && this.consent !== null && this.consent.agent.id === agent.actor.id;
  }

  agentMessage(peer: RoomPeer, message: AgentSignalMessage, raw: string): Promise<void> {
    return this.run(async () => {
      switch (message.type) {
        case 'connect':
          return this.connect(peer, message.permissions);
        case 'end_session':
          if (this.pending?.agent.id === peer.actor.id) await this.withdraw('agent_ended');
          if (this.allowed(peer)) return this.endSession('agent_ended', peer.actor);
          return;
        default:
          return this.common(peer, message, raw);
      }
    });
  }

  assistMessage(peer: RoomPeer, message: AssistSignalMessage, raw: string): Promise<void> {
    return this.run(async () => {
      switch (message.type) {
        case 'consent':
          // An answer applies to its own question only; a stale or foreign one changes nothing.
          if (this.pending?.id !== message.questionId)
            return this.error(peer, ErrorCode.CONFLICT, 'no such consent question is open');
          return this.resolveConsent(message.granted, message.permissions, message.reason, peer);
        case 'stop':
          return this.endSession('stopped_by_user', peer.actor);
        default:
          return this.common(peer, message, raw);
      }
    });
  }

  private async common(
    peer: RoomPeer,
    message: Extract<AgentSignalMessage, { type: 'signal' | 'peer_state' | 'hello' }>,
    raw: string,
  ): Promise<void> {
    if (message.type === 'hello') return this.error(peer, ErrorCode.BAD_REQUEST, 'hello was already sent');
    // Deny by default: no SDP or candidate crosses before the end user said
    // yes, and only between the host and the agent it said yes to.
    const agent = this.peers.agent;
    if (!this.consent) return this.error(peer, ErrorCode.PERMISSION_DENIED, 'the end user has not consented');
    if (peer.role === 'agent' ? !this.allowed(peer) : agent && !this.allowed(agent))
      return this.error(peer, ErrorCode.PERMISSION_DENIED, 'the end user has not allowed this agent');
    if (message.type === 'signal') {
      const other = this.other(peer.role);
      if (!other) return this.error(peer, ErrorCode.PEER_ABSENT, 'the other side is not connected');
      // The frame passed the strict schema, so its text is exactly the broker's
      // `{type:'signal', data}`: relaying it as is saves serializing SDP again.
      return other.sendRaw(raw);
    }
    if (message.state === 'connected') {
      this.consent.droppedAtMs = null;
      // The record names the agent that really connected, whoever reported it.
      if (this.status === 'ready')
        // The session's audit entry names what the person allowed, not what the request offered.
        await this.event(
          'peer_connected',
          this.consent.agent,
          message.relayed ? 'relayed' : 'direct',
          false,
          { details: { permissions: this.consent.permissions }, ip: peer.ip },
        );
    } else if (message.state === 'closed') {
      await this.endSession('peer_closed', peer.actor);
    }
    // 'disconnected' and 'failed' are left to the peers: they restart ICE,
    // and the grace window covers the rest.
  }

  private async connect(agent: RoomPeer, asked: RemotePermission[]): Promise<void> {
    const assist = this.peers.assist;
    if (!assist) return this.error(agent, ErrorCode.PEER_ABSENT, 'the end user has not joined');
    if (this.pending) return this.error(agent, ErrorCode.CONFLICT, 'the end user is already being asked');
    // A browser can only show its screen (UA2): control, files and system information need the assist client.
    if (assist.host === 'browser' && asked.some((p) => p !== 'view'))
      return this.error(
        agent,
        ErrorCode.PERMISSION_DENIED,
        'the end user shares from a browser: view only (control, files and system information need Beckon Assist)',
      );
    const record = await this.deps.storage.requests.get(this.orgId, this.id);
    if (!record || !canConnect(record.status)) {
      return this.error(
        agent,
        ErrorCode.ILLEGAL_TRANSITION,
        `cannot connect while ${record?.status ?? 'gone'}`,
      );
    }
    const decision = decideConsent({
      agent: { userId: agent.actor.id ?? '', name: agent.actor.name ?? '' },
      asked,
      offered: record.permissions,
      held: this.consent && { ...this.consent, agentId: this.consent.agent.id ?? '' },
      nowMs: Date.now(),
      graceMs: this.deps.graceMs,
      // The broker's copy of the grant: the host weighs its own, and its word is final.
      grant: (await this.deps.grantFor?.(this.id, agent.actor.id ?? '')) ?? null,
    });
    // The request names what the end user was told could be asked; nothing more.
    if (decision.kind === 'deny')
      return this.error(agent, ErrorCode.PERMISSION_DENIED, 'permissions beyond the request');
    const id = randomBytes(16).toString('hex');
    // The question is in the audit log with its id and permissions, committed with the status change.
    if (
      !(await this.event('connect_requested', agent.actor, null, false, {
        details: { questionId: id, permissions: asked },
        ip: agent.ip,
      }))
    )
      return;
    const org = await this.deps.storage.orgs.get(this.orgId);
    const timer = setTimeout(
      () => void this.run(() => this.withdraw('timeout')),
      CONSENT_BACKSTOP_MS,
    ).unref();
    // Whether the host may skip the prompt is the host's to decide; the room
    // only refuses a "grace" or "grant" answer that the same policy would not give.
    const admitBy = decision.kind === 'admit' ? decision.reason : null;
    const question = {
      type: 'consent_request' as const,
      questionId: id,
      agentId: agent.actor.id ?? '',
      agentName: agent.actor.name ?? '',
      orgName: org?.name ?? '',
      comment: record.comment,
      permissions: asked,
      timeoutSec: CONSENT_TIMEOUT_SEC,
    };
    this.pending = {
      id,
      agent: agent.actor,
      permissions: asked,
      admitBy,
      timer,
      question,
      askedAtMs: Date.now(),
    };
    assist.send(question);
  }

  /**
   * A host whose socket dropped while it was being asked may have answered
   * into the dead socket, or never seen the question: it is asked again, with
   * the same id and the time left. The host ignores a question still on its
   * screen and repeats an answer it already gave.
   */
  private askAgain(assist: RoomPeer): void {
    const pending = this.pending;
    if (!pending) return;
    const leftSec = CONSENT_TIMEOUT_SEC - Math.floor((Date.now() - pending.askedAtMs) / 1000);
    assist.send({ ...pending.question, timeoutSec: Math.max(1, leftSec) });
  }

  /** The open question is void (its agent left or ended it, or nobody answered): off the host's screen. */
  private async withdraw(reason: 'agent_left' | 'agent_ended' | 'client_left' | 'timeout'): Promise<void> {
    const pending = this.pending;
    if (!pending) return;
    this.peers.assist?.send({ type: 'consent_withdrawn', questionId: pending.id });
    const by = { actor: SYSTEM, ip: null };
    await this.resolveConsent(false, undefined, reason === 'timeout' ? 'timeout' : 'user', by, reason);
  }

  private async resolveConsent(
    granted: boolean,
    answered: RemotePermission[] | undefined,
    reason: ConsentReason,
    by: { actor: Actor; ip: string | null },
    why: string = reason,
  ): Promise<void> {
    const pending = this.pending;
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending = null;
    const asker = this.peers.agent?.actor.id === pending.agent.id ? this.peers.agent : undefined;
    // The end user may narrow what was asked (e.g. view only), never widen it;
    // a "grace" or "grant" admission the policy would not give is no admission:
    // a "grant" answer needs the broker's copy of a grant (unattended, or an
    // activated ad-hoc session) that admits this agent; the host's word is final.
    const allowed =
      granted && ((reason !== 'grace' && reason !== 'grant') || reason === pending.admitBy)
        ? narrowToAsked(pending.permissions, answered)
        : null;
    if (allowed) {
      // A new consent replaces the session running under the old one.
      if (this.status === 'in_session') await this.event('session_ended', SYSTEM, 'replaced');
      // allow: everything asked; view: the person narrowed it (e.g. view only).
      const answer = allowed.length === pending.permissions.length ? 'allow' : 'view';
      const details = { questionId: pending.id, answer, asked: pending.permissions, permissions: allowed };
      if (await this.event('consent_granted', by.actor, reason, false, { details, ip: by.ip })) {
        this.consent = { agent: pending.agent, permissions: allowed, droppedAtMs: null };
        asker?.send({ type: 'consent_result', granted: true, permissions: allowed, reason });
        return;
      }
    }
    // deny: the person said no; silence: nobody answered in time; withdrawn: the question went away.
    const answer = why === 'user' ? 'deny' : why === 'timeout' ? 'silence' : 'withdrawn';
    await this.event('consent_denied', by.actor, why, true, {
      details: { questionId: pending.id, answer, asked: pending.permissions, permissions: [] },
      ip: by.ip,
    });
    asker?.send({
      type: 'consent_result',
      granted: false,
      permissions: null,
      reason: reason === 'grace' || reason === 'grant' ? 'user' : reason,
    });
  }

  private async endSession(reason: string, actor: Actor): Promise<void> {
    // An open question is left alone: it belongs to whoever asked, and ends by its own answer.
    const hadSession = this.consent !== null || ACTIVE.has(this.status);
    this.consent = null;
    if (!hadSession) return;
    if (ACTIVE.has(this.status)) await this.event('session_ended', actor, reason, true);
    for (const p of Object.values(this.peers)) p.send({ type: 'session_ended', reason });
  }

  /** Applies a state-machine event; false (logged unless `quiet`) when the status does not allow it. */
  private async event(
    event: SessionEvent,
    actor: Actor,
    reason: string | null,
    quiet = false,
    audit?: TransitionAuditInfo,
  ): Promise<boolean> {
    try {
      const record = await this.deps.requests.applyEvent(this.orgId, this.id, event, actor, reason, audit);
      this.status = record.status;
      return true;
    } catch (err) {
      if (!quiet) this.deps.log.warn({ err, requestId: this.id, event }, 'signaling event refused');
      return false;
    }
  }

  /** The request's status changed (by this room, a REST call or the expiry sweep). */
  statusChanged(status: SessionStatus): void {
    this.status = status;
    for (const p of Object.values(this.peers)) p.send({ type: 'status', status });
    if (isFinal(status)) this.shut(`request ${status}`);
  }

  /** Closes both ends for good: the request is closed or expired, or the broker stops. */
  shut(reason: string, code: number = CloseCode.REQUEST_ENDED): void {
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = null;
    this.consent = null;
    for (const t of this.leaveTimers.values()) clearTimeout(t.timer);
    this.leaveTimers.clear();
    for (const p of Object.values(this.peers)) p.close(code, reason);
    this.peers = {};
    this.onEmpty();
  }

  private other(role: PeerRole): RoomPeer | undefined {
    return this.peers[role === 'agent' ? 'assist' : 'agent'];
  }

  private error(peer: RoomPeer, code: ErrorCodeType, message: string): void {
    peer.send({ type: 'error', code, message });
  }

  /** Forgets the room once nobody is in it and nothing is pending, after queued operations ran. */
  private maybeEmpty(): void {
    void this.run(async () => {
      if (!this.peers.agent && !this.peers.assist && this.leaveTimers.size === 0 && !this.pending)
        this.onEmpty();
    });
  }
}
