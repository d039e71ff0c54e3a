import { spawn, type ChildProcess } from 'node:child_process';
import { testEnv, waitFor } from './fixture.ts';
import { withTestStorage } from './test-storage.ts';

const BIN = new URL('../../bin/beckon-broker.js', import.meta.url).pathname;

export interface BrokerProcess {
  child: ChildProcess;
  url: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM (or the given signal), then wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** The real `beckon-broker serve` as its own process, ready once it says where it listens. */
export async function spawnBroker(dataDir: string, env: Record<string, string> = {}): Promise<BrokerProcess> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, ...testEnv(dataDir, await withTestStorage(dataDir, env)) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise((r) => child.once('exit', r));
  const url = await waitFor(
    () => /listening on (http:\/\/\S+)/.exec(out)?.[1],
    15_000,
    `broker start: ${out}`,
  );
  return {
    child,
    url,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
