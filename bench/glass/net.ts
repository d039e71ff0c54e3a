import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { lines } from './screen.ts';

// The WAN glass bench's networks. The host side (Beckon's host process,
// x11vnc) runs in a network namespace of its own; the receivers (Chromium,
// the noVNC bridge), the broker and the screens stay in the root namespace.
// Between the two, wire.py carries every packet (a userspace netem: this
// kernel has no sch_netem) with the condition's delay, jitter, loss, rate
// and queue. Addresses are a private /30 that exists only on that link.

export interface Condition {
  name: string;
  /** One-way delay, ms (RTT is twice this). */
  delayMs: number;
  jitterMs: number;
  /** Per direction, %. */
  lossPct: number;
  /** Per direction; 0: unlimited. */
  rateKbit: number;
  /** The bottleneck's buffer, in ms of sending at the rate (tail drop beyond). */
  queueMs: number;
}

/** Loopback: no namespace, no wire, every process in the root namespace (the bench as before). */
export const LOOPBACK: Condition = {
  name: 'loopback',
  delayMs: 0,
  jitterMs: 0,
  lossPct: 0,
  rateKbit: 0,
  queueMs: 0,
};

export const CONDITIONS: Record<string, Condition> = {
  loopback: LOOPBACK,
  lan: { name: 'office LAN (1 ms RTT)', delayMs: 0.5, jitterMs: 0, lossPct: 0, rateKbit: 0, queueMs: 0 },
  broadband: {
    name: 'broadband (40 ms RTT, 0.5 % loss, 20 Mbit/s)',
    delayMs: 20,
    jitterMs: 0,
    lossPct: 0.5,
    rateKbit: 20_000,
    queueMs: 50,
  },
  mobile: {
    name: 'poor mobile (120 ms RTT ±20 ms, 2 % loss, 3 Mbit/s)',
    delayMs: 60,
    jitterMs: 20,
    lossPct: 2,
    rateKbit: 3_000,
    queueMs: 200,
  },
};

export const ROOT_ADDR = '10.231.0.1';
export const HOST_ADDR = '10.231.0.2';

export interface Wire {
  ns: string;
  /** Takes `c`'s figures from now on. */
  set(c: Condition): Promise<void>;
  /** Bytes carried so far, host → receivers (up) and back (down), IP packets whole. */
  bytes(): Promise<{ up: number; down: number }>;
  stop(): void;
}

/** Namespaces a crashed earlier run left behind (its pid in the name is gone). */
function sweepStale(): void {
  const names = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '');
  for (const name of names) {
    const pid = /^beckon-glass-(\d+)$/.exec(name)?.[1];
    if (!pid) continue;
    try {
      process.kill(Number(pid), 0);
    } catch {
      execFileSync('ip', ['netns', 'del', name]);
    }
  }
}

export async function startWire(): Promise<Wire> {
  sweepStale();
  const ns = `beckon-glass-${process.pid}`;
  execFileSync('ip', ['netns', 'add', ns]);
  const proc: ChildProcess = spawn(
    'python3',
    ['-u', `${import.meta.dirname}/wire.py`, ns, ROOT_ADDR, HOST_ADDR, '0', '0', '0', '0', '0'],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const cleanUp = () => {
    proc.kill();
    try {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  };
  process.once('exit', cleanUp);
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      cleanUp();
      process.exit(130);
    });
  const out = lines(proc);
  if ((await out.next()).done) throw new Error('wire.py exited before its link was up');
  let chain: Promise<unknown> = Promise.resolve();
  const ask = <T>(cmd: string): Promise<T> => {
    const next = chain.then(async () => {
      proc.stdin!.write(`${cmd}\n`);
      const line = await out.next();
      if (line.done) throw new Error('wire.py exited');
      return JSON.parse(line.value) as T;
    });
    chain = next.catch(() => {});
    return next;
  };
  return {
    ns,
    async set(c) {
      await ask(`profile ${c.delayMs} ${c.jitterMs} ${c.lossPct} ${c.rateKbit} ${c.queueMs}`);
    },
    async bytes() {
      const s = await ask<{ up: { bytes: number }; down: { bytes: number } }>('stats');
      return { up: s.up.bytes, down: s.down.bytes };
    },
    stop: cleanUp,
  };
}

/** Where a host-side process runs under `c`: its command, in the wire's namespace unless on loopback. */
export interface HostSide {
  /** The address the host side's servers listen on, and receivers reach it at. */
  addr: string;
  /** The broker's URL as the host side reaches it. */
  brokerUrl: string;
  wrap(cmd: string, args: string[]): [string, string[]];
}

export function hostSide(c: Condition, wire: Wire | null, brokerUrl: string): HostSide {
  if (c === LOOPBACK || !wire) return { addr: '127.0.0.1', brokerUrl, wrap: (cmd, args) => [cmd, args] };
  return {
    addr: HOST_ADDR,
    brokerUrl,
    wrap: (cmd, args) => ['ip', ['netns', 'exec', wire.ns, cmd, ...args]],
  };
}
