import { createServer, connect, type Socket } from 'node:net';

/**
 * A TCP relay between a host and the broker that a test can cut and restore:
 * the host's network going away (every open connection dropped, new ones
 * refused) and coming back, without touching the broker.
 */
export interface TcpRelay {
  url: string;
  cut(): void;
  /** From now on the host hears nothing from the broker (until `restore`): frames lost in flight. */
  deafen(): void;
  /** From now on the broker hears nothing from the host (until `restore`). */
  mute(): void;
  restore(): void;
  stop(): Promise<void>;
}

export async function startTcpRelay(targetUrl: string): Promise<TcpRelay> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let up = true;
  let deaf = false;
  let muted = false;
  const server = createServer((client) => {
    if (!up) return client.destroy();
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    // By hand, not piped: a deaf or muted relay drops what crosses it.
    client.on('data', (chunk: Buffer) => {
      if (!muted) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!deaf) client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      up = false;
      for (const s of sockets) s.destroy();
    },
    deafen() {
      deaf = true;
    },
    mute() {
      muted = true;
    },
    restore() {
      up = true;
      deaf = false;
      muted = false;
    },
    stop() {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
