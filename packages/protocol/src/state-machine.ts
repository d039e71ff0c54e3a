import { z } from 'zod';
import { ErrorCode } from './errors.ts';

/**
 * The session request's life (SR3). Statuses change only through
 * `transition`, so the broker, the apps and the tests agree on one table.
 */
export const SessionStatus = {
  OPEN: 'open',
  WAITING: 'waiting',
  READY: 'ready',
  IN_SESSION: 'in_session',
  CLOSED: 'closed',
  EXPIRED: 'expired',
} as const;
export type SessionStatus = (typeof SessionStatus)[keyof typeof SessionStatus];
export const SESSION_STATUSES = Object.values(SessionStatus) as [SessionStatus, ...SessionStatus[]];
export const SessionStatusSchema = z.enum(SESSION_STATUSES);

export const FINAL_STATUSES: ReadonlySet<SessionStatus> = new Set([
  SessionStatus.CLOSED,
  SessionStatus.EXPIRED,
]);
export function isFinal(status: SessionStatus): boolean {
  return FINAL_STATUSES.has(status);
}

/**
 * Statuses in which an agent may press Connect. In `ready` and `in_session`
 * the host answers by the consent policy: the agent it allowed, back within
 * the grace window, is admitted again; anyone else makes it ask the person.
 */
export function canConnect(status: SessionStatus): boolean {
  return (
    status === SessionStatus.WAITING || status === SessionStatus.READY || status === SessionStatus.IN_SESSION
  );
}

export const SessionEvent = {
  /** The assist client joined the request's room (first time or after a drop). */
  CLIENT_JOINED: 'client_joined',
  /** The assist client left before a session started. */
  CLIENT_LEFT: 'client_left',
  /** An agent pressed Connect: the customer is asked for consent. */
  CONNECT_REQUESTED: 'connect_requested',
  CONSENT_GRANTED: 'consent_granted',
  /** Denied by the user, or no answer in time (deny by default). */
  CONSENT_DENIED: 'consent_denied',
  /** The WebRTC peer connection is established. */
  PEER_CONNECTED: 'peer_connected',
  /** The peer connection ended (Stop, agent disconnect, failure); the host may still be there. */
  SESSION_ENDED: 'session_ended',
  CLOSED: 'closed',
  EXPIRED: 'expired',
} as const;
export type SessionEvent = (typeof SessionEvent)[keyof typeof SessionEvent];
export const SESSION_EVENTS = Object.values(SessionEvent) as [SessionEvent, ...SessionEvent[]];
export const SessionEventSchema = z.enum(SESSION_EVENTS);

export interface TransitionError {
  code: typeof ErrorCode.ILLEGAL_TRANSITION;
  from: SessionStatus;
  event: SessionEvent;
  message: string;
}
export type TransitionResult =
  { ok: true; status: SessionStatus; changed: boolean } | { ok: false; error: TransitionError };

const S = SessionStatus;
const E = SessionEvent;

// The whole machine. A pair that is absent is illegal. Final states have no
// entries: nothing leaves `closed` or `expired`.
const TABLE: Record<SessionStatus, Partial<Record<SessionEvent, SessionStatus>>> = {
  [S.OPEN]: { [E.CLIENT_JOINED]: S.WAITING, [E.CLOSED]: S.CLOSED, [E.EXPIRED]: S.EXPIRED },
  [S.WAITING]: {
    // A client that reconnects within its grace window joins again.
    [E.CLIENT_JOINED]: S.WAITING,
    [E.CLIENT_LEFT]: S.OPEN,
    [E.CONNECT_REQUESTED]: S.WAITING,
    [E.CONSENT_GRANTED]: S.READY,
    [E.CONSENT_DENIED]: S.WAITING,
    [E.CLOSED]: S.CLOSED,
    [E.EXPIRED]: S.EXPIRED,
  },
  [S.READY]: {
    [E.CLIENT_JOINED]: S.READY,
    [E.CLIENT_LEFT]: S.OPEN,
    // Consent already given: the host is asked again, and a new answer replaces the old one.
    [E.CONNECT_REQUESTED]: S.READY,
    [E.CONSENT_GRANTED]: S.READY,
    // A deny of another agent leaves the consent already given as it was.
    [E.CONSENT_DENIED]: S.READY,
    [E.PEER_CONNECTED]: S.IN_SESSION,
    // The connection attempt failed or was cancelled before it was established.
    [E.SESSION_ENDED]: S.WAITING,
    [E.CLOSED]: S.CLOSED,
    [E.EXPIRED]: S.EXPIRED,
  },
  [S.IN_SESSION]: {
    // Another agent (or the same one coming back) asks while a session runs; a
    // grant first ends the running session (session_ended), a deny leaves it.
    [E.CONNECT_REQUESTED]: S.IN_SESSION,
    [E.CONSENT_DENIED]: S.IN_SESSION,
    [E.SESSION_ENDED]: S.WAITING,
    [E.CLOSED]: S.CLOSED,
    [E.EXPIRED]: S.EXPIRED,
  },
  [S.CLOSED]: {},
  [S.EXPIRED]: {},
};

/** Pure: the status after `event` in `from`, or a typed error for an illegal pair. */
export function transition(from: SessionStatus, event: SessionEvent): TransitionResult {
  const to = TABLE[from]?.[event];
  if (to === undefined) {
    return {
      ok: false,
      error: {
        code: ErrorCode.ILLEGAL_TRANSITION,
        from,
        event,
        message: isFinal(from) ? `request is ${from}` : `'${event}' is not allowed while ${from}`,
      },
    };
  }
  return { ok: true, status: to, changed: to !== from };
}
