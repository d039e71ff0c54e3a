import { spawn } from 'node:child_process';
import {
  MAX_CREDENTIAL_LENGTH,
  OsCredentialFailure,
  plausibleUserName,
  type OsCredentialResult,
} from './types.ts';

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

/** pam-check.c's exit statuses, which the Windows and macOS scripts answer with too. */
const STATUS: Record<number, OsCredentialFailure | 'ok'> = {
  0: 'ok',
  10: OsCredentialFailure.WRONG_CREDENTIALS,
  11: OsCredentialFailure.NOT_ADMIN,
  12: OsCredentialFailure.ACCOUNT_UNUSABLE,
};

/**
 * One check through a checking program, the same on every OS: input the OS could not hold is
 * refused before it reaches the OS; `run` starts the program and resolves with its exit status,
 * which is read by pam-check.c's table (anything else, a program that could not run included,
 * is `unavailable`).
 */
export async function checkThroughHelper(
  user: string,
  password: string,
  now: () => Date,
  run: () => Promise<number>,
): Promise<OsCredentialResult> {
  const tooLong = Buffer.byteLength(user) + Buffer.byteLength(password) > 2 * MAX_CREDENTIAL_LENGTH;
  if (!plausibleUserName(user) || password.length === 0 || password.includes('\0') || tooLong)
    return { ok: false, reason: OsCredentialFailure.WRONG_CREDENTIALS };
  const meaning = STATUS[await run()] ?? OsCredentialFailure.UNAVAILABLE;
  return meaning === 'ok'
    ? { ok: true, user, verifiedAt: now().toISOString() }
    : { ok: false, reason: meaning };
}
