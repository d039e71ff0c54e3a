import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import type { TestBroker } from '@beckon/broker/testing';

/**
 * A real managed host for tests: `beckon-assist host run` as its own process
 * on a given X display, with its terminal in the test's hands (nobody types
 * unless the test does).
 */
/** The assist client's executable, for tests that run it. */
export const ASSIST_BIN = join(import.meta.dirname, '../../bin/beckon-assist.js');

export interface HostProcess {
  child: ChildProcessWithoutNullStreams;
  /** Everything it printed so far (stdout and stderr). */
  out(): string;
  /** Types a line at its terminal. */
  type(line: string): void;
  /** Waits until `pattern` has been printed more than `seen` times; returns the new count. */
  printed(pattern: RegExp, seen?: number, ms?: number): Promise<number>;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
}

/**
 * Polls `fn` until it gives something, or fails naming `what` (and, if given,
 * what `detail` says then: a host's log, so the failure shows what it did).
 */
export async function until<T>(
  fn: () => Promise<T | null | false | undefined> | T | null | false | undefined,
  ms: number,
  what: string,
  detail?: () => string,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end)
      throw new Error(`timed out after ${ms} ms waiting for ${what}${detail ? `\n${detail()}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function startHostProcess(opts: {
  broker: TestBroker;
  stateDir: string;
  display: string;
  /** Added to its environment (an enrolment code, a consent timeout, a clock offset). */
  env?: Record<string, string>;
}): HostProcess {
  const child = spawn(
    process.execPath,
    [
      ASSIST_BIN,
      'host',
      'run',
      '--broker',
      opts.broker.url,
      '--state-dir',
      opts.stateDir,
      '--name',
      'Night desk',
      '--display',
      opts.display,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const count = (p: RegExp) => out.match(new RegExp(p.source, 'g'))?.length ?? 0;
  return {
    child,
    out: () => out,
    type: (line) => child.stdin.write(`${line}\n`),
    async printed(pattern, seen = 0, ms = 20_000) {
      await until(
        async () => count(pattern) > seen,
        ms,
        `${pattern} on the host; printed:\n${out.slice(-3000)}`,
      );
      return count(pattern);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A single-use enrolment code from the broker, for a host's first run. */
export async function enrolmentCode(broker: TestBroker): Promise<string> {
  return (await broker.api.request('POST', '/api/v1/hosts/enrolment-codes', {})).body.code as string;
}

/** The id of the (only) managed host, once the broker sees it online. */
export function hostOnline(broker: TestBroker, ms = 20_000): Promise<string> {
  return until(
    async () => {
      const h = (await broker.api.request('GET', '/api/v1/hosts')).body.items?.[0];
      return h?.online ? (h.id as string) : null;
    },
    ms,
    'the host online',
  );
}
