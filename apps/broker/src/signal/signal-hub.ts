import {
  AccountPermission,
  AgentSignalMessageSchema,
  AssistSignalMessageSchema,
  CloseCode,
  parseJsonFrame,
  parseWith,
  PROTOCOL_VERSION,
  SIGNAL_MAX_FRAME_BYTES,
  SIGNAL_SUBPROTOCOL,
  SignalConnectQuerySchema,
  type Actor,
  type BrokerSignalMessage,
  type ConsentGrant,
  type PeerRole,
} from '@beckon/protocol';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ZodType } from 'zod';
import type { AuthService } from '../domain/auth.ts';
import { closeFor, type CredentialEvents, type SocketCredential } from '../domain/credential-events.ts';
import type { JoinService } from '../domain/join-service.ts';
import type { RequestService } from '../domain/request-service.ts';
import { tokenOf } from '../http/auth-hook.ts';
import { clientAddress, originAllowed, refuseUpgrade, subprotocolToken } from '../live/upgrade.ts';
import type { RequestRecord, Storage } from '../storage/types.ts';
import { TokenBucket } from './token-bucket.ts';
import { Room } from './room.ts';
import type { RoomPeer } from './room-types.ts';
import { RoomRelay, type RoomHandle } from './room-relay.ts';
import { settleIfAbsent, takesOver, type SettleDeps } from './settle.ts';
import { MemoryCluster, type SignalCluster } from './signal-cluster.ts';
import { iceServersFor, type IceConfig } from './turn.ts';

/** A peer must say hello this soon after the upgrade, or it is dropped. */
const HELLO_TIMEOUT_MS = 10_000;
/**
 * Negotiation is a burst of a few dozen frames (SDP, candidates); a steady
 * 20 frames a second is far above any real peer and well below a flood.
 */
const FRAME_BURST = 60;
const FRAMES_PER_SEC = 20;

export interface SignalHubDeps {
  auth: AuthService;
  join: JoinService;
  requests: RequestService;
  storage: Storage;
  allowedOrigins: string[];
  parseCookies: (header: string) => Record<string, string | undefined>;
  credentials: CredentialEvents;
  ice: IceConfig;
  graceMs: number;
  heartbeatMs: number;
  /** Whether X-Forwarded-For names the client (BECKON_TRUST_PROXY), as for HTTP requests. */
  trustProxy?: boolean;
  now: () => Date;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  /** The unattended-access grant a request was admitted by, for the rooms (UA7). */
  grantFor?: (requestId: string, agentId: string) => Promise<ConsentGrant | null>;
  /** The brokers sharing these requests' rooms; by default this broker alone. */
  cluster?: SignalCluster;
}

interface Identity {
  role: PeerRole;
  actor: Actor;
  record: RequestRecord;
  /** An agent's credential; an assist client's single-use ticket is spent at the upgrade. */
  cred: SocketCredential | null;
}

interface Conn {
  ws: WebSocket;
  alive: boolean;
  /** When the unanswered ping went out: a pong has one heartbeat interval to come back. */
  pingedAt: number;
  cred: SocketCredential | null;
  /** Set when the broker ends the socket for its credential: a deliberate leave, not a drop. */
  revoked: boolean;
}

/**
 * `/api/v1/signal`: authenticates the upgrade before it completes, then puts
 * the socket in its request's room. Every frame is size-capped by `ws`,
 * rate-limited, and parsed with the protocol schema of the sender's role;
 * anything else closes the socket with a code that says why.
 */
export class SignalHub {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: SIGNAL_MAX_FRAME_BYTES,
    handleProtocols: (protocols) => (protocols.has(SIGNAL_SUBPROTOCOL) ? SIGNAL_SUBPROTOCOL : false),
  });
  private readonly rooms = new Map<string, Room>();
  private sweepCursor: Iterator<Conn> = [].values();
  private sweepRoundAt = -Infinity;
  private readonly sweepTickMs: number;
  private readonly conns = new Set<Conn>();
  private readonly deps: SignalHubDeps;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly reconcileTimer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private readonly unsubscribeCredentials: () => void;
  private readonly cluster: SignalCluster;
  private readonly ownCluster: boolean;
  private readonly relay: RoomRelay;
  private readonly settleDeps: SettleDeps;
  /** Set by close(): sockets closed then are drops another broker may take over, not leaves. */
  private stopping = false;

  constructor(deps: SignalHubDeps) {
    this.deps = deps;
    this.ownCluster = !deps.cluster;
    this.cluster = deps.cluster ?? new MemoryCluster().member();
    this.relay = new RoomRelay(this.cluster, {
      room: (record) => this.room(record),
      roomIds: () => [...this.rooms.keys()],
      record: async (orgId, requestId) => {
        const record = await this.deps.storage.requests.get(orgId, requestId);
        return record && !this.gone(record) ? record : null;
      },
      welcome: (room, peer, record) => this.welcome(room, peer, record),
      log: deps.log,
    });
    this.settleDeps = {
      requests: deps.requests,
      storage: deps.storage,
      cluster: this.cluster,
      hostHere: (id) => this.rooms.get(id)?.has('assist') ?? false,
    };
    // An agent must not say one more `connect` once its credential ended or lost the edit permission.
    this.unsubscribeCredentials = deps.credentials.onCredentialClosed((event) => {
      for (const c of this.conns) {
        const close = c.cred && closeFor(event, c.cred, AccountPermission.REQUESTS_EDIT);
        if (!close) continue;
        c.revoked = true;
        c.ws.close(close.code, close.reason);
      }
    });
    this.unsubscribe = deps.requests.onChange((_orgId, _change, _summary, ref) => {
      this.rooms.get(ref.id)?.statusChanged(ref.status);
    });
    // The sweep visits a few sockets per tick: pinging thousands at once would
    // stall every relay for milliseconds each round.
    this.sweepTickMs = Math.min(100, deps.heartbeatMs / 4);
    this.heartbeat = setInterval(() => this.sweep(), this.sweepTickMs).unref();
    // After a restart, peers that are still there reconnect within the grace
    // window; requests whose end user did not come back are settled then.
    this.reconcileTimer = setTimeout(() => void this.reconcile(), deps.graceMs).unref();
  }

  handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (!originAllowed(req, this.deps.allowedOrigins)) return refuseUpgrade(socket, 403, 'bad_origin');
    const params = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
    const query = parseWith(SignalConnectQuerySchema, params);
    if (!query.ok) return refuseUpgrade(socket, 400, 'bad_request');
    const identify =
      'ticket' in query.value ? this.assist(query.value.ticket) : this.agent(req, query.value.request);
    identify.then(
      (result) => {
        if ('refuse' in result) return refuseUpgrade(socket, result.refuse[0], result.refuse[1]);
        const ip = clientAddress(req, this.deps.trustProxy ?? false);
        this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, { ...result, ip }));
      },
      (err: unknown) => {
        this.deps.log.warn({ err }, 'signaling upgrade failed');
        refuseUpgrade(socket, 500, 'internal_error');
      },
    );
  };

  private async assist(ticket: string): Promise<Identity | { refuse: [number, string] }> {
    const found = await this.deps.join.redeem(ticket);
    if (!found) return { refuse: [401, 'invalid_token'] };
    const record = await this.deps.storage.requests.get(found.orgId, found.requestId);
    const gone = this.gone(record);
    if (gone || !record) return { refuse: gone ?? [404, 'not_found'] };
    return {
      role: 'assist',
      actor: { type: 'client', id: null, name: record.recipientName },
      record,
      cred: null,
    };
  }

  private async agent(
    req: IncomingMessage,
    requestId: string,
  ): Promise<Identity | { refuse: [number, string] }> {
    const cookies = this.deps.parseCookies(req.headers.cookie ?? '');
    const auth = await this.deps.auth.authenticate(
      subprotocolToken(req) ?? tokenOf(req.headers, cookies)?.token,
    );
    if (!auth) return { refuse: [401, 'unauthenticated'] };
    // Connecting changes a request's status, so it takes the edit permission.
    if (!auth.user.permissions.includes(AccountPermission.REQUESTS_EDIT))
      return { refuse: [403, 'forbidden'] };
    const record = await this.deps.storage.requests.get(auth.user.orgId, requestId);
    if (!record) return { refuse: [404, 'not_found'] };
    const gone = this.gone(record);
    if (gone) return { refuse: gone };
    return {
      role: 'agent',
      actor: { type: 'user', id: auth.user.id, name: auth.user.name },
      record,
      cred: { userId: auth.user.id, tokenHash: auth.tokenHash, apiTokenId: null },
    };
  }

  private gone(record: RequestRecord | null): [number, string] | null {
    if (!record) return null;
    if (record.status === 'closed') return [410, 'request_closed'];
    if (record.status === 'expired' || record.expiresAt <= this.deps.now().toISOString())
      return [410, 'request_expired'];
    return null;
  }

  private accept(ws: WebSocket, who: Identity & { ip: string | null }): void {
    const conn: Conn = { ws, alive: true, pingedAt: 0, cred: who.cred, revoked: false };
    this.conns.add(conn);
    const bucket = new TokenBucket(FRAME_BURST, FRAMES_PER_SEC);
    const send = (message: BrokerSignalMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const peer: RoomPeer = {
      role: who.role,
      actor: who.actor,
      ip: who.ip,
      send,
      sendRaw: (text) => {
        if (ws.readyState === ws.OPEN) ws.send(text);
      },
      close: (code, reason) => ws.close(code, reason),
    };
    let room: Promise<RoomHandle | null> | null = null;
    const helloTimer = setTimeout(() => ws.close(CloseCode.POLICY, 'no hello'), HELLO_TIMEOUT_MS);
    const onFrame =
      who.role === 'agent'
        ? this.frames(AgentSignalMessageSchema, (r, m, raw) => r.then((h) => h?.deliver(m, raw)))
        : this.frames(
            AssistSignalMessageSchema,
            (r, m, raw) => r.then((h) => h?.deliver(m, raw)),
            (hello) => (peer.host = (hello.type === 'hello' && hello.host) || 'app'),
          );

    ws.on('pong', () => (conn.alive = true));
    ws.on('error', (err) => {
      // A protocol error of the socket (an oversized or malformed frame): it ends here, and says why.
      this.deps.log.warn({ err: err.message, role: who.role }, 'signaling socket error');
      ws.terminate();
    });
    ws.on('close', (code) => {
      clearTimeout(helloTimer);
      this.conns.delete(conn);
      // A close the client sent (normal, going away, or no status) is a leave;
      // 1006 and the rest are drops that may come back within the grace window.
      // A socket whose credential ended leaves for good: it ends its session at once.
      // A socket the stopping broker closes may come back through another broker.
      const intentional =
        !this.stopping && (code === CloseCode.NORMAL || code === CloseCode.GOING_AWAY || code === 1005);
      void room?.then((h) => h?.leave(conn.revoked || intentional));
    });
    ws.on('message', (data, isBinary) => {
      // Frames already on the wire when the credential ended are not acted on.
      if (conn.revoked) return;
      if (!bucket.take()) return ws.close(CloseCode.RATE_LIMITED, 'too many messages');
      const verdict = isBinary ? 'bad' : onFrame(room, data.toString());
      if (verdict === 'bad') return ws.close(CloseCode.BAD_MESSAGE, 'bad message');
      if (verdict === 'hello_first') return ws.close(CloseCode.BAD_MESSAGE, 'hello first');
      if (verdict === 'version') return ws.close(CloseCode.PROTOCOL_MISMATCH, `protocol ${PROTOCOL_VERSION}`);
      if (verdict === 'hello') {
        clearTimeout(helloTimer);
        room = this.relay.enter(peer, who.record).catch((err: unknown) => {
          this.deps.log.warn({ err }, 'signaling room not entered');
          ws.close(CloseCode.GOING_AWAY, 'try again');
          return null;
        });
      }
    });
  }

  /** Parses one frame with the sender's schema; the hello opens the room, everything else goes into it. */
  private frames<T extends { type: string; v?: number }>(
    schema: ZodType<T>,
    deliver: (room: Promise<RoomHandle | null>, message: T, raw: string) => Promise<void>,
    onHello: (hello: T) => void = () => {},
  ) {
    return (
      room: Promise<RoomHandle | null> | null,
      text: string,
    ): 'bad' | 'hello_first' | 'version' | 'hello' | 'ok' => {
      const parsed = parseJsonFrame(schema, text, SIGNAL_MAX_FRAME_BYTES);
      if (!parsed.ok) return 'bad';
      if (!room) {
        if (parsed.value.type !== 'hello') return 'hello_first';
        if (parsed.value.v !== PROTOCOL_VERSION) return 'version';
        onHello(parsed.value);
        return 'hello';
      }
      void deliver(room, parsed.value, text);
      return 'ok';
    };
  }

  /** The request's room on this broker, made if needed. */
  private room(record: RequestRecord): Room {
    let room = this.rooms.get(record.id);
    if (!room) {
      // Taken over from a broker that died: settled like a restart's if its end user does not come back.
      if (takesOver(record)) {
        const settle = () => void settleIfAbsent(this.settleDeps, record).catch(() => {});
        setTimeout(settle, this.deps.graceMs).unref();
      }
      room = new Room(record, {
        requests: this.deps.requests,
        storage: this.deps.storage,
        graceMs: this.deps.graceMs,
        log: this.deps.log,
        grantFor: this.deps.grantFor,
      });
      const created = room;
      created.onEmpty = () => {
        if (this.rooms.get(record.id) !== created) return;
        this.rooms.delete(record.id);
        this.relay.released(record.id);
      };
      this.rooms.set(record.id, room);
    }
    return room;
  }

  private welcome(room: Room, peer: RoomPeer, record: RequestRecord): void {
    peer.send({
      type: 'welcome',
      v: PROTOCOL_VERSION,
      role: peer.role,
      requestId: record.id,
      status: room.currentStatus(),
      peerPresent: room.peerPresent(peer.role),
      ...(peer.role === 'agent' && room.hostKind() ? { peerHost: room.hostKind() } : {}),
      iceServers: iceServersFor(this.deps.ice, `${record.id}.${peer.role}`, this.deps.now()),
    });
  }

  /** Requests left waiting/ready/in_session by a broker that stopped, whose end user is not back. */
  private async reconcile(): Promise<void> {
    try {
      for (const r of await this.deps.storage.requests.withClient()) await settleIfAbsent(this.settleDeps, r);
    } catch (err) {
      this.deps.log.warn({ err }, 'signaling reconcile failed');
    }
  }

  /**
   * Each socket is visited once per heartbeat interval: pinged, and terminated
   * on the next visit if no pong came back in between. A round starts no
   * sooner than one interval after the last: with a budget of at least one
   * socket a tick, a broker holding two sockets visited each every 200 ms, and
   * terminated any whose pong took longer (a host across a 120 ms RTT link
   * with a queue dropped every second or two, and lost signals with it).
   */
  private sweep(): void {
    let budget = Math.ceil((this.conns.size * this.sweepTickMs) / this.deps.heartbeatMs);
    const now = performance.now();
    while (budget-- > 0) {
      let next = this.sweepCursor.next();
      if (next.done) {
        if (now - this.sweepRoundAt < this.deps.heartbeatMs) return;
        this.sweepRoundAt = now;
        // A new round; a Set iterator sees sockets added and removed meanwhile.
        this.sweepCursor = this.conns.values();
        next = this.sweepCursor.next();
        if (next.done) return;
      }
      const c = next.value;
      if (!c.alive) {
        // Sockets that left ahead of it in the round bring a visit forward: not before its time.
        if (now - c.pingedAt >= this.deps.heartbeatMs) c.ws.terminate();
        continue;
      }
      c.alive = false;
      c.pingedAt = now;
      c.ws.ping();
    }
  }

  /** Open rooms and sockets, for tests and metrics. */
  stats(): { rooms: number; sockets: number } {
    return { rooms: this.rooms.size, sockets: this.conns.size };
  }

  close(): void {
    this.stopping = true;
    this.relay.close();
    // Let go of the rooms held here, so the other brokers take them over at once.
    for (const id of this.rooms.keys()) this.relay.released(id);
    if (this.ownCluster) void this.cluster.close();
    clearInterval(this.heartbeat);
    clearTimeout(this.reconcileTimer);
    this.unsubscribe();
    this.unsubscribeCredentials();
    // Going away, not ended: the peers keep their connection and reconnect to the next broker.
    for (const c of this.conns) c.ws.close(CloseCode.GOING_AWAY, 'broker stopping');
    this.wss.close();
  }
}
