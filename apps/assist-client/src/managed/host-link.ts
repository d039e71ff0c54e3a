import {
  CloseCode,
  HOST_MAX_FRAME_BYTES,
  hostAuthMessage,
  hostRotateMessage,
  HostServerMessageSchema,
  parseJsonFrame,
  PROTOCOL_VERSION,
  type HostClientMessage,
  type HostPresenceInfo,
  type SystemInfo,
} from '@beckon/protocol';
import { backoffDelay, Emitter, type WebSocketConstructor, type WebSocketLike } from '@beckon/session';
import { signText, type HostKey } from './host-key.ts';

export const HOST_SUBPROTOCOL = 'beckon.host.v1';

export interface HostLinkOptions {
  brokerUrl: string;
  hostId: string;
  key: HostKey;
  /** Tried once when `key` is refused: a rotation the broker took before the host could save it. */
  nextKey?: HostKey | null;
  presence: () => Promise<HostPresenceInfo>;
  systemInfo: () => Promise<SystemInfo>;
  log: (line: string) => void;
  WebSocket?: WebSocketConstructor;
  backoffBaseMs?: number;
  backoffCapMs?: number;
}

export type HostLinkEvents = {
  online: [];
  offline: [code: number];
  /** The broker refused this host's key (deleted, or never enrolled here): final, no more reconnects. */
  refused: [code: number];
  /** An agent pressed Connect: join this session code like any assist client. */
  offer: [offer: { requestId: string; code: string }];
  /** The broker took the new key (the caller saves it as the key). */
  rotated: [key: HostKey];
};

/** `http(s)://broker[/prefix]` → `ws(s)://broker[/prefix]/api/v1/host`. */
export function hostSocketUrl(brokerUrl: string): string {
  const url = new URL(brokerUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/host`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/**
 * A managed host's one WebSocket to the broker, kept open for as long as the
 * host runs: it answers the broker's challenge with a signature, says it is
 * alive every heartbeat, reports presence when it changes, and reconnects
 * with jittered backoff (the same helper as signaling) after a broker
 * restart or a network loss. A broker that stops answering for two
 * heartbeats is taken for gone and the socket is replaced.
 */
export class HostLink extends Emitter<HostLinkEvents> {
  private ws: WebSocketLike | null = null;
  private stopped = false;
  private attempt = 0;
  private nonce = '';
  private heartbeat: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private lastHeardMs = 0;
  private lastPresence = '';
  private pendingRotation: HostKey | null = null;
  private key: HostKey;
  private nextKey: HostKey | null;
  private readonly o: HostLinkOptions;

  constructor(o: HostLinkOptions) {
    super();
    this.o = o;
    this.key = o.key;
    this.nextKey = o.nextKey ?? null;
  }

  get online(): boolean {
    return this.heartbeat !== undefined;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.drop(CloseCode.NORMAL, 'host stopping');
  }

  /** Asks the broker to take `next` as this host's key (proved by a signature made with it). */
  rotateKey(next: HostKey): void {
    this.pendingRotation = next;
    this.sendRotation();
  }

  private sendRotation(): void {
    const next = this.pendingRotation;
    if (!next || !this.online) return;
    this.send({
      type: 'rotate_key',
      publicKey: next.publicKey,
      proof: signText(next, hostRotateMessage(this.o.hostId, this.nonce, next.publicKey)),
    });
  }

  private connect(): void {
    const Ctor = this.o.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketConstructor);
    const ws = new Ctor(hostSocketUrl(this.o.brokerUrl), [HOST_SUBPROTOCOL]);
    this.ws = ws;
    ws.onmessage = (event) => {
      if (this.ws !== ws) return;
      this.lastHeardMs = Date.now();
      const parsed = parseJsonFrame(HostServerMessageSchema, String(event.data), HOST_MAX_FRAME_BYTES);
      if (!parsed.ok) return this.o.log(`ignored a frame from the broker: ${parsed.error.message}`);
      const m = parsed.value;
      switch (m.type) {
        case 'challenge':
          this.nonce = m.nonce;
          return this.send({
            type: 'hello',
            v: PROTOCOL_VERSION,
            hostId: this.o.hostId,
            proof: signText(this.key, hostAuthMessage(this.o.hostId, m.nonce)),
          });
        case 'welcome':
          this.attempt = 0;
          this.lastPresence = '';
          this.startHeartbeat(m.heartbeatMs);
          this.emit('online');
          void this.reportPresence();
          return this.sendRotation();
        case 'pong':
          return;
        case 'key_rotated':
          if (this.pendingRotation) {
            this.key = this.pendingRotation;
            this.pendingRotation = null;
            this.emit('rotated', this.key);
          }
          return;
        case 'sysinfo_request':
          void this.o.systemInfo().then(
            (info) => this.send({ type: 'sysinfo', id: m.id, info }),
            (err: unknown) => this.o.log(`system information failed: ${(err as Error).message}`),
          );
          return;
        case 'session_offer':
          return this.emit('offer', { requestId: m.requestId, code: m.code });
      }
    };
    ws.onerror = () => {
      // The close event follows and decides what happens next.
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.onClosed(event.code);
    };
  }

  private onClosed(code: number): void {
    const wasOnline = this.online;
    this.ws = null;
    this.stopHeartbeat();
    if (wasOnline) this.emit('offline', code);
    if (this.stopped) return;
    if (code === CloseCode.UNAUTHENTICATED || code === CloseCode.CREDENTIAL_REVOKED) {
      if (code === CloseCode.UNAUTHENTICATED && this.nextKey) {
        // A rotation the broker took while the host went down before saving it: the new key is the key.
        this.o.log('the key was refused; trying the key of an unfinished rotation');
        this.key = this.nextKey;
        this.nextKey = null;
        this.emit('rotated', this.key);
        return this.connect();
      }
      this.stopped = true;
      this.o.log(
        code === CloseCode.CREDENTIAL_REVOKED ? 'this host was deleted' : 'the broker refused this host',
      );
      this.emit('refused', code);
      return;
    }
    const delay = backoffDelay(this.attempt++, this.o.backoffBaseMs ?? 500, this.o.backoffCapMs ?? 15_000);
    this.retry = setTimeout(() => this.connect(), delay);
  }

  private startHeartbeat(ms: number): void {
    this.stopHeartbeat();
    this.lastHeardMs = Date.now();
    let beats = 0;
    this.heartbeat = setInterval(() => {
      if (Date.now() - this.lastHeardMs > 2 * ms) {
        // No pong for two heartbeats: the network or the broker is gone; a fresh socket finds out.
        this.o.log('the broker stopped answering; reconnecting');
        const ws = this.ws;
        this.ws = null;
        ws?.close(CloseCode.GOING_AWAY, 'no answer');
        return this.onClosed(CloseCode.GOING_AWAY);
      }
      this.send({ type: 'ping', t: Date.now() });
      if (++beats % 2 === 0) void this.reportPresence();
    }, ms);
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private async reportPresence(): Promise<void> {
    const info = await this.o.presence();
    const text = JSON.stringify(info);
    if (text === this.lastPresence || !this.online) return;
    this.lastPresence = text;
    this.send({ type: 'presence', info });
  }

  private drop(code: number, reason: string): void {
    const ws = this.ws;
    this.ws = null;
    const wasOnline = this.online;
    this.stopHeartbeat();
    ws?.close(code, reason);
    if (wasOnline) this.emit('offline', code);
  }

  private send(m: HostClientMessage): void {
    if (this.ws && this.ws.readyState === 1) this.ws.send(JSON.stringify(m));
  }
}
