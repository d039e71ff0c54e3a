import type { FastifyServerFactory } from 'fastify';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;
type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * The broker's HTTP server, bound before anything else is made: with port 0
 * the port is known only once bound, and the public URL, the allowed origins
 * and every link carry it. Binding first makes the address a plain value when
 * the services are made, so nothing is rewritten afterwards.
 *
 * Requests and upgrades that arrive before `open` wait for it: fastify cannot
 * route before it is ready, and requests that expired while the broker was
 * down are expired before anyone can use them.
 */
export interface Listener {
  server: Server;
  /** `http://<host>:<port>`, the port actually taken. */
  url: string;
  /** Hands the server to fastify (its `serverFactory`) with fastify's timeouts. */
  serverFactory: FastifyServerFactory;
  /** Routes WebSocket upgrades (see live/upgrade.ts). */
  onUpgrade(handler: UpgradeHandler): void;
  /** Lets the waiting requests and upgrades through, and every later one at once. */
  open(): void;
  /** Stops accepting connections and waits for the open ones to end. */
  close(): Promise<void>;
}

export async function listen(port: number, host: string): Promise<Listener> {
  const server = createServer();
  let requests: RequestHandler | undefined;
  let upgrades: UpgradeHandler | undefined;
  let opened = false;
  let release = () => {};
  const gate = { promise: new Promise<void>((resolve) => (release = resolve)) };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (opened && requests) return requests(req, res);
    void gate.promise.then(() => requests?.(req, res));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (opened && upgrades) return upgrades(req, socket, head);
    void gate.promise.then(() => (upgrades ? upgrades(req, socket, head) : socket.destroy()));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the broker is not listening on TCP');
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    serverFactory: (handler, options) => {
      requests = handler;
      // What fastify would have set on a server of its own (its options, with its defaults filled in).
      const o = options as { keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number };
      if (o.keepAliveTimeout !== undefined) server.keepAliveTimeout = o.keepAliveTimeout;
      if (o.requestTimeout !== undefined) server.requestTimeout = o.requestTimeout;
      if (o.connectionTimeout !== undefined) server.setTimeout(o.connectionTimeout);
      return server;
    },
    onUpgrade(handler) {
      upgrades = handler;
    },
    open() {
      opened = true;
      release();
    },
    close() {
      // Node closes idle keep-alive connections on close; busy ones end with their answer.
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
