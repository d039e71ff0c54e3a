import {
  CloseCode,
  HOST_MAX_FRAME_BYTES,
  HostClientMessageSchema,
  hostAuthMessage,
  hostRotateMessage,
  parseJsonFrame,
  PROTOCOL_VERSION,
  randomBytes,
  base64url,
  type HostClientMessage,
  type HostPresenceInfo,
  type HostServerMessage,
  type SystemInfo,
} from '@beckon/protocol';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HostPresenceView } from '../domain/host-service.ts';
import type { HostStore } from '../storage/host-types.ts';
import { originAllowed, refuseUpgrade } from '../live/upgrade.ts';
import { TokenBucket } from '../signal/token-bucket.ts';
import { verifyHostSignature } from './host-keys.ts';
import { PresenceWriter } from './presence-writer.ts';

/** A heartbeat exactly as hosts send it (anything else takes the schema's way). */
const PING = /^\{"type":"ping","t":(\d{1,16})\}$/;

/** A host that has not answered the challenge by then is dropped. */
const HELLO_TIMEOUT_MS = 10_000;

interface HostConn {
  ws: WebSocket;
  nonce: string;
  /** Set once the host proved its key. */
  hostId: string | null;
  publicKey: string;
  presence: HostPresenceInfo | null;
  lastHeardMs: number;
  /** A host says little: a heartbeat, presence when it changes, answers when asked. */
  budget: TokenBucket;
}

/** Frames a host may send: a burst of 20, then 2 a second (heartbeats are one per 15 s). */
const FRAME_BURST = 20;
const FRAMES_PER_SEC = 2;

export interface HostHubOptions {
  store: HostStore;
  allowedOrigins: string[];
  heartbeatMs: number;
  /** Told whenever a host comes, goes or reports new presence (for the live channel). */
  onPresence: (hostId: string, lastSeenAt?: string) => void;
  /** A host's answer to a grant request, or a grant its person revoked (UA): from its proven socket only. */
  onGrant?: (
    hostId: string,
    message: Extract<HostClientMessage, { type: 'grant_answer' | 'grant_revoked' }>,
  ) => void;
  now: () => Date;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/**
 * The managed hosts' WebSocket (`/api/v1/host`). Each socket is challenged
 * with a fresh nonce and admitted only with an Ed25519 signature over it by
 * the key stored for the host id it names: a forged or deleted host is closed
 * with UNAUTHENTICATED and nothing is written. Who is connected is kept here,
 * in memory: after a restart every host is offline until it comes back.
 */
export class HostHub implements HostPresenceView {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: HOST_MAX_FRAME_BYTES,
    handleProtocols: (protocols) => (protocols.has('beckon.host.v1') ? 'beckon.host.v1' : false),
  });
  private readonly conns = new Map<string, HostConn>();
  private readonly pendingSysinfo = new Map<string, (info: SystemInfo | null) => void>();
  private readonly writer: PresenceWriter;
  private readonly sweeper: NodeJS.Timeout;
  private readonly o: HostHubOptions;

  constructor(o: HostHubOptions) {
    this.o = o;
    this.writer = new PresenceWriter(o.store, 1000, (err) =>
      o.log.error({ err }, 'host presence write failed'),
    );
    // One timer for all hosts: a host silent for 1.5 heartbeats is taken for gone.
    this.sweeper = setInterval(() => this.sweep(), Math.max(250, Math.floor(o.heartbeatMs / 2)));
    this.sweeper.unref();
  }

  get onlineCount(): number {
    return this.conns.size;
  }

  handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (!originAllowed(req, this.o.allowedOrigins)) return refuseUpgrade(socket, 403, 'bad_origin');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  };

  private accept(ws: WebSocket): void {
    const conn: HostConn = {
      ws,
      nonce: base64url(randomBytes(32)),
      hostId: null,
      publicKey: '',
      presence: null,
      lastHeardMs: Date.now(),
      budget: new TokenBucket(FRAME_BURST, FRAMES_PER_SEC),
    };
    const helloTimer = setTimeout(() => ws.close(CloseCode.UNAUTHENTICATED, 'no hello'), HELLO_TIMEOUT_MS);
    helloTimer.unref();
    ws.on('error', () => ws.terminate());
    // The host's pings are its heartbeat; ws answers them with pongs by itself.
    ws.on('ping', () => (conn.lastHeardMs = Date.now()));
    ws.on('close', () => {
      clearTimeout(helloTimer);
      this.gone(conn);
    });
    ws.on('message', (data, isBinary) => {
      if (!conn.budget.take()) return ws.close(CloseCode.RATE_LIMITED, 'too many frames');
      conn.lastHeardMs = Date.now();
      // The heartbeat is most of what 20,000 idle hosts send: answered without a parse.
      const ping =
        !isBinary && conn.hostId !== null && (data as Buffer).length <= 40 && PING.exec(data.toString());
      if (ping) return void ws.send(`{"type":"pong","t":${ping[1]}}`);
      const parsed = isBinary
        ? null
        : parseJsonFrame(HostClientMessageSchema, data.toString(), HOST_MAX_FRAME_BYTES);
      if (!parsed?.ok) return ws.close(CloseCode.BAD_MESSAGE, 'bad message');
      if (conn.hostId === null) {
        clearTimeout(helloTimer);
        void this.hello(conn, parsed.value).catch((err: unknown) => {
          this.o.log.error({ err }, 'host hello failed');
          ws.close(CloseCode.GOING_AWAY, 'internal error');
        });
      } else void this.onMessage(conn, parsed.value);
    });
    this.send(ws, { type: 'challenge', v: PROTOCOL_VERSION, nonce: conn.nonce });
  }

  private async hello(conn: HostConn, m: HostClientMessage): Promise<void> {
    if (m.type !== 'hello') return conn.ws.close(CloseCode.UNAUTHENTICATED, 'hello first');
    const host = await this.o.store.byId(m.hostId);
    // Unknown (or deleted) host and wrong key answer alike, and change nothing.
    if (!host || !verifyHostSignature(host.publicKey, hostAuthMessage(m.hostId, conn.nonce), m.proof))
      return conn.ws.close(CloseCode.UNAUTHENTICATED, 'host not recognised');
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    // A host has one socket: a newer one (after a network change) replaces the old.
    const old = this.conns.get(host.id);
    if (old) {
      old.hostId = null;
      old.ws.close(CloseCode.POLICY, 'replaced by a newer connection');
    }
    conn.hostId = host.id;
    conn.publicKey = host.publicKey;
    this.conns.set(host.id, conn);
    this.send(conn.ws, { type: 'welcome', hostId: host.id, heartbeatMs: this.o.heartbeatMs });
    this.writer.touch(host.id, this.o.now().toISOString());
    this.o.onPresence(host.id);
  }

  private async onMessage(conn: HostConn, m: HostClientMessage): Promise<void> {
    const hostId = conn.hostId;
    if (!hostId) return;
    switch (m.type) {
      case 'hello':
        return conn.ws.close(CloseCode.BAD_MESSAGE, 'already authenticated');
      case 'ping':
        return this.send(conn.ws, { type: 'pong', t: m.t });
      case 'presence': {
        const changed = JSON.stringify(conn.presence) !== JSON.stringify(m.info);
        conn.presence = m.info;
        this.writer.touch(hostId, this.o.now().toISOString(), m.info);
        if (changed) this.o.onPresence(hostId);
        return;
      }
      case 'rotate_key': {
        // The socket proved the old key; the proof shows the host holds the new one.
        if (!verifyHostSignature(m.publicKey, hostRotateMessage(hostId, conn.nonce, m.publicKey), m.proof))
          return conn.ws.close(CloseCode.BAD_MESSAGE, 'bad rotation proof');
        if (!(await this.o.store.rotateKey(hostId, conn.publicKey, m.publicKey)))
          return conn.ws.close(CloseCode.UNAUTHENTICATED, 'key no longer valid');
        conn.publicKey = m.publicKey;
        return this.send(conn.ws, { type: 'key_rotated' });
      }
      case 'sysinfo': {
        const resolve = this.pendingSysinfo.get(`${hostId}:${m.id}`);
        this.pendingSysinfo.delete(`${hostId}:${m.id}`);
        resolve?.(m.info);
        return;
      }
      case 'grant_answer':
      case 'grant_revoked':
        this.o.onGrant?.(hostId, m);
        return;
    }
  }

  private gone(conn: HostConn): void {
    const hostId = conn.hostId;
    if (!hostId || this.conns.get(hostId) !== conn) return;
    this.conns.delete(hostId);
    const at = this.o.now().toISOString();
    this.writer.touch(hostId, at);
    this.o.onPresence(hostId, at);
  }

  private sweep(): void {
    const deadline = Date.now() - Math.floor(this.o.heartbeatMs * 1.5);
    for (const conn of this.conns.values()) {
      if (conn.lastHeardMs >= deadline) continue;
      conn.ws.terminate();
      this.gone(conn);
    }
  }

  isOnline(hostId: string): boolean {
    return this.conns.has(hostId);
  }

  /** The hosts connected here, with what they reported (a roll call of the brokers asks for it). */
  *connected(): IterableIterator<{ id: string; presence: HostPresenceInfo | null }> {
    for (const [id, conn] of this.conns) yield { id, presence: conn.presence };
  }

  presenceOf(hostId: string): HostPresenceInfo | null {
    return this.conns.get(hostId)?.presence ?? null;
  }

  lastSeenOf(hostId: string): string | null {
    return this.writer.pendingLastSeen(hostId);
  }

  /** Writes pending presence now (tests compare the database; stop does it too). */
  flushPresence(): Promise<void> {
    return this.writer.flush();
  }

  revoke(hostId: string): void {
    this.writer.forget(hostId);
    const conn = this.conns.get(hostId);
    if (!conn) return;
    this.conns.delete(hostId);
    conn.hostId = null;
    conn.ws.close(CloseCode.CREDENTIAL_REVOKED, 'host deleted');
  }

  /** Sends to a connected host; false if it is not connected. */
  offer(hostId: string, message: HostServerMessage): boolean {
    const conn = this.conns.get(hostId);
    if (!conn) return false;
    this.send(conn.ws, message);
    return true;
  }

  /** Asks a connected host for its system information; null if it does not answer in time. */
  systemInfo(hostId: string, id: string, timeoutMs = 10_000): Promise<SystemInfo | null> {
    return new Promise((resolve) => {
      const key = `${hostId}:${id}`;
      const timer = setTimeout(() => {
        this.pendingSysinfo.delete(key);
        resolve(null);
      }, timeoutMs);
      this.pendingSysinfo.set(key, (info) => {
        clearTimeout(timer);
        resolve(info);
      });
      if (!this.offer(hostId, { type: 'sysinfo_request', id })) {
        clearTimeout(timer);
        this.pendingSysinfo.delete(key);
        resolve(null);
      }
    });
  }

  private send(ws: WebSocket, message: HostServerMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    const at = this.o.now().toISOString();
    for (const [hostId, conn] of this.conns) {
      this.writer.touch(hostId, at);
      conn.ws.close(CloseCode.GOING_AWAY, 'broker stopping');
    }
    this.conns.clear();
    this.wss.close();
    await this.writer.close();
  }
}
