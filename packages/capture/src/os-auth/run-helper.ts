import { spawn } from 'node:child_process';

/**
 * Runs a checking program with the secret on stdin (never in argv, which other users can read)
 * and resolves with its exit status; a program that cannot start or hangs resolves -1.
 */
export function runWithSecretOnStdin(
  file: string,
  args: readonly string[],
  stdin: Buffer,
  timeoutMs: number,
): Promise<number> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (code: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stdin.fill(0);
      resolve(code);
    };
    const child = spawn(file, args, { stdio: ['pipe', 'ignore', 'ignore'], env: { PATH: '/usr/bin:/bin' } });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done(-1);
    }, timeoutMs);
    child.on('error', () => done(-1));
    child.on('exit', (code) => done(code ?? -1));
    child.stdin.on('error', () => {}); // a helper that exits early closes its stdin: its status says why
    child.stdin.end(stdin);
  });
}
