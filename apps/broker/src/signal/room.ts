import {
  canConnect,
  CloseCode,
  ErrorCode,
  isFinal,
  type Actor,
  type AgentSignalMessage,
  type AssistSignalMessage,
  type BrokerSignalMessage,
  type ErrorCode as ErrorCodeType,
  type PeerRole,
  type RemotePermission,
  type SessionEvent,
  type SessionStatus,
} from '@beckon/protocol';
import type { RequestService } from '../domain/request-service.ts';
import type { RequestRecord, Storage } from '../storage/types.ts';

/** How long the end user has to answer; the assist client denies on its own at 60 s, this is the backstop. */
export const CONSENT_TIMEOUT_SEC = 60;
const CONSENT_BACKSTOP_MS = (CONSENT_TIMEOUT_SEC + 5) * 1000;

/** One end of a room, as the room sees it: it can be told things and be shut. */
export interface RoomPeer {
  role: PeerRole;
  actor: Actor;
  send(message: BrokerSignalMessage): void;
  /** Sends a frame as it came: a validated `signal` frame is byte for byte the broker's own. */
  sendRaw(text: string): void;
  close(code: number, reason: string): void;
}

export interface RoomDeps {
  requests: RequestService;
  storage: Storage;
  graceMs: number;
  log: { warn(obj: object, msg: string): void };
}

const SYSTEM: Actor = { type: 'system', id: null, name: null };
const ACTIVE: ReadonlySet<SessionStatus> = new Set(['ready', 'in_session']);

/**
 * One session request's meeting point: at most one assist client and one
 * controlling agent. The room relays SDP and candidates only after the end
 * user consented, and turns what the peers say into state-machine events;
 * the status itself lives in storage, so a restarted broker picks it up.
 * Operations run one at a time, in arrival order, because each one reads and
 * writes the request's status.
 */
export class Room {
  readonly orgId: string;
  readonly id: string;
  private readonly deps: RoomDeps;
  private peers: Partial<Record<PeerRole, RoomPeer>> = {};
  private status: SessionStatus;
  /** What the end user allowed for the current session; null before consent. */
  private granted: RemotePermission[] | null;
  private pending: { permissions: RemotePermission[]; timer: NodeJS.Timeout } | null = null;
  private readonly leaveTimers = new Map<PeerRole, NodeJS.Timeout>();
  private chain: Promise<void> = Promise.resolve();
  onEmpty: () => void = () => {};

  constructor(record: RequestRecord, deps: RoomDeps) {
    this.orgId = record.orgId;
    this.id = record.id;
    this.deps = deps;
    this.status = record.status;
    // A stored ready/in_session status is durable proof of a consent given
    // before a broker restart; the peers may still be connected to each other.
    this.granted = ACTIVE.has(record.status) ? record.permissions : null;
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

  currentStatus(): SessionStatus {
    return this.status;
  }

  /** Adds a peer whose hello was accepted. The caller checked the place is free. */
  join(peer: RoomPeer): Promise<void> {
    this.peers[peer.role] = peer;
    clearTimeout(this.leaveTimers.get(peer.role));
    this.leaveTimers.delete(peer.role);
    this.other(peer.role)?.send({ type: 'peer', role: peer.role, present: true });
    if (peer.role === 'agent') return Promise.resolve();
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
    if (peer.role === 'agent' && this.pending) {
      // Nobody is left to see the answer: withdraw the question.
      void this.run(() => this.resolveConsent(false, null, 'user', SYSTEM));
    }
    const gone = () => void this.run(() => this.abandoned(peer.role));
    if (intentional) gone();
    else this.leaveTimers.set(peer.role, setTimeout(gone, this.deps.graceMs).unref());
    this.maybeEmpty();
  }

  /** The grace window passed (or the peer left on purpose) without the peer coming back. */
  private async abandoned(role: PeerRole): Promise<void> {
    this.leaveTimers.delete(role);
    if (this.peers[role]) return;
    const reason = role === 'agent' ? 'agent_left' : 'client_left';
    await this.endSession(reason, SYSTEM);
    if (role === 'assist') await this.event('client_left', SYSTEM, null, true);
    this.maybeEmpty();
  }

  agentMessage(peer: RoomPeer, message: AgentSignalMessage, raw: string): Promise<void> {
    return this.run(async () => {
      switch (message.type) {
        case 'connect':
          return this.connect(peer, message.permissions);
        case 'end_session':
          return this.endSession('agent_ended', peer.actor);
        default:
          return this.common(peer, message, raw);
      }
    });
  }

  assistMessage(peer: RoomPeer, message: AssistSignalMessage, raw: string): Promise<void> {
    return this.run(async () => {
      switch (message.type) {
        case 'consent':
          if (!this.pending) return this.error(peer, ErrorCode.CONFLICT, 'no consent question is open');
          return this.resolveConsent(
            message.granted,
            message.permissions ?? this.pending.permissions,
            message.reason,
            peer.actor,
          );
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
    // Deny by default: no SDP or candidate crosses before the end user said yes.
    if (!this.granted) return this.error(peer, ErrorCode.PERMISSION_DENIED, 'the end user has not consented');
    if (message.type === 'signal') {
      const other = this.other(peer.role);
      if (!other) return this.error(peer, ErrorCode.PEER_ABSENT, 'the other side is not connected');
      // The frame passed the strict schema, so its text is exactly the broker's
      // `{type:'signal', data}`: relaying it as is saves serializing SDP again.
      return other.sendRaw(raw);
    }
    if (message.state === 'connected') {
      if (this.status === 'ready')
        await this.event('peer_connected', peer.actor, message.relayed ? 'relayed' : 'direct');
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
    const record = await this.deps.storage.requests.get(this.orgId, this.id);
    if (!record || !canConnect(record.status)) {
      return this.error(
        agent,
        ErrorCode.ILLEGAL_TRANSITION,
        `cannot connect while ${record?.status ?? 'gone'}`,
      );
    }
    // The request names what the end user was told could be asked; nothing more.
    if (asked.some((p) => !record.permissions.includes(p))) {
      return this.error(agent, ErrorCode.PERMISSION_DENIED, 'permissions beyond the request');
    }
    if (!(await this.event('connect_requested', agent.actor, null))) return;
    const org = await this.deps.storage.orgs.get(this.orgId);
    const timer = setTimeout(
      () => void this.run(() => this.resolveConsent(false, null, 'timeout', SYSTEM)),
      CONSENT_BACKSTOP_MS,
    ).unref();
    this.pending = { permissions: asked, timer };
    this.granted = null;
    assist.send({
      type: 'consent_request',
      agentName: agent.actor.name ?? '',
      orgName: org?.name ?? '',
      comment: record.comment,
      permissions: asked,
      timeoutSec: CONSENT_TIMEOUT_SEC,
    });
  }

  private async resolveConsent(
    granted: boolean,
    permissions: RemotePermission[] | null,
    reason: 'user' | 'timeout' | 'grace',
    actor: Actor,
  ): Promise<void> {
    const pending = this.pending;
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending = null;
    // The end user may narrow what was asked (e.g. view only), never widen it.
    const allowed =
      granted && permissions ? permissions.filter((p) => pending.permissions.includes(p)) : null;
    const ok = granted && allowed !== null && allowed.length > 0;
    if (ok && (await this.event('consent_granted', actor, reason))) {
      this.granted = allowed;
      this.peers.agent?.send({ type: 'consent_result', granted: true, permissions: allowed, reason });
      return;
    }
    await this.event('consent_denied', actor, reason, true);
    this.peers.agent?.send({ type: 'consent_result', granted: false, permissions: null, reason });
  }

  private async endSession(reason: string, actor: Actor): Promise<void> {
    const hadSession = this.granted !== null || ACTIVE.has(this.status);
    this.granted = null;
    if (this.pending) await this.resolveConsent(false, null, 'user', actor);
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
  ): Promise<boolean> {
    try {
      const record = await this.deps.requests.applyEvent(this.orgId, this.id, event, actor, reason);
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
    this.granted = null;
    for (const t of this.leaveTimers.values()) clearTimeout(t);
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
