import { z } from 'zod';

/**
 * Every error the system reports on the wire. Codes are stable API: clients
 * branch on them, so rename never; add instead.
 */
export const ErrorCode = {
  BAD_REQUEST: 'bad_request',
  VALIDATION_FAILED: 'validation_failed',
  PAYLOAD_TOO_LARGE: 'payload_too_large',
  UNAUTHENTICATED: 'unauthenticated',
  INVALID_CREDENTIALS: 'invalid_credentials',
  FORBIDDEN: 'forbidden',
  /** An API token on a route only signed-in users may call (a forged token is `invalid_token`, 401). */
  USER_ONLY: 'user_only',
  NOT_FOUND: 'not_found',
  CONFLICT: 'conflict',
  RATE_LIMITED: 'rate_limited',
  ACCOUNT_LOCKED: 'account_locked',
  ILLEGAL_TRANSITION: 'illegal_transition',
  REQUEST_CLOSED: 'request_closed',
  REQUEST_EXPIRED: 'request_expired',
  INVALID_CODE: 'invalid_code',
  INVALID_TOKEN: 'invalid_token',
  TOKEN_REVOKED: 'token_revoked',
  BAD_ORIGIN: 'bad_origin',
  PROTOCOL_MISMATCH: 'protocol_mismatch',
  ROOM_FULL: 'room_full',
  PEER_ABSENT: 'peer_absent',
  CONSENT_DENIED: 'consent_denied',
  CONSENT_TIMEOUT: 'consent_timeout',
  PERMISSION_DENIED: 'permission_denied',
  SETUP_DONE: 'setup_done',
  /** An unattended-access ask longer than its mode allows (UA5: two weeks with customer credentials). */
  GRANT_TOO_LONG: 'grant_too_long',
  /** No unattended-access grant admits this connect now: none, revoked, or outside its window. */
  GRANT_NOT_ACTIVE: 'grant_not_active',
  /** Ad-hoc support (AH5, AH7): each limit its own code, so a refusal names it. */
  ADHOC_NO_SEAT: 'adhoc_no_seat',
  ADHOC_PROVIDER_LIMIT: 'adhoc_provider_limit',
  ADHOC_ORG_LIMIT: 'adhoc_org_limit',
  INTERNAL: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ErrorCodeSchema = z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]);

/** One issue found while parsing: where, and what was wrong. */
export const FieldIssueSchema = z.strictObject({
  path: z.string().max(200),
  message: z.string().max(500),
});
export type FieldIssue = z.infer<typeof FieldIssueSchema>;

/** The body of every HTTP error answer: `{"error": {"code", "message", "details?"}}`. */
export const ErrorBodySchema = z.strictObject({
  error: z.strictObject({
    code: ErrorCodeSchema,
    message: z.string().max(1000),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return details === undefined ? { error: { code, message } } : { error: { code, message, details } };
}
