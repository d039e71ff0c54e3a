import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from '@beckon/broker/testing';

/**
 * `scripts/beckon cluster` for the console's end-to-end tests: PostgreSQL,
 * Redis, three brokers and haproxy as the operator would start them (the
 * script spawned by path: tests never import the broker's sources), and
 * haproxy's runtime API to steer and watch where connections go.
 */
const SCRIPT = join(import.meta.dirname, '../../broker/scripts/cluster.ts');

export interface RunningCluster {
  /** haproxy's address. */
  url: string;
  brokers: { name: string; url: string; pid: number }[];
  admin: { email: string; password: string };
  /** A command on haproxy's runtime API (`disable server brokers/b1`, `show stat`). */
  haproxy(command: string): Promise<string>;
  /** Current sessions per broker, as haproxy counts them. */
  sessions(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

export async function startClusterProcess(brokers = 3): Promise<RunningCluster> {
  const port = await freePort();
  const child = spawn(process.execPath, [SCRIPT, '--brokers', String(brokers), '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = Date.now() + 120_000;
  while (!out.includes('Ctrl-C stops everything')) {
    if (child.exitCode !== null || Date.now() > end) throw new Error(`cluster did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const admin = /admin:\s+(\S+) \/ (.+)/.exec(out);
  const socket = /haproxy:\s+(\S+) \(runtime API\)/.exec(out)?.[1] ?? '';
  const haproxy = (command: string) =>
    new Promise<string>((resolve, reject) => {
      const c = connect(socket);
      let text = '';
      c.on('data', (d) => (text += d.toString()));
      c.on('end', () => resolve(text));
      c.on('error', reject);
      c.end(`${command}\n`);
    });
  return {
    url: `http://127.0.0.1:${port}`,
    brokers: [...out.matchAll(/(b\d+) (http:\/\/\S+) pid (\d+)/g)].map((m) => ({
      name: m[1] ?? '',
      url: m[2] ?? '',
      pid: Number(m[3]),
    })),
    admin: { email: admin?.[1] ?? '', password: (admin?.[2] ?? '').trim() },
    haproxy,
    async sessions() {
      const csv = await haproxy('show stat');
      const counts: Record<string, number> = {};
      for (const line of csv.split('\n')) {
        const cols = line.split(',');
        if (cols[0] === 'brokers' && /^b\d+$/.test(cols[1] ?? '')) counts[cols[1] ?? ''] = Number(cols[4]);
      }
      return counts;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}
