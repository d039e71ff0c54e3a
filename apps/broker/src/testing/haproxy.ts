import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './fixture.ts';

/** Debian's haproxy; tests and `scripts/beckon cluster` start their own on loopback. */
const HAPROXY = process.env.BECKON_HAPROXY ?? '/usr/sbin/haproxy';

export interface Haproxy {
  url: string;
  /** The runtime API's Unix socket (`show sess`, `disable server brokers/b1`). */
  statsSocket: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The load balancer in front of the brokers: round robin, no stickiness (any
 * broker serves any request: the shared database and Redis hold what they
 * must agree on), a health check on `/healthz` every second so a dead broker
 * is out within two, WebSocket-friendly timeouts (`timeout tunnel`: a
 * signaling or live socket stays open for hours; the peers' heartbeats keep
 * it busy), and the client's address in X-Forwarded-For, set (never appended
 * to) so a client cannot choose what the throttles count. The stats socket
 * (haproxy's runtime API) shows which broker each connection went to and can
 * take a broker out of rotation.
 */
export function haproxyConfig(
  port: number,
  brokers: { name: string; port: number }[],
  statsSocket?: string,
): string {
  return `global
  maxconn 4000
${statsSocket ? `  stats socket ${statsSocket} mode 600 level admin\n` : ''}defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout tunnel 4h
  timeout http-keep-alive 5s
  timeout check 2s
frontend beckon
  bind 127.0.0.1:${port}
  http-request set-header X-Forwarded-For %[src]
  default_backend brokers
backend brokers
  balance roundrobin
  option httpchk GET /healthz
  http-check expect status 200
  default-server inter 1s fall 2 rise 1
${brokers.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check`).join('\n')}
`;
}

export async function startHaproxy(
  dir: string,
  port: number,
  brokers: { name: string; port: number }[],
): Promise<Haproxy> {
  const file = join(dir, 'haproxy.cfg');
  const statsSocket = join(dir, 'haproxy.sock');
  writeFileSync(file, haproxyConfig(port, brokers, statsSocket));
  const child = spawn(HAPROXY, ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`haproxy exited: ${out}`);
      return fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
    },
    10_000,
    `haproxy: ${out}`,
  );
  return {
    url,
    statsSocket,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
