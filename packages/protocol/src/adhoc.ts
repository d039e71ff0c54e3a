import { z } from 'zod';
import { EmailSchema, IdSchema, LanguageSchema, multiLine, singleLine, TimestampSchema } from './common.ts';
import { HostPresenceInfoSchema, HostPublicKeySchema } from './hosts.ts';
import { randomDigits } from './random.ts';
import { TOKEN_PATTERN } from './tokens.ts';

/**
 * Ad-hoc support (AH1–AH10): a provider gives one day of repeated access to a
 * computer that is not managed. The user installs a temporary host from a
 * mailed link and activates it with a security code; 24 hours after
 * activation (or when the provider or the user ends it) the session ends and
 * the host removes itself.
 *
 * States: `created` (mailed, not activated) → `activated` (bound to one
 * temporary host, the clock runs) → `ended` → `removed` (the host reported
 * that it removed itself). A created session may also end (cancelled).
 */
export const AdhocStatusSchema = z.enum(['created', 'activated', 'ended', 'removed']);
export type AdhocStatus = z.infer<typeof AdhocStatusSchema>;
/** Statuses that hold a seat and count against the one-per-provider and per-organisation limits. */
export const ADHOC_ACTIVE_STATUSES: readonly AdhocStatus[] = ['created', 'activated'];

/** How long an activated session lasts (AH4). A broker may shorten it for tests only. */
export const ADHOC_DURATION_MS = 24 * 60 * 60 * 1000;
/** The organisation limit of active sessions unless configured (AH7). */
export const ADHOC_DEFAULT_ORG_LIMIT = 5;

export const AdhocEndReasonSchema = z.enum(['expired', 'provider', 'user']);
export type AdhocEndReason = z.infer<typeof AdhocEndReasonSchema>;

/**
 * The security code (AH3): 10 digits, shown grouped `12345-67890`. Guessing
 * is stopped by the broker's throttle (the join throttle's model), and a code
 * works once.
 */
export const ADHOC_CODE_DIGITS = 10;
export const AdhocCodeSchema = z.string().regex(/^\d{10}$/, 'expected a 10-digit security code');
export function generateAdhocCode(): string {
  return randomDigits(ADHOC_CODE_DIGITS);
}
export function formatAdhocCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}
/** What people type: digits with optional spaces or dashes. */
export function parseAdhocCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{10}$/.test(digits) ? digits : null;
}

/** `POST /api/v1/adhoc-sessions` (AH1). */
export const AdhocCreateSchema = z.strictObject({
  userName: singleLine(120),
  email: EmailSchema,
  language: LanguageSchema.default('en'),
  comment: multiLine(1000).optional(),
});
export type AdhocCreate = z.infer<typeof AdhocCreateSchema>;

/** The read model of one ad-hoc session. Never its code, password or install token. */
export const AdhocSummarySchema = z.strictObject({
  id: IdSchema,
  providerId: IdSchema,
  userName: z.string(),
  email: z.string(),
  language: LanguageSchema,
  comment: z.string().nullable(),
  status: AdhocStatusSchema,
  createdAt: TimestampSchema,
  activatedAt: TimestampSchema.nullable(),
  /** activatedAt + the duration; null until activated. */
  expiresAt: TimestampSchema.nullable(),
  endedAt: TimestampSchema.nullable(),
  endReason: AdhocEndReasonSchema.nullable(),
  removedAt: TimestampSchema.nullable(),
  /** The temporary host the activation bound; null until then. */
  hostId: IdSchema.nullable(),
});
export type AdhocSummary = z.infer<typeof AdhocSummarySchema>;

/** The answer to create: the only time the predefined password and the code are shown. */
export const AdhocCreatedSchema = AdhocSummarySchema.extend({
  predefinedPassword: z.string(),
  securityCode: z.string(),
  installLink: z.string(),
});
export type AdhocCreated = z.infer<typeof AdhocCreatedSchema>;

export const AdhocListSchema = z.strictObject({ items: z.array(AdhocSummarySchema) });

/** One record of a session's life (AH records): created, activated, connection, ended, removed. */
export const AdhocEventKindSchema = z.enum(['created', 'activated', 'connection', 'ended', 'removed']);
export const AdhocEventSchema = z.strictObject({
  kind: AdhocEventKindSchema,
  at: TimestampSchema,
  actorId: IdSchema.nullable(),
  detail: z.string().nullable(),
});
export type AdhocEvent = z.infer<typeof AdhocEventSchema>;
export const AdhocDetailSchema = AdhocSummarySchema.extend({ events: z.array(AdhocEventSchema) });

/** `GET/PUT /api/v1/adhoc-seats` (AH5): seats an admin sets, and how many are in use. */
export const AdhocSeatsBodySchema = z.strictObject({ seats: z.number().int().min(0).max(100_000) });
export const AdhocSeatsSchema = z.strictObject({
  seats: z.number().int().min(0),
  used: z.number().int().min(0),
  orgLimit: z.number().int().min(1),
});
export type AdhocSeats = z.infer<typeof AdhocSeatsSchema>;

/** A folder the user allowed the file manager at activation (absolute, on the host). */
export const AllowedFolderSchema = z
  .string()
  .min(1)
  .max(4096)
  // eslint-disable-next-line no-control-regex -- refusing them is the point
  .refine((p) => !/[\u0000-\u001f\u007f]/.test(p), 'no control characters');

/** `POST /api/v1/adhoc/activate` (the temporary host, with the code instead of a sign-in). */
export const AdhocActivateSchema = z.strictObject({
  securityCode: z.string().max(40),
  publicKey: HostPublicKeySchema,
  name: singleLine(120),
  presence: HostPresenceInfoSchema,
});
export type AdhocActivate = z.infer<typeof AdhocActivateSchema>;

/**
 * What the host keeps from its activation. `passwordVerifier` is the
 * broker's scrypt hash of the predefined password (never the password): the
 * host checks what a provider presents over the peer connection against it.
 * `removalToken` lets the host report its removal after its key is gone.
 */
export const AdhocActivatedSchema = z.strictObject({
  sessionId: IdSchema,
  hostId: IdSchema,
  providerId: IdSchema,
  activatedAt: TimestampSchema,
  expiresAt: TimestampSchema,
  passwordVerifier: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/),
  removalToken: z.string().regex(TOKEN_PATTERN),
});
export type AdhocActivated = z.infer<typeof AdhocActivatedSchema>;

/** `POST /api/v1/adhoc/report` (the temporary host): the user ended it, or the host removed itself. */
export const AdhocHostReportSchema = z.strictObject({
  sessionId: IdSchema,
  removalToken: z.string().max(43).regex(TOKEN_PATTERN),
  event: z.enum(['ended_by_user', 'removed']),
});
export type AdhocHostReport = z.infer<typeof AdhocHostReportSchema>;
