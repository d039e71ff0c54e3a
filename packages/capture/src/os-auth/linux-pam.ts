import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkThroughHelper, runWithSecretOnStdin } from './run-helper.ts';
import type { OsCredentialCheck } from './types.ts';

/** Built by scripts/lib/setup.sh from packages/capture/os-auth/pam-check.c. */
export const PAM_CHECK_PATH = fileURLToPath(new URL('../../build/beckon-pam-check', import.meta.url));

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
    check: (user, password, options = {}) =>
      checkThroughHelper(user, password, now, async () => {
        try {
          accessSync(helper, constants.X_OK);
        } catch {
          return -1; // not built: unavailable
        }
        const args = [
          '--service',
          opts.service ?? 'beckon',
          ...(options.requireAdmin ? ['--require-admin'] : []),
        ];
        const input = Buffer.from(`${user}\0${password}\0`, 'utf8');
        return runWithSecretOnStdin(helper, args, input, opts.timeoutMs ?? 15_000);
      }),
  };
}
