import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runWithSecretOnStdin } from './run-helper.ts';
import {
  MAX_CREDENTIAL_LENGTH,
  OsCredentialFailure,
  plausibleUserName,
  type OsCredentialCheck,
  type OsCredentialResult,
} from './types.ts';

/** Built by scripts/lib/setup.sh from packages/capture/os-auth/pam-check.c. */
export const PAM_CHECK_PATH = fileURLToPath(new URL('../../build/beckon-pam-check', import.meta.url));

/** pam-check.c's exit statuses. */
const STATUS: Record<number, OsCredentialFailure | 'ok'> = {
  0: 'ok',
  10: OsCredentialFailure.WRONG_CREDENTIALS,
  11: OsCredentialFailure.NOT_ADMIN,
  12: OsCredentialFailure.ACCOUNT_UNUSABLE,
};

export interface PamCheckOptions {
  /** The PAM service; without /etc/pam.d/<service>, PAM uses its `other` stack. */
  service?: string;
  helperPath?: string;
  /** PAM's failure delay is seconds; a hung module must not hold the question forever. */
  timeoutMs?: number;
  now?: () => Date;
}

/**
 * Linux: PAM, through a small program (see pam-check.c for why not an addon). Checking another
 * user's password needs root (pam_unix's helper lets a user check only their own), which the
 * installed host service has; a host run as a plain user can check only that user.
 */
export function pamCredentialCheck(opts: PamCheckOptions = {}): OsCredentialCheck {
  const helper = opts.helperPath ?? PAM_CHECK_PATH;
  const now = opts.now ?? (() => new Date());
  return {
    mechanism: 'pam',
    async check(user, password, options = {}): Promise<OsCredentialResult> {
      if (!plausibleUserName(user) || password.length === 0 || password.includes('\0'))
        return { ok: false, reason: OsCredentialFailure.WRONG_CREDENTIALS };
      const input = Buffer.from(`${user}\0${password}\0`, 'utf8');
      if (input.length > 2 * MAX_CREDENTIAL_LENGTH + 2)
        return { ok: false, reason: OsCredentialFailure.WRONG_CREDENTIALS };
      try {
        accessSync(helper, constants.X_OK);
      } catch {
        return { ok: false, reason: OsCredentialFailure.UNAVAILABLE };
      }
      const args = [
        '--service',
        opts.service ?? 'beckon',
        ...(options.requireAdmin ? ['--require-admin'] : []),
      ];
      const status = await runWithSecretOnStdin(helper, args, input, opts.timeoutMs ?? 15_000);
      const meaning = STATUS[status] ?? OsCredentialFailure.UNAVAILABLE;
      if (meaning !== 'ok') return { ok: false, reason: meaning };
      return { ok: true, user, verifiedAt: now().toISOString() };
    },
  };
}
