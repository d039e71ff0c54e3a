import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * The end user's side of a console end-to-end test: a private X display with
 * a probe window (from `@beckon/capture/testing`), and the headless assist
 * client as a real process answering on its standard input.
 */
const ROOT = join(import.meta.dirname, '../../..');
const ASSIST_BIN = join(ROOT, 'apps/assist-client/bin/beckon-assist.js');

export interface Xvfb {
  readonly display: string;
  readonly width: number;
  readonly height: number;
  stop(): Promise<void>;
}

export type ProbeEvent =
  | { event: 'ready'; x: number; y: number; width: number; height: number }
  | { event: 'button'; num: number; x: number; y: number; state: number }
  | { event: 'key'; keysym: string; char: string; state: number }
  | { event: 'text'; value: string };

export interface ProbeWindow {
  readonly events: readonly ProbeEvent[];
  waitFor(match: (e: ProbeEvent) => boolean, timeoutMs?: number): Promise<ProbeEvent>;
  waitForText(expected: string, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

export interface CaptureTesting {
  startXvfb(options?: { width?: number; height?: number; args?: readonly string[] }): Promise<Xvfb>;
  startProbeWindow(options: {
    display: string;
    x: number;
    y: number;
    width: number;
    height: number;
    color: string;
    entry?: boolean;
    flipMs?: number;
  }): Promise<ProbeWindow>;
  pointerLocation(display: string): Promise<{ x: number; y: number }>;
}

/** The Xvfb, probe-window and pointer helpers `@beckon/capture` ships for tests. */
export async function captureTesting(): Promise<CaptureTesting> {
  return import('@beckon/capture/testing');
}

export interface Assist {
  output(): string;
  /** Where the output is now: `waitFor(…, mark)` then only looks at what comes after. */
  mark(): number;
  waitFor(pattern: RegExp, from?: number, timeoutMs?: number): Promise<void>;
  say(line: string): void;
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Sets the host name in a fresh UTS namespace, then becomes the assist client. */
const WITH_HOSTNAME = [
  'import ctypes, os, sys',
  'name = sys.argv[1].encode()',
  'if ctypes.CDLL(None, use_errno=True).sethostname(name, len(name)) != 0: sys.exit("sethostname failed")',
  'os.execv(sys.argv[2], sys.argv[2:])',
].join('\n');

/**
 * `beckon-assist --broker … --code …` on `display`. With `hostname` it runs in
 * its own UTS namespace under that host name (what its system information
 * reports), so a test can give the host a name full of markup. `entry` runs
 * another program instead of the bin (a changed host), with `env` added.
 */
export function startAssist(opts: {
  broker: string;
  code: string;
  display: string;
  downloadDir: string;
  hostname?: string;
  entry?: string;
  env?: Record<string, string>;
}): Assist {
  const env = { ...process.env, ...opts.env };
  const args = [
    opts.entry ?? ASSIST_BIN,
    '--broker',
    opts.broker,
    '--code',
    opts.code,
    '--display',
    opts.display,
    '--download-dir',
    opts.downloadDir,
    // The host's own record goes beside the downloads, not into the user's data directory.
    '--data-dir',
    opts.downloadDir,
  ];
  const child = opts.hostname
    ? spawn(
        'unshare',
        ['-r', '-u', 'python3', '-c', WITH_HOSTNAME, opts.hostname, process.execPath, ...args],
        {
          stdio: ['pipe', 'pipe', 'pipe'],
          env,
        },
      )
    : spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    output: () => out,
    mark: () => out.length,
    async waitFor(pattern, from = 0, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      while (!pattern.test(out.slice(from))) {
        if (child.exitCode !== null || Date.now() > end)
          throw new Error(`assist did not print ${pattern}; printed:\n${out}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    say: (line) => void child.stdin.write(`${line}\n`),
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      const quit = await Promise.race([
        exited.then(() => true),
        new Promise((r) => setTimeout(r, 5000, false)),
      ]);
      if (!quit) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
