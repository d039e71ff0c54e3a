import {
  AgentSignalMessageSchema,
  AssistSignalMessageSchema,
  BrokerSignalMessageSchema,
  CloseCode,
  PROTOCOL_VERSION,
  SIGNAL_MAX_FRAME_BYTES,
  SIGNAL_SUBPROTOCOL,
  parseJsonFrame,
  parseWith,
  type AgentSignalMessage,
  type AssistSignalMessage,
  type BrokerSignalMessage,
  type HostKind,
  type PeerRole,
} from '@beckon/protocol';
import { Emitter } from './emitter.ts';

/** The subset of the WHATWG WebSocket this client uses; `ws` and browsers both provide it. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export type OutgoingSignal<R extends PeerRole> = R extends 'agent' ? AgentSignalMessage : AssistSignalMessage;
export type SignalingState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ConnectDetails {
  url: string;
  protocols: string[];
}

export type SignalingErrorKind = 'bad_frame' | 'connect_failed' | 'socket_error' | 'handshake_timeout';
export interface SignalingError {
  kind: SignalingErrorKind;
  message: string;
}

export interface SignalingClosed {
  code: number;
  reason: string;
  /** True when the client will try again; false when this close is final. */
  willReconnect: boolean;
}

export type SignalingEvents = {
  state: [SignalingState];
  /** Every valid broker frame, `welcome` included. */
  message: [BrokerSignalMessage];
  /** A dropped frame or a failed attempt: reported, never thrown into the app. */
  error: [SignalingError];
  close: [SignalingClosed];
};

/**
 * Thrown by `connect()` when trying again is pointless (the request is closed,
 * the join was refused): the client closes for good instead of backing off.
 */
export class TerminalSignalingError extends Error {
  override readonly name = 'TerminalSignalingError';
}

export interface SignalingClientOptions<R extends PeerRole> {
  role: R;
  /** The host's kind, said in every hello (the assist role only; absent is an app). */
  host?: HostKind;
  /** Called before every (re)connect: the assist client's ticket is single-use. */
  connect: () => Promise<ConnectDetails>;
  /** Defaults to `globalThis.WebSocket` (browsers, Node 24); tests may pass `ws`. */
  WebSocket?: WebSocketConstructor;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** How many `UNAUTHENTICATED` closes in a row are retried through `connect()`. */
  maxAuthRetries?: number;
  /** How long a socket may take from creation to the broker's `welcome`. */
  handshakeTimeoutMs?: number;
  random?: () => number;
}

/**
 * Close codes after which reconnecting cannot help: the request is over, the
 * caller may not be here, or the two sides speak different protocols.
 * `NORMAL` is only final when this client closed (see `close()`); the broker
 * never uses it for a refusal.
 */
const TERMINAL_CODES: ReadonlySet<number> = new Set([
  CloseCode.REQUEST_ENDED,
  CloseCode.CREDENTIAL_REVOKED,
  CloseCode.FORBIDDEN,
  CloseCode.NOT_FOUND,
  CloseCode.PROTOCOL_MISMATCH,
  CloseCode.ROOM_FULL,
]);

/**
 * `ws` reports a refused upgrade as "Unexpected server response: 401"; a
 * browser only sees 1006. Where the status is visible it is mapped to the
 * close code the broker would have used after an accepted upgrade.
 */
const HTTP_REFUSALS: ReadonlyMap<number, number> = new Map([
  [400, CloseCode.BAD_MESSAGE],
  [401, CloseCode.UNAUTHENTICATED],
  [403, CloseCode.FORBIDDEN],
  [404, CloseCode.NOT_FOUND],
  [410, CloseCode.REQUEST_ENDED],
]);

const OUTGOING_SCHEMAS = { agent: AgentSignalMessageSchema, assist: AssistSignalMessageSchema } as const;
const WS_OPEN = 1;

/** Exponential backoff with full jitter: a uniform delay in [0, min(cap, base·2^attempt)). */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random = Math.random): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30)));
}

/** `http(s)://host[/prefix]` → `ws(s)://host[/prefix]/api/v1/signal?<query>`. */
export function signalUrl(baseUrl: string, query: { request: string } | { ticket: string }): string {
  const url = new URL(baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : url.protocol === 'http:' ? 'ws:' : url.protocol;
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/signal`;
  url.search = new URLSearchParams(query).toString();
  url.hash = '';
  return url.toString();
}

/** Subprotocols: the version, and for a non-browser agent its token (browsers send the cookie). */
export function signalProtocols(bearerToken?: string): string[] {
  return bearerToken ? [SIGNAL_SUBPROTOCOL, `bearer.${bearerToken}`] : [SIGNAL_SUBPROTOCOL];
}

/**
 * One peer's WebSocket to the broker. Says hello on open, parses every frame
 * with the protocol schema, and reconnects with backoff until a terminal close
 * or `close()`. Nothing is queued across reconnects: signals belong to the
 * connection they were made for, and the caller resends what still matters.
 */
export class SignalingClient<R extends PeerRole> extends Emitter<SignalingEvents> {
  private readonly opts: Required<Omit<SignalingClientOptions<R>, 'WebSocket' | 'host'>> & {
    WebSocket: WebSocketConstructor | undefined;
    host?: HostKind;
  };
  private socket: WebSocketLike | null = null;
  private currentState: SignalingState = 'connecting';
  private started = false;
  private attempt = 0;
  private authFailures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private handshakeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped per attempt so callbacks of an abandoned socket do nothing. */
  private generation = 0;
  private lastWelcome: Extract<BrokerSignalMessage, { type: 'welcome' }> | null = null;

  constructor(options: SignalingClientOptions<R>) {
    super();
    this.opts = {
      backoffBaseMs: 250,
      backoffCapMs: 10_000,
      maxAuthRetries: 3,
      handshakeTimeoutMs: 15_000,
      random: Math.random,
      ...options,
      WebSocket: options.WebSocket,
    };
  }

  get state(): SignalingState {
    return this.currentState;
  }

  /** The broker's latest `welcome` (role, status, ICE servers), or null before the first. */
  get welcome(): Extract<BrokerSignalMessage, { type: 'welcome' }> | null {
    return this.lastWelcome;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.open();
  }

  /**
   * Sends one frame if the broker has welcomed this connection; returns false
   * otherwise (the caller decides whether the signal is still worth resending).
   * A frame that does not match the role's schema is a bug and throws.
   */
  send(message: OutgoingSignal<R>): boolean {
    const checked = parseWith(OUTGOING_SCHEMAS[this.opts.role], message);
    if (!checked.ok) throw new TypeError(`invalid ${this.opts.role} signal: ${checked.error.message}`);
    if (this.currentState !== 'open' || !this.socket || this.socket.readyState !== WS_OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  /** Leaves for good: a NORMAL close tells the broker this was deliberate. */
  close(reason = 'bye'): void {
    if (this.currentState === 'closed') return;
    const socket = this.socket;
    this.teardown();
    socket?.close(CloseCode.NORMAL, reason);
    this.finish({ code: CloseCode.NORMAL, reason, willReconnect: false });
  }

  private async open(): Promise<void> {
    const generation = ++this.generation;
    let details: ConnectDetails;
    try {
      details = await this.opts.connect();
    } catch (err) {
      if (generation !== this.generation || this.currentState === 'closed') return;
      const message = err instanceof Error ? err.message : String(err);
      this.emit('error', { kind: 'connect_failed', message });
      if (err instanceof TerminalSignalingError) {
        this.finish({ code: CloseCode.NORMAL, reason: message, willReconnect: false });
      } else {
        this.retry();
      }
      return;
    }
    if (generation !== this.generation || this.currentState === 'closed') return;
    const Ctor = this.opts.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketConstructor | undefined);
    if (!Ctor) throw new Error('no WebSocket implementation: pass one as the WebSocket option');
    let socket: WebSocketLike;
    try {
      socket = new Ctor(details.url, details.protocols);
    } catch (err) {
      this.emit('error', {
        kind: 'connect_failed',
        message: err instanceof Error ? err.message : String(err),
      });
      this.retry();
      return;
    }
    this.socket = socket;
    let refusal: number | undefined;
    this.handshakeTimer = setTimeout(() => {
      this.emit('error', { kind: 'handshake_timeout', message: 'no welcome from the broker' });
      // No status code: a NORMAL close would tell the broker we left on purpose.
      socket.close();
      this.onSocketClosed(generation, { code: 1006, reason: 'handshake timeout' });
    }, this.opts.handshakeTimeoutMs);
    socket.onopen = () => {
      if (generation !== this.generation) return;
      const host = this.opts.host ? { host: this.opts.host } : {};
      socket.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, ...host }));
    };
    socket.onmessage = (event) => {
      if (generation !== this.generation) return;
      this.onFrame(event.data);
    };
    socket.onerror = (event) => {
      if (generation !== this.generation) return;
      const message = errorMessage(event);
      const status = /Unexpected server response: (\d{3})/.exec(message)?.[1];
      if (status) refusal = HTTP_REFUSALS.get(Number(status));
      this.emit('error', { kind: 'socket_error', message });
    };
    socket.onclose = (event) => {
      const code = event.code === 1006 && refusal !== undefined ? refusal : event.code;
      this.onSocketClosed(generation, { code, reason: event.reason });
    };
  }

  private onFrame(data: unknown): void {
    if (typeof data !== 'string') {
      this.emit('error', { kind: 'bad_frame', message: 'binary frame' });
      return;
    }
    const parsed = parseJsonFrame(BrokerSignalMessageSchema, data, SIGNAL_MAX_FRAME_BYTES);
    if (!parsed.ok) {
      this.emit('error', { kind: 'bad_frame', message: parsed.error.message });
      return;
    }
    const message = parsed.value;
    if (message.type === 'welcome') {
      clearTimeout(this.handshakeTimer);
      // Only a welcomed connection counts as a success: a broker that accepts
      // and then drops us at once must still be met with growing delays.
      this.attempt = 0;
      this.authFailures = 0;
      this.lastWelcome = message;
      this.setState('open');
    }
    this.emit('message', message);
  }

  private onSocketClosed(generation: number, event: { code: number; reason: string }): void {
    if (generation !== this.generation || this.currentState === 'closed') return;
    this.teardown();
    let terminal = TERMINAL_CODES.has(event.code);
    if (event.code === CloseCode.UNAUTHENTICATED) {
      this.authFailures += 1;
      terminal = this.authFailures > this.opts.maxAuthRetries;
    }
    if (terminal) {
      this.finish({ code: event.code, reason: event.reason, willReconnect: false });
      return;
    }
    this.emit('close', { code: event.code, reason: event.reason, willReconnect: true });
    this.retry();
  }

  private retry(): void {
    this.setState('reconnecting');
    const delay = backoffDelay(
      this.attempt,
      this.opts.backoffBaseMs,
      this.opts.backoffCapMs,
      this.opts.random,
    );
    this.attempt += 1;
    this.retryTimer = setTimeout(() => void this.open(), delay);
  }

  /** Forgets the current socket and timers without closing it (callers decide how). */
  private teardown(): void {
    this.generation += 1;
    clearTimeout(this.retryTimer);
    clearTimeout(this.handshakeTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onopen = null;
      socket.onmessage = null;
      // Not null: closing a socket still connecting makes `ws` (Node) report the
      // abort as an error event, which with no listener would be thrown.
      socket.onerror = () => {};
      socket.onclose = null;
    }
  }

  private finish(closed: SignalingClosed): void {
    this.setState('closed');
    this.emit('close', closed);
  }

  private setState(state: SignalingState): void {
    if (this.currentState === state) return;
    this.currentState = state;
    this.emit('state', state);
  }
}

function errorMessage(event: unknown): string {
  if (event && typeof event === 'object') {
    const e = event as { message?: unknown; error?: { message?: unknown } };
    if (typeof e.message === 'string' && e.message) return e.message;
    if (e.error && typeof e.error.message === 'string') return e.error.message;
  }
  return 'WebSocket error';
}
