import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

// A real X client to aim input at: a solid-colour Tk window (python3-tk) that
// reports the clicks, key presses and text it receives, one JSON line each.

export type ProbeEvent =
  | { event: 'ready'; x: number; y: number; width: number; height: number }
  | { event: 'button'; num: number; x: number; y: number; state: number }
  | { event: 'key'; keysym: string; char: string; state: number }
  | { event: 'text'; value: string };

export interface ProbeOptions {
  readonly display: string;
  readonly x?: number;
  readonly y?: number;
  readonly width?: number;
  readonly height?: number;
  /** Background colour as `#rrggbb`. */
  readonly color?: string;
  /** Adds a focused text field along the bottom 30 pixels. */
  readonly entry?: boolean;
  /** Flips the window between its colour and the inverse this often: a screen that keeps changing. */
  readonly flipMs?: number;
}

export interface ProbeWindow {
  readonly events: readonly ProbeEvent[];
  readonly ready: Extract<ProbeEvent, { event: 'ready' }>;
  /** Resolves with the first event so far or to come that matches. */
  waitFor<E extends ProbeEvent>(match: (e: ProbeEvent) => e is E, timeoutMs?: number): Promise<E>;
  waitFor(match: (e: ProbeEvent) => boolean, timeoutMs?: number): Promise<ProbeEvent>;
  /** The entry's text once it is `expected` (or whatever it is when the timeout passes). */
  waitForText(expected: string, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./probe_window.py', import.meta.url));

export async function startProbeWindow(options: ProbeOptions): Promise<ProbeWindow> {
  const args = [
    SCRIPT,
    `--x=${options.x ?? 0}`,
    `--y=${options.y ?? 0}`,
    `--width=${options.width ?? 400}`,
    `--height=${options.height ?? 200}`,
    `--color=${options.color ?? '#ff8000'}`,
    ...(options.entry ? ['--entry'] : []),
    ...(options.flipMs ? [`--flip-ms=${options.flipMs}`] : []),
  ];
  const child = spawn('python3', ['-u', ...args], {
    env: { ...process.env, DISPLAY: options.display },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const events: ProbeEvent[] = [];
  const waiters = new Set<(e: ProbeEvent) => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    const e = JSON.parse(line) as ProbeEvent;
    events.push(e);
    for (const w of [...waiters]) w(e);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  function waitFor(
    match: (e: ProbeEvent) => boolean,
    timeoutMs = 5000,
    onlyNew = false,
  ): Promise<ProbeEvent> {
    const seen = onlyNew ? undefined : events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(
          new Error(
            `probe window: no matching event in ${timeoutMs} ms; got ${JSON.stringify(events)} ${stderr}`,
          ),
        );
      }, timeoutMs);
      const check = (e: ProbeEvent) => {
        if (!match(e)) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(e);
      };
      waiters.add(check);
      void exited.then(() => {
        if (!waiters.has(check)) return;
        clearTimeout(timer);
        waiters.delete(check);
        reject(new Error(`probe window exited: ${stderr}`));
      });
    });
  }

  const ready = (await waitFor((e) => e.event === 'ready', 10_000)) as Extract<
    ProbeEvent,
    { event: 'ready' }
  >;

  const lastText = () => {
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      if (e.event === 'text') return e.value;
    }
    return '';
  };

  return {
    events,
    ready,
    waitFor: waitFor as ProbeWindow['waitFor'],
    async waitForText(expected, timeoutMs = 5000) {
      // Only the current text counts: an old event with the same value says nothing about now.
      if (lastText() === expected) return expected;
      await waitFor((e) => e.event === 'text' && e.value === expected, timeoutMs, true).catch(
        () => undefined,
      );
      return lastText();
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
