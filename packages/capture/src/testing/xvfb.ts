import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

// A private X server for tests and benches: Xvfb on a free display number,
// ready once `xdpyinfo` can talk to it.
//
// Xvfb runs under a tiny shell guard that holds the read end of a pipe from
// this process and kills the server when the pipe closes. The pipe closes when
// `stop()` is called or when this process is gone entirely, even after SIGKILL.
// "Entirely" matters: libnut keeps an Xlib connection that it closes in a C
// atexit handler, after Node's own 'exit' event; if the server died first, Xlib
// would report a fatal IO error and turn a passing test run into exit code 1.
// So in a process that opened a backend on this display, let the server go at
// exit rather than calling `stop()`.

export interface XvfbOptions {
  readonly width?: number;
  readonly height?: number;
  /** Extra Xvfb arguments, e.g. `['-br']` for a black root window. */
  readonly args?: readonly string[];
  /** How long to wait for the server to answer (default 10 s). */
  readonly timeoutMs?: number;
  /** An Xauthority file: the server admits only clients with its cookie (`-auth`). */
  readonly xauthority?: string;
  /**
   * Runs the server in its own IPC namespace (`unshare -r -i`), like an X
   * server in a container that shares only its socket: it cannot attach our
   * shared memory, so MIT-SHM must fall back.
   */
  readonly privateIpc?: boolean;
}

export interface Xvfb {
  /** `:N`, for DISPLAY or `selectBackend('linux', { display })`. */
  readonly display: string;
  readonly width: number;
  readonly height: number;
  /** The Xvfb process (for measuring its CPU time). */
  readonly pid: number;
  /** Stops the server now. Not in a process with a libnut backend on it: see above. */
  stop(): Promise<void>;
}

// Prints Xvfb's pid, then waits for whichever comes first: Xvfb exiting (a
// failed start), a line on fd 3 (`stop()`: kill now), or fd 3 closing (this
// process is exiting: kill once it is gone, after its atexit handlers).
const guard = (command: string) =>
  [
    'exec 3<&0',
    // unshare execs the server, so $x is the server's pid either way.
    `${command} "$@" </dev/null & x=$!`,
    'echo $x',
    '{ if ! read _ <&3; then while kill -0 $PPID 2>/dev/null; do sleep 0.05; done; fi; kill $x 2>/dev/null; } & r=$!',
    'wait $x; s=$?',
    'kill $r 2>/dev/null',
    'exit $s',
  ].join('\n');

function displayInUse(n: number): boolean {
  return existsSync(`/tmp/.X${n}-lock`) || existsSync(`/tmp/.X11-unix/X${n}`);
}

function answers(display: string, xauthority: string | undefined): Promise<boolean> {
  const env = xauthority ? { ...process.env, XAUTHORITY: xauthority } : process.env;
  return new Promise((resolve) => {
    execFile('xdpyinfo', ['-display', display], { timeout: 2000, env }, (err) => resolve(!err));
  });
}

/** Starts Xvfb on a free display number (tries a few if another process races us to one). */
export async function startXvfb(options: XvfbOptions = {}): Promise<Xvfb> {
  const width = options.width ?? 1280;
  const height = options.height ?? 720;
  const timeoutMs = options.timeoutMs ?? 10_000;
  // A random start spreads concurrent test processes over different numbers.
  let n = 100 + Math.floor(Math.random() * 800);
  const auth = options.xauthority ? ['-auth', options.xauthority] : [];
  for (let attempt = 0; attempt < 8; attempt++, n++) {
    while (displayInUse(n)) n++;
    const display = `:${n}`;
    const child = spawn(
      'sh',
      [
        '-c',
        guard(options.privateIpc ? 'unshare -r -i Xvfb' : 'Xvfb'),
        'xvfb-guard',
        display,
        '-screen',
        '0',
        `${width}x${height}x24`,
        '-nolisten',
        'tcp',
        // Without it the server resets whenever its last client leaves, refusing connections meanwhile.
        '-noreset',
        ...auth,
        ...(options.args ?? []),
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    // Neither end may keep this process alive; the pipe itself must stay open.
    child.unref();
    for (const s of [child.stdin, child.stdout, child.stderr])
      (s as unknown as { unref?: () => void } | null)?.unref?.();
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    let xvfbPid = 0;
    child.stdout?.once('data', (d: Buffer) => (xvfbPid = Number(d.toString().trim())));
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    const deadline = Date.now() + timeoutMs;
    let ready = false;
    while (!exited && Date.now() < deadline) {
      const failed = await Promise.race([spawnError, delay(50).then(() => undefined)]);
      if (failed) throw new Error(`cannot start Xvfb: ${failed.message}`);
      if (await answers(display, options.xauthority)) {
        ready = true;
        break;
      }
    }
    if (ready) {
      return { display, width, height, pid: xvfbPid, stop: () => stopChild(child) };
    }
    await stopChild(child);
    // "Server is already active" means another process won the race: try the next number.
    if (!exited || !/already active|in use/i.test(stderr)) {
      throw new Error(`Xvfb ${display} did not come up: ${stderr.trim().slice(-500)}`);
    }
  }
  throw new Error('no free X display number for Xvfb');
}

/** Tells the guard to kill Xvfb now, and waits until it has. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin?.end('stop\n');
  const timedOut = await Promise.race([exited.then(() => false), delay(5000).then(() => true)]);
  if (timedOut) {
    child.kill('SIGKILL');
    await exited;
  }
}
