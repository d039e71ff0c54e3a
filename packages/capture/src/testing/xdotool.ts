import { execFile } from 'node:child_process';

/** Where the X server says the pointer is (`xdotool getmouselocation`), an observer independent of libnut. */
export function pointerLocation(display: string): Promise<{ x: number; y: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      'xdotool',
      ['getmouselocation', '--shell'],
      { env: { ...process.env, DISPLAY: display } },
      (err, out) => {
        if (err) return reject(err);
        const x = /^X=(\d+)$/m.exec(out)?.[1];
        const y = /^Y=(\d+)$/m.exec(out)?.[1];
        if (x === undefined || y === undefined) return reject(new Error(`xdotool said: ${out}`));
        resolve({ x: Number(x), y: Number(y) });
      },
    );
  });
}
