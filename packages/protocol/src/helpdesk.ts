import { z } from 'zod';
import {
  EmailSchema,
  IdSchema,
  LanguageSchema,
  TimeZoneSchema,
  TimestampSchema,
  multiLine,
  singleLine,
} from './common.ts';
import { DEFAULT_REMOTE_PERMISSIONS, RemotePermissionsSchema } from './permissions.ts';
import {
  ActorSchema,
  AssigneeInputSchema,
  SessionRequestSummarySchema,
  TicketRefSchema,
} from './session-request.ts';

/**
 * The helpdesk integration (SC1–SC4, SC7, SC8, SC11, SC12): API tokens,
 * service cases, the sessions inside a request, reports and per-supporter
 * notification settings.
 */

// ---- API tokens (SC1, SC12) ----

/**
 * What a helpdesk's token may do. Deliberately nothing about users, roles,
 * tokens, webhooks or unattended grants: those stay with signed-in admins.
 */
export const ApiScope = {
  CASES_READ: 'service_cases:read',
  CASES_WRITE: 'service_cases:write',
  REPORTS_READ: 'reports:read',
  /** Reads the tamper-evident audit log (`GET /api/v1/audit`). */
  AUDIT_READ: 'audit:read',
} as const;
export type ApiScope = (typeof ApiScope)[keyof typeof ApiScope];
export const ApiScopeSchema = z.enum([
  ApiScope.CASES_READ,
  ApiScope.CASES_WRITE,
  ApiScope.REPORTS_READ,
  ApiScope.AUDIT_READ,
]);

/** API token secrets start with this, so the broker (and secret scanners) can tell them from session tokens. */
export const API_TOKEN_PREFIX = 'bkt_';

const unique = <T>(list: T[]) => new Set(list).size === list.length;

export const ApiTokenCreateSchema = z.strictObject({
  name: singleLine(100),
  scopes: z.array(ApiScopeSchema).min(1).max(ApiScopeSchema.options.length).refine(unique, 'duplicate scope'),
});
export type ApiTokenCreate = z.infer<typeof ApiTokenCreateSchema>;

export const ApiTokenSchema = z.strictObject({
  id: IdSchema,
  name: z.string(),
  /** The first characters of the secret, to recognise it; never enough to use it. */
  prefix: z.string(),
  scopes: z.array(ApiScopeSchema),
  createdAt: TimestampSchema,
  createdBy: ActorSchema,
  lastUsedAt: TimestampSchema.nullable(),
  revokedAt: TimestampSchema.nullable(),
  /** Cases created with this token that are still open. */
  activeCases: z.number().int(),
});
export type ApiToken = z.infer<typeof ApiTokenSchema>;

/** The answer to a create: the only time the secret is shown. */
export const ApiTokenCreatedSchema = ApiTokenSchema.extend({ secret: z.string() });
export type ApiTokenCreated = z.infer<typeof ApiTokenCreatedSchema>;

/** `DELETE /api/v1/api-tokens/:id?closeCases=true` closes the token's open cases first (SC12). */
export const ApiTokenRevokeQuerySchema = z.strictObject({
  closeCases: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

// ---- Sessions inside a request (SC7) ----

/** One remote session: from the peers connecting to the session ending. */
export const SessionRecordSchema = z.strictObject({
  id: IdSchema,
  requestId: IdSchema,
  startedAt: TimestampSchema,
  endedAt: TimestampSchema.nullable(),
  durationMs: z.number().int().nullable(),
  /** Whole seconds, rounded. */
  durationSec: z.number().int().nullable(),
  /** The agent who pressed Connect. */
  agent: z.strictObject({ id: z.string().nullable(), name: z.string().nullable() }),
  connection: z.enum(['direct', 'relayed']).nullable(),
  /** Why it ended: agent_ended, stopped_by_user, peer_closed, agent_left, client_left, closed, expired… */
  outcome: z.string().nullable(),
});
export type SessionRecord = z.infer<typeof SessionRecordSchema>;

export const SessionRecordListSchema = z.strictObject({ items: z.array(SessionRecordSchema) });

export const CaseSessionSummarySchema = z.strictObject({
  sessionCount: z.number().int(),
  totalDurationMs: z.number().int(),
  totalDurationSec: z.number().int(),
  firstStartedAt: TimestampSchema.nullable(),
  lastEndedAt: TimestampSchema.nullable(),
});
export type CaseSessionSummary = z.infer<typeof CaseSessionSummarySchema>;

/** Totals over a case's sessions; one still running counts, its duration not yet. */
export function summarizeSessions(sessions: readonly SessionRecord[]): CaseSessionSummary {
  let total = 0;
  let first: string | null = null;
  let last: string | null = null;
  for (const s of sessions) {
    total += s.durationMs ?? 0;
    if (first === null || s.startedAt < first) first = s.startedAt;
    if (s.endedAt !== null && (last === null || s.endedAt > last)) last = s.endedAt;
  }
  return {
    sessionCount: sessions.length,
    totalDurationMs: total,
    totalDurationSec: Math.round(total / 1000),
    firstStartedAt: first,
    lastEndedAt: last,
  };
}

// ---- Service cases (SC2–SC4, SC7) ----

/** A case's ticket: every field is required, so reports can break sessions down by them. */
export const CaseTicketSchema = TicketRefSchema.required();
export type CaseTicket = z.infer<typeof CaseTicketSchema>;

/** SC4: links of a case are valid at most this long. */
export const MAX_CASE_EXPIRY_HOURS = 24;

/**
 * `POST /api/v1/service-cases`: the session-request body plus the ticket.
 * The customer mail goes out whenever an address is given, unless `sendInvite` is false.
 */
export const ServiceCaseCreateSchema = z
  .strictObject({
    recipientName: singleLine(200),
    recipientEmail: EmailSchema.optional(),
    sendInvite: z
      .boolean()
      .optional()
      .describe(
        'Mail the invite to recipientEmail. Unlike a session request, a case mails it whenever recipientEmail is given unless this is false.',
      ),
    language: LanguageSchema.default('en'),
    comment: multiLine(2000).optional(),
    scheduledAt: TimestampSchema.optional(),
    expiresAt: TimestampSchema.optional(),
    assignee: AssigneeInputSchema.optional().describe(
      'Required when an API token creates the case (a token has no "me"); a signed-in agent’s case defaults to "me".',
    ),
    timeZone: TimeZoneSchema.default('UTC'),
    permissions: RemotePermissionsSchema.default(DEFAULT_REMOTE_PERMISSIONS),
    ticket: CaseTicketSchema,
  })
  .superRefine((body, ctx) => {
    if (body.sendInvite && !body.recipientEmail) {
      ctx.addIssue({ code: 'custom', path: ['recipientEmail'], message: 'required to send an invite' });
    }
  });
export type ServiceCaseCreate = z.input<typeof ServiceCaseCreateSchema>;

export const ServiceCaseSchema = SessionRequestSummarySchema.extend({
  ticket: CaseTicketSchema,
  /** Open (not closed, not expired): the ticket cannot get another case, nor be closed. */
  active: z.boolean(),
  sessions: z.array(SessionRecordSchema),
  summary: CaseSessionSummarySchema,
});
export type ServiceCase = z.infer<typeof ServiceCaseSchema>;

export const TicketQuerySchema = z.strictObject({
  system: singleLine(64),
  ticketId: singleLine(128),
});
export type TicketQuery = z.infer<typeof TicketQuerySchema>;

export const ServiceCaseListSchema = z.strictObject({ items: z.array(ServiceCaseSchema) });

/** SC7: may the helpdesk close this ticket? Not while a case for it is active. */
export const TicketCloseCheckSchema = z.strictObject({
  ticket: TicketQuerySchema,
  canClose: z.boolean(),
  reason: z.string().nullable(),
  activeCase: z
    .strictObject({
      id: IdSchema,
      displayCode: z.string(),
      status: z.string(),
      expiresAt: TimestampSchema,
    })
    .nullable(),
});
export type TicketCloseCheck = z.infer<typeof TicketCloseCheckSchema>;

// ---- Supporter notifications (SC5, SC11) ----

export const NotificationSettingsSchema = z.strictObject({
  /** Read by the agent app, which shows the desktop notification. */
  desktop: z.boolean().default(true),
  /** A mail when the customer of one of my requests joins. */
  email: z.boolean().default(false),
  /** Queues whose members are told about my customers too (sharing a group). */
  shareWithQueueIds: z.array(IdSchema).max(50).refine(unique, 'duplicate queue').default([]),
  /** The language of the supporter's mails. */
  language: LanguageSchema.default('en'),
});
export type NotificationSettings = z.output<typeof NotificationSettingsSchema>;

// ---- Reports (SC8) ----

export const ReportGroupBySchema = z.enum([
  'technician',
  'day',
  'week',
  'month',
  'category',
  'type',
  'priority',
  'source',
]);
export type ReportGroupBy = z.infer<typeof ReportGroupBySchema>;

/** A calendar day in the report's time zone, or an exact instant. */
const ReportBoundSchema = z.union([z.iso.date().max(10), TimestampSchema]);

/**
 * `GET /api/v1/reports/sessions`. Days are calendar days in `tz` (which is
 * required: "March 30" means different instants in Berlin and Tokyo); `to`
 * as a day is inclusive. Sessions count by their start.
 */
/** A report spans at most this many days: bounded work per call. */
export const MAX_REPORT_RANGE_DAYS = 400;

export const ReportQuerySchema = z.strictObject({
  from: ReportBoundSchema.describe(
    `First day (in tz) or instant. At most ${MAX_REPORT_RANGE_DAYS} days before \`to\`.`,
  ),
  to: ReportBoundSchema.describe(
    `Last day (in tz, inclusive) or instant. At most ${MAX_REPORT_RANGE_DAYS} days after \`from\`.`,
  ),
  tz: TimeZoneSchema,
  technician: IdSchema.optional(),
  groupBy: ReportGroupBySchema.default('technician'),
  format: z.enum(['json', 'csv']).optional(),
});
export type ReportQuery = z.input<typeof ReportQuerySchema>;

export const ReportRowSchema = z.strictObject({
  /** The group's key (user id, day, category…); null for sessions without one. */
  key: z.string().nullable(),
  label: z.string(),
  sessions: z.number().int(),
  totalDurationSec: z.number(),
  averageDurationSec: z.number(),
});
export type ReportRow = z.infer<typeof ReportRowSchema>;

export const SessionReportSchema = z.strictObject({
  from: TimestampSchema,
  to: TimestampSchema,
  tz: z.string(),
  technician: IdSchema.nullable(),
  groupBy: ReportGroupBySchema,
  totals: z.strictObject({
    sessions: z.number().int(),
    totalDurationSec: z.number(),
    averageDurationSec: z.number(),
  }),
  groups: z.array(ReportRowSchema),
  byTechnician: z.array(ReportRowSchema),
  byCategory: z.array(ReportRowSchema),
  byType: z.array(ReportRowSchema),
  byPriority: z.array(ReportRowSchema),
  bySource: z.array(ReportRowSchema),
});
export type SessionReport = z.infer<typeof SessionReportSchema>;
