import { z } from 'zod';
import { TimestampSchema } from './common.ts';
import { RemotePermissionSchema } from './permissions.ts';

/**
 * The tamper-evident audit log: every security-relevant act is one entry,
 * chained to the one before it by SHA-256. Action names are stable API
 * (filters, exports and helpdesk tooling use them): rename never; add instead.
 */
export const AuditAction = {
  SIGN_IN: 'auth.sign_in',
  SIGN_IN_FAILED: 'auth.sign_in_failed',
  SIGN_OUT: 'auth.sign_out',
  USER_UNLOCKED: 'user.unlocked',
  USER_CREATED: 'user.created',
  USER_UPDATED: 'user.updated',
  QUEUE_CREATED: 'queue.created',
  API_TOKEN_CREATED: 'api_token.created',
  API_TOKEN_REVOKED: 'api_token.revoked',
  /** The first use of an API token on a UTC day. */
  API_TOKEN_USED: 'api_token.used',
  WEBHOOK_CREATED: 'webhook.created',
  WEBHOOK_UPDATED: 'webhook.updated',
  WEBHOOK_DELETED: 'webhook.deleted',
  WEBHOOK_SECRET_ROTATED: 'webhook.secret_rotated',
  BRANDING_CHANGED: 'branding.changed',
  TEMPLATE_CHANGED: 'template.changed',
  TEMPLATE_RESET: 'template.reset',
  /** An agent asked the person at the host; details: question id, permissions. */
  CONSENT_ASKED: 'consent.asked',
  /** The person's answer; details: answer (allow, view, deny, silence, withdrawn), permissions. */
  CONSENT_ANSWERED: 'consent.answered',
  SESSION_STARTED: 'session.started',
  SESSION_ENDED: 'session.ended',
  /** The broker-wide budget for join code guesses is spent. */
  JOIN_GUESSING_ALARM: 'security.join_guessing',
  /** Unattended access: asked in a live session; the person's answer; a connect it admitted (with the reason) or refused; revoked. */
  UNATTENDED_ASKED: 'unattended.asked',
  UNATTENDED_GRANTED: 'unattended.granted',
  UNATTENDED_DENIED: 'unattended.denied',
  UNATTENDED_USED: 'unattended.used',
  UNATTENDED_REFUSED: 'unattended.refused',
  UNATTENDED_REVOKED: 'unattended.revoked',
  UNATTENDED_SESSION_STARTED: 'unattended.session_started',
  UNATTENDED_SESSION_ENDED: 'unattended.session_ended',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];
export const AUDIT_ACTIONS = Object.values(AuditAction) as [AuditAction, ...AuditAction[]];
export const AuditActionSchema = z.enum(AUDIT_ACTIONS);

/** The person's answer to a consent question, as the log names it. */
export const ConsentAnswerSchema = z.enum(['allow', 'view', 'deny', 'silence', 'withdrawn']);
export type ConsentAnswer = z.infer<typeof ConsentAnswerSchema>;

export const AuditActorSchema = z.strictObject({
  type: z.enum(['user', 'client', 'system', 'api_token', 'anonymous']),
  id: z.string().nullable(),
  name: z.string().nullable(),
});
export type AuditActor = z.infer<typeof AuditActorSchema>;

export const AuditTargetSchema = z.strictObject({ type: z.string(), id: z.string().nullable() });
export type AuditTarget = z.infer<typeof AuditTargetSchema>;

/** A 64-character lowercase hex SHA-256. */
export const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/);

export const AuditEntrySchema = z.strictObject({
  /** 1, 2, 3, … over the whole broker: a gap is a deleted entry. */
  seq: z.number().int().positive(),
  /** Null for broker-wide acts (an attack on the broker as a whole). */
  orgId: z.string().nullable(),
  actor: AuditActorSchema,
  action: AuditActionSchema,
  target: AuditTargetSchema.nullable(),
  details: z.record(z.string(), z.unknown()),
  /** Where the act came from (the client address), when it came over the network. */
  ip: z.string().nullable(),
  at: TimestampSchema,
  /** The previous entry's hash; 64 zeros for the first. */
  prevHash: Sha256HexSchema,
  hash: Sha256HexSchema,
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** The newest entry: kept outside the broker, it shows whether the end of the chain was cut off. */
export const AuditHeadSchema = z.strictObject({
  seq: z.number().int().nonnegative(),
  hash: Sha256HexSchema,
  at: TimestampSchema.nullable(),
});
export type AuditHead = z.infer<typeof AuditHeadSchema>;

export const AUDIT_GENESIS_HASH = '0'.repeat(64);

export const AuditListQuerySchema = z.strictObject({
  action: AuditActionSchema.optional(),
  /** An actor id (a user's, an API token's). */
  actor: z.string().max(200).optional(),
  /** A target id (a request, a user, a token, …). */
  target: z.string().max(200).optional(),
  from: TimestampSchema.optional(),
  to: TimestampSchema.optional(),
  /** The `nextCursor` of the previous page: entries older than it. */
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  format: z.enum(['json', 'csv']).default('json'),
});
export type AuditListQuery = z.infer<typeof AuditListQuerySchema>;

export const AuditPageSchema = z.strictObject({
  /** Newest first. */
  items: z.array(AuditEntrySchema),
  nextCursor: z.number().int().positive().nullable(),
});
export type AuditPage = z.infer<typeof AuditPageSchema>;

/**
 * One line of the host's own record (a JSON-lines file in the user's data
 * directory, readable by the person at that computer): every consent
 * question, its answer, and every session's start and end, as the host saw them.
 */
export const HostRecordEntrySchema = z.strictObject({
  at: TimestampSchema,
  kind: z.enum(['consent_asked', 'consent_answered', 'session_started', 'session_ended']),
  /** The session code of the request (as the host joined it). */
  code: z.string().max(20).nullable(),
  organisation: z.string().max(200).nullable(),
  agentId: z.string().max(200).nullable(),
  agentName: z.string().max(200).nullable(),
  permissions: z.array(RemotePermissionSchema),
  /**
   * For an answer: allow, view (narrowed), deny, silence (no answer in time), withdrawn, grace
   * (the same agent back within the reconnect window) or grant (admitted by a grant, nobody asked).
   */
  answer: z.enum(['allow', 'view', 'deny', 'silence', 'withdrawn', 'grace', 'grant']).nullable(),
  /** For an end: why (stopped_by_user, peer_closed, replaced …). */
  reason: z.string().max(200).nullable(),
});
export type HostRecordEntry = z.infer<typeof HostRecordEntrySchema>;
