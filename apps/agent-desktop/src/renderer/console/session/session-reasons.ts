import type { MessageKey } from '../i18n/i18n.ts';

/** Stable tokens for why a session did not start or ended; the UI translates them. */
export const SessionReason = {
  DENIED: 'denied',
  TIMEOUT: 'timeout',
  UNREACHABLE: 'unreachable',
  NOT_CONNECTABLE: 'not_connectable',
  AGENT_ENDED: 'agent_ended',
  CLOSED: 'closed',
} as const;

/**
 * Reasons from this console, the broker (error codes, `session_ended`
 * reasons) and the engine, each with its text. Anything else is shown as the
 * engine said it, as text.
 */
const KEYS: Readonly<Record<string, MessageKey>> = {
  denied: 'session.reason.denied',
  timeout: 'session.reason.timeout',
  unreachable: 'session.reason.unreachable',
  not_connectable: 'session.reason.notConnectable',
  illegal_transition: 'session.reason.notConnectable',
  peer_absent: 'session.reason.peerAbsent',
  conflict: 'session.reason.conflict',
  permission_denied: 'session.reason.permissionDenied',
  agent_ended: 'session.reason.agentEnded',
  stopped_by_user: 'session.reason.stoppedByUser',
  peer_closed: 'session.reason.peerClosed',
  client_left: 'session.reason.clientLeft',
  'request closed': 'session.reason.requestClosed',
  'request expired': 'session.reason.requestExpired',
  'signaling closed': 'session.reason.signalingClosed',
};

export function reasonKey(reason: string | null): MessageKey | null {
  return reason !== null && Object.hasOwn(KEYS, reason) ? (KEYS[reason] ?? null) : null;
}
