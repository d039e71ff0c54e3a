import {
  PROTOCOL_VERSION,
  SIGNAL_SUBPROTOCOL,
  type BrokerSignalMessage,
  type HostKind,
} from '@beckon/protocol';
import WebSocket from 'ws';
import { request, waitFor } from './fixture.ts';

/**
 * A bare signaling client for broker tests: raw frames in, every frame out
 * recorded, so a test can send what no well-behaved client would.
 */
export interface RawSignal {
  ws: WebSocket;
  messages: BrokerSignalMessage[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  send(frame: unknown): void;
  next<T extends BrokerSignalMessage['type']>(
    type: T,
    after?: number,
  ): Promise<Extract<BrokerSignalMessage, { type: T }>>;
}

export function rawSignal(
  baseUrl: string,
  query: string,
  opts: { token?: string; origin?: string; protocols?: string[]; wsOptions?: WebSocket.ClientOptions } = {},
): RawSignal {
  const protocols = opts.protocols ?? [SIGNAL_SUBPROTOCOL, ...(opts.token ? [`bearer.${opts.token}`] : [])];
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/v1/signal?${query}`, protocols, {
    ...(opts.origin ? { headers: { origin: opts.origin } } : {}),
    ...opts.wsOptions,
  });
  const messages: BrokerSignalMessage[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(d.toString()) as BrokerSignalMessage));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  opened.catch(() => {});
  return {
    ws,
    messages,
    opened,
    closed,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next: (type, after = 0) =>
      waitFor(
        () => messages.slice(after).find((m) => m.type === type) as never,
        10_000,
        `signal frame '${type}'`,
      ),
  };
}

/** Joins as the end user would: code or token → ticket → signaling socket, hello sent. */
export async function joinAssist(
  baseUrl: string,
  body: { code: string } | { token: string },
  host?: HostKind,
) {
  const res = await request(baseUrl, 'POST', '/api/v1/join', body);
  if (res.status !== 200) throw new Error(`join failed: ${res.status} ${JSON.stringify(res.body)}`);
  const s = rawSignal(baseUrl, `ticket=${res.body.ticket as string}`);
  await s.opened;
  s.send({ type: 'hello', v: PROTOCOL_VERSION, ...(host ? { host } : {}) });
  await s.next('welcome');
  return s;
}

export async function joinAgent(baseUrl: string, token: string, requestId: string) {
  const s = rawSignal(baseUrl, `request=${requestId}`, { token });
  await s.opened;
  s.send({ type: 'hello', v: PROTOCOL_VERSION });
  await s.next('welcome');
  return s;
}
