import { CloseCode, LiveServerMessageSchema, parseJsonFrame, type LiveServerMessage } from '@beckon/protocol';

/**
 * The agents' live channel (`/api/v1/live`): the broker pushes request changes,
 * so lists never poll. This client keeps one socket open, proves it alive with
 * pings, and reconnects with capped, jittered exponential backoff.
 */
export type LiveStatus = 'connecting' | 'live' | 'offline';

/** The slice of the browser WebSocket used here; a fake in tests. */
export interface SocketLike {
  send(text: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface LiveClientOptions {
  url(): string;
  protocols(): string[];
  createSocket(url: string, protocols: string[]): SocketLike;
  onMessage(message: LiveServerMessage): void;
  /** `attempt` counts failures since the last good connection. */
  onStatus(status: LiveStatus, attempt: number): void;
  timers?: Timers;
  random?: () => number;
  pingEveryMs?: number;
  /** No frame for this long after a ping: the connection is dead even if TCP has not noticed. */
  silenceLimitMs?: number;
  /**
   * The broker closed the socket because its credential ended (signed out, user
   * disabled) or a permission was taken away: retrying cannot help, the app
   * must ask who it is now.
   */
  onCredentialClosed?(code: number): void;
}

/** Close codes that say the credential, not the network, ended the socket. */
const CREDENTIAL_CLOSES: ReadonlySet<number> = new Set([CloseCode.CREDENTIAL_REVOKED, CloseCode.FORBIDDEN]);

export interface LiveClient {
  start(): void;
  stop(): void;
  /** Skip the wait and connect now (the browser came back online). */
  reconnectNow(): void;
}

/**
 * Frames from the broker carry a whole request (comment up to 2,000 characters),
 * so they may exceed the 4 KiB the broker accepts from clients; this bounds
 * what the app parses without refusing any frame the broker can legitimately send.
 */
export const LIVE_SERVER_FRAME_LIMIT = 256 * 1024;

const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;

/** 1 s, 2 s, 4 s … capped at 30 s, each scaled into [50 %, 100 %] so agents do not reconnect in step. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(attempt, 10));
  return Math.round(ceiling * (0.5 + random() / 2));
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function createLiveClient(options: LiveClientOptions): LiveClient {
  const timers = options.timers ?? realTimers;
  const random = options.random ?? Math.random;
  const pingEvery = options.pingEveryMs ?? 25_000;
  const silenceLimit = options.silenceLimitMs ?? 10_000;
  let socket: SocketLike | null = null;
  let running = false;
  let attempt = 0;
  let retry: unknown = null;
  let ping: unknown = null;
  let silence: unknown = null;

  const clear = (handle: unknown) => {
    if (handle !== null) timers.clearTimeout(handle);
  };

  function schedulePing(): void {
    clear(ping);
    ping = timers.setTimeout(() => {
      socket?.send(JSON.stringify({ type: 'ping', t: Date.now() }));
      clear(silence);
      silence = timers.setTimeout(() => socket?.close(4000, 'no answer to ping'), silenceLimit);
    }, pingEvery);
  }

  function drop(current: SocketLike): void {
    current.onopen = current.onmessage = current.onclose = current.onerror = null;
    try {
      current.close(1000, 'client stopping');
    } catch {
      // Already closed.
    }
  }

  function connect(): void {
    retry = null;
    if (!running) return;
    options.onStatus('connecting', attempt);
    let current: SocketLike;
    try {
      current = options.createSocket(options.url(), options.protocols());
    } catch {
      scheduleRetry();
      return;
    }
    socket = current;
    current.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      const parsed = parseJsonFrame(LiveServerMessageSchema, event.data, LIVE_SERVER_FRAME_LIMIT);
      // A frame this client does not understand (a newer broker) is skipped, not fatal.
      if (!parsed.ok) return;
      clear(silence);
      silence = null;
      schedulePing();
      if (parsed.value.type === 'hello') {
        attempt = 0;
        options.onStatus('live', 0);
      }
      options.onMessage(parsed.value);
    };
    current.onclose = (event) => {
      if (socket !== current) return;
      socket = null;
      clear(ping);
      clear(silence);
      ping = silence = null;
      const code = (event as { code?: unknown } | null)?.code;
      if (typeof code === 'number' && CREDENTIAL_CLOSES.has(code)) {
        running = false;
        options.onStatus('offline', attempt);
        options.onCredentialClosed?.(code);
        return;
      }
      scheduleRetry();
    };
    // Errors are always followed by close; the close handler decides.
    current.onerror = () => {};
  }

  function scheduleRetry(): void {
    if (!running) return;
    const delay = backoffDelay(attempt, random);
    attempt += 1;
    options.onStatus('offline', attempt);
    retry = timers.setTimeout(connect, delay);
  }

  return {
    start() {
      if (running) return;
      running = true;
      attempt = 0;
      connect();
    },
    stop() {
      running = false;
      clear(retry);
      clear(ping);
      clear(silence);
      retry = ping = silence = null;
      if (socket) drop(socket);
      socket = null;
    },
    reconnectNow() {
      if (!running || socket) return;
      clear(retry);
      connect();
    },
  };
}
