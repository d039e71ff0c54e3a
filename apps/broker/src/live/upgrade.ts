import { CloseCode } from '@beckon/protocol';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Routes WebSocket upgrades by path. Anything not routed is refused with a
 * plain HTTP answer before any WebSocket exists.
 */
export function routeUpgrades(routes: Record<string, UpgradeHandler>): UpgradeHandler {
  return (req, socket, head) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const handler = routes[path];
    if (!handler) return refuseUpgrade(socket, 404, 'not_found');
    handler(req, socket, head);
  };
}

/** Answers an upgrade with an HTTP error and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, code: string): void {
  const body = JSON.stringify({ error: { code, message: code.replace(/_/g, ' ') } });
  socket.end(
    `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 429 ? 'Too Many Requests' : 'Bad Request'}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * The client's address, as fastify's `req.ip` has it for HTTP: the socket's
 * peer, or behind a trusted proxy the first X-Forwarded-For address.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string | null {
  const forwarded = req.headers['x-forwarded-for'];
  const first = typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined;
  return (trustProxy && first) || req.socket.remoteAddress || null;
}

/** Browsers always send Origin; a present Origin must be on the allowlist. Non-browser clients send none. */
export function originAllowed(req: IncomingMessage, allowed: string[]): boolean {
  const origin = req.headers.origin;
  return origin === undefined || allowed.includes(origin);
}

/** The bearer token a WebSocket client offers as a `bearer.<token>` subprotocol (browsers cannot set headers). */
export function subprotocolToken(req: IncomingMessage): string | undefined {
  const offered = req.headers['sec-websocket-protocol'];
  if (typeof offered !== 'string') return undefined;
  return offered
    .split(',')
    .map((p) => p.trim())
    .find((p) => p.startsWith('bearer.'))
    ?.slice(7);
}

export { CloseCode };
