import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, type TestBroker } from '@beckon/broker/testing';
import type { HostSide } from './net.ts';
import { lines } from './screen.ts';

// The senders on the host's screen: Beckon's assist client (through
// apps/assist-client/scripts/glass-host.ts, one process per path) and x11vnc.

const root = join(import.meta.dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface BeckonHost {
  /** What the agent page needs to join the request as its agent. */
  join: { brokerUrl: string; requestId: string; token: string };
  /** The sender's outbound video counters (renderer path only; {} otherwise). */
  stats(): Promise<Record<string, number | string>>;
  stop(): Promise<void>;
}

/** A session request on `broker` and the assist client joined to it on `display`. */
export async function startBeckonHost(
  mode: 'renderer' | 'headless' | 'engine',
  fps: number,
  display: string,
  broker: TestBroker,
  side: HostSide,
): Promise<BeckonHost> {
  const res = await fetch(`${broker.url}/api/v1/session-requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${broker.token}` },
    body: JSON.stringify({ recipientName: 'Bench' }),
  });
  const request = (await res.json()) as { id: string; customerLink: string };
  const linkToken = request.customerLink.split('/j/')[1]!;
  const [cmd, args] = side.wrap(process.execPath, [
    join(root, 'apps/assist-client/scripts/glass-host.ts'),
    mode,
    side.brokerUrl,
    linkToken,
    String(fps),
  ]);
  const host = spawn(cmd, args, {
    env: { ...process.env, DISPLAY: display },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const out = lines(host);
  const ready = await out.next();
  if (ready.done) throw new Error('glass-host exited before joining');
  let chain: Promise<unknown> = Promise.resolve();
  return {
    join: { brokerUrl: broker.url, requestId: request.id, token: broker.token },
    stats() {
      const next = chain.then(async () => {
        host.stdin!.write('stats\n');
        for (;;) {
          const line = await out.next();
          if (line.done) return {};
          if (line.value.startsWith('{"stats"'))
            return (JSON.parse(line.value) as { stats: Record<string, number | string> }).stats;
        }
      });
      chain = next.catch(() => {});
      return next;
    },
    async stop() {
      const exited = new Promise((r) => host.once('exit', r));
      host.kill('SIGTERM');
      await exited;
    },
  };
}

const accepts = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host, port }, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

/** x11vnc on `display`, tuned as the issue names (-wait 5 -defer 5 -nonap), once it takes connections on `side.addr`. */
export async function startX11vnc(
  display: string,
  side: HostSide,
): Promise<{ host: string; port: number; proc: ChildProcess }> {
  // A port free here is free in a fresh namespace too (nothing else listens there).
  const port = await freePort();
  const [cmd, args] = side.wrap('x11vnc', [
    ...['-display', display, '-rfbport', String(port), '-listen', side.addr, '-nopw', '-shared', '-forever'],
    ...['-quiet', '-wait', '5', '-defer', '5', '-nonap'],
    // No DNS: in the wire's namespace the resolver is unreachable, and x11vnc's
    // lookup of the viewer's address held every update after the first for
    // seconds (the noVNC rows that "failed" on office LAN and broadband).
    '-nolookup',
  ]);
  const proc = spawn(cmd, args, { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    await sleep(100);
    if (await accepts(side.addr, port)) return { host: side.addr, port, proc };
  }
  proc.kill();
  throw new Error('x11vnc did not come up');
}
