/**
 * The host's check of an operating-system account (unattended access, UA3/UA6): a person's own
 * user name and password when they approve a grant, or an administrator's at the start of an
 * unattended session. The password is handed to the OS and never kept: only the verified user
 * name and when it was verified leave this module.
 */
export interface OsCredentialCheck {
  /** Which mechanism answers: 'pam', 'logon-user' (Windows) or 'open-directory' (macOS). */
  readonly mechanism: string;
  check(user: string, password: string, options?: { requireAdmin?: boolean }): Promise<OsCredentialResult>;
}

export type OsCredentialResult =
  | { readonly ok: true; readonly user: string; readonly verifiedAt: string }
  | { readonly ok: false; readonly reason: OsCredentialFailure };

export const OsCredentialFailure = {
  /** Unknown user or wrong password: the OS does not say which, and neither do we. */
  WRONG_CREDENTIALS: 'wrong_credentials',
  /** Right, but the account is not an administrator of this computer. */
  NOT_ADMIN: 'not_admin',
  /** Right, but the account may not log in now (expired, locked). */
  ACCOUNT_UNUSABLE: 'account_unusable',
  /** The check itself could not run (no helper built, PAM failed): nothing is admitted. */
  UNAVAILABLE: 'unavailable',
} as const;
export type OsCredentialFailure = (typeof OsCredentialFailure)[keyof typeof OsCredentialFailure];

/** What the OS is given at most; longer input is refused before it reaches the OS. */
export const MAX_CREDENTIAL_LENGTH = 1024;

/** A user name the OS could hold: no NUL, no control characters, not empty, bounded. */
export function plausibleUserName(user: string): boolean {
  // eslint-disable-next-line no-control-regex
  return user.length > 0 && user.length <= 256 && !/[\u0000-\u001f\u007f]/.test(user);
}
