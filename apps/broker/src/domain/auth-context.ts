import type { User } from '@beckon/protocol';

/** Who is calling: the signed-in user (or an API token's owner) and the credential's hash. */
export interface AuthContext {
  user: User;
  tokenHash: string;
  /** The address the request came from, for the audit log (set per request by the auth hook). */
  ip?: string;
}
