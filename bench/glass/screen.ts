import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

// The two X screens of the glass bench: the host's (1280x720, the flipping
// square, what every sender captures) and the receivers' (where Chromium
// shows what arrived, so nothing the receivers draw is itself captured).

export const W = 1280;
export const H = 720;
export const SQUARE = { x: 100, y: 100, size: 200 };
export const HEX = { red: '#ff0000', blue: '#0000ff', green: '#00ff00' } as const;

export function lines(child: ChildProcess): AsyncIterator<string> {
  return createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
}

export interface Xvfb {
  display: string;
  proc: ChildProcess;
}

export async function startXvfb(width: number, height: number): Promise<Xvfb> {
  const proc = spawn(
    'Xvfb',
    ['-displayfd', '3', '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp'],
    // stderr ignored: -displayfd tries displays in turn and complains of each one taken.
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] },
  );
  const display = await new Promise<string>((resolve, reject) => {
    (proc.stdio[3] as NodeJS.ReadableStream).once('data', (d: Buffer) => resolve(`:${d.toString().trim()}`));
    proc.once('exit', (c) => reject(new Error(`Xvfb exited ${c}`)));
  });
  return { display, proc };
}

/** flipper.py on `display`; `flip(hex)` resolves with the epoch ms the X server had the new colour. */
export async function startFlipper(display: string) {
  const proc = spawn(
    'python3',
    ['-u', `${import.meta.dirname}/flipper.py`, String(SQUARE.x), String(SQUARE.y), String(SQUARE.size)],
    { env: { ...process.env, DISPLAY: display }, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const answers = lines(proc);
  await answers.next();
  let chain: Promise<unknown> = Promise.resolve();
  const flip = (hex: string): Promise<number> => {
    const next = chain.then(async () => {
      proc.stdin!.write(`${hex}\n`);
      const line = await answers.next();
      return (JSON.parse(line.value as string) as { at: number }).at;
    });
    chain = next;
    return next;
  };
  return { proc, flip };
}

export interface Eye {
  /** Finds the square as the receiver shows it (in `colour`) on the receivers' screen. */
  locate(colour: string): Promise<{ x: number; y: number; w: number; h: number }>;
  /** Starts watching the square's centre for `colour`; `shown` is when it shows (a box: promises flatten). */
  watch(colour: string): Promise<{ shown: Promise<number> }>;
  /** Writes the receivers' screen to a PPM file (debugging). */
  dump(path: string): Promise<unknown>;
  proc: ChildProcess;
}

/** eye.py on the receivers' `display` (width x height). */
export async function startEye(display: string, width: number, height: number): Promise<Eye> {
  const proc = spawn(
    'python3',
    ['-u', `${import.meta.dirname}/eye.py`, display, String(width), String(height)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const answers = lines(proc);
  await answers.next();
  const answer = async (): Promise<Record<string, number | string>> => {
    const line = await answers.next();
    if (line.done) throw new Error('eye.py exited');
    const a = JSON.parse(line.value) as Record<string, number | string>;
    if (a['error']) throw new Error(String(a['error']));
    return a;
  };
  const ask = (cmd: unknown) => {
    proc.stdin!.write(`${JSON.stringify(cmd)}\n`);
    return answer();
  };
  return {
    proc,
    locate: async (colour) =>
      (await ask({ locate: colour })) as { x: number; y: number; w: number; h: number },
    dump: (path) => ask({ dump: path }),
    watch: async (colour) => {
      await ask({ watch: colour });
      return { shown: answer().then((a) => Number(a['at'])) };
    },
  };
}
