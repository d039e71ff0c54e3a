import { CloseCode, type AccountPermission } from '@beckon/protocol';

/**
 * A credential that stopped being good, or a user whose rights changed. The
 * hubs authenticate a WebSocket only at its upgrade, so whatever ends or
 * narrows a credential later must reach the sockets opened with it this way.
 */
export type CredentialEvent =
  /** A login (bearer token or console cookie) was signed out. */
  | { type: 'login_closed'; tokenHash: string }
  /** A helpdesk API token was revoked. */
  | { type: 'api_token_revoked'; tokenId: string }
  /** A user was disabled or deleted: none of their credentials is good any more. */
  | { type: 'user_closed'; userId: string }
  /** A user's role or permissions changed: what they hold now. */
  | { type: 'user_permissions'; userId: string; permissions: readonly AccountPermission[] };

export type CredentialListener = (event: CredentialEvent) => void;

/** What a socket was opened with, remembered by the hub for its whole life. */
export interface SocketCredential {
  userId: string | null;
  /** The login's token hash, when a login opened it. */
  tokenHash: string | null;
  /** The API token's id, when an API token opened it. */
  apiTokenId: string | null;
}

/** One emitter, made in broker.ts: the services fire it, both hubs listen. */
export class CredentialEvents {
  private readonly listeners = new Set<CredentialListener>();

  onCredentialClosed(listener: CredentialListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: CredentialEvent): void {
    // A listener that throws must not keep the others (or the caller's answer) from happening.
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // ignored: each hub closes its own sockets
      }
    }
  }
}

/**
 * Whether a socket opened with `cred`, which needs `needs` to stay open, must
 * close on `event`, and with which code: a closed credential or user is
 * `CREDENTIAL_REVOKED`; a permission taken away is `FORBIDDEN`. A socket whose
 * user still holds what it needs stays.
 */
export function closeFor(
  event: CredentialEvent,
  cred: SocketCredential,
  needs: AccountPermission,
): { code: number; reason: string } | null {
  switch (event.type) {
    case 'login_closed':
      return cred.tokenHash !== null && cred.tokenHash === event.tokenHash
        ? { code: CloseCode.CREDENTIAL_REVOKED, reason: 'signed out' }
        : null;
    case 'api_token_revoked':
      return cred.apiTokenId !== null && cred.apiTokenId === event.tokenId
        ? { code: CloseCode.CREDENTIAL_REVOKED, reason: 'token revoked' }
        : null;
    case 'user_closed':
      return cred.userId !== null && cred.userId === event.userId
        ? { code: CloseCode.CREDENTIAL_REVOKED, reason: 'user disabled' }
        : null;
    case 'user_permissions':
      return cred.userId !== null && cred.userId === event.userId && !event.permissions.includes(needs)
        ? { code: CloseCode.FORBIDDEN, reason: `permission ${needs} removed` }
        : null;
  }
}
