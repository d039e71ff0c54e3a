import { z } from 'zod';
import { CANONICAL_CODE_PATTERN } from './codes.ts';
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
import { SessionEventSchema, SessionStatusSchema } from './state-machine.ts';

/** Who a request is assigned to (SR1 "me / a device / a queue", SR2 "unassigned / device / queue"). */
export const AssigneeInputSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('unassigned') }),
  z.strictObject({ type: z.literal('me') }),
  z.strictObject({ type: z.literal('agent'), id: IdSchema }),
  z.strictObject({ type: z.literal('device'), id: IdSchema }),
  z.strictObject({ type: z.literal('queue'), id: IdSchema }),
]);
export type AssigneeInput = z.infer<typeof AssigneeInputSchema>;

/** The stored assignee: `me` is resolved to the creating agent. */
export const AssigneeSchema = z.strictObject({
  type: z.enum(['unassigned', 'agent', 'device', 'queue']),
  id: IdSchema.nullable(),
  name: z.string().nullable(),
});
export type Assignee = z.infer<typeof AssigneeSchema>;

/** A helpdesk ticket a request or service case belongs to (SC). */
export const TicketRefSchema = z.strictObject({
  system: singleLine(64),
  ticketId: singleLine(128),
  category: singleLine(64).optional(),
  type: singleLine(64).optional(),
  priority: singleLine(32).optional(),
  source: singleLine(64).optional(),
});
export type TicketRef = z.infer<typeof TicketRefSchema>;

export const MAX_EXPIRY_DAYS = 30;

/** The body of `POST /api/v1/session-requests`: every field of SR1 and SR2. */
export const SessionRequestCreateSchema = z
  .strictObject({
    recipientName: singleLine(200),
    recipientEmail: EmailSchema.optional(),
    sendInvite: z
      .boolean()
      .default(false)
      .describe(
        'Mail the invite to recipientEmail now. Default false: a session request mails nobody unless asked.',
      ),
    language: LanguageSchema.default('en'),
    comment: multiLine(2000).optional(),
    scheduledAt: TimestampSchema.optional(),
    expiresAt: TimestampSchema.optional(),
    assignee: AssigneeInputSchema.default({ type: 'me' }),
    timeZone: TimeZoneSchema.default('UTC'),
    permissions: RemotePermissionsSchema.default(DEFAULT_REMOTE_PERMISSIONS),
    ticket: TicketRefSchema.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.sendInvite && !body.recipientEmail) {
      ctx.addIssue({ code: 'custom', path: ['recipientEmail'], message: 'required to send an invite' });
    }
  });
export type SessionRequestCreate = z.input<typeof SessionRequestCreateSchema>;
export type SessionRequestCreateParsed = z.output<typeof SessionRequestCreateSchema>;

/** `PATCH /api/v1/session-requests/:id`. `null` clears the schedule. */
export const SessionRequestPatchSchema = z
  .strictObject({
    comment: multiLine(2000).optional(),
    assignee: AssigneeInputSchema.optional(),
    scheduledAt: TimestampSchema.nullable().optional(),
    expiresAt: TimestampSchema.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'nothing to change');
export type SessionRequestPatch = z.infer<typeof SessionRequestPatchSchema>;

export const ActorSchema = z.strictObject({
  type: z.enum(['user', 'client', 'system', 'api_token']),
  id: z.string().nullable(),
  name: z.string().nullable(),
});
export type Actor = z.infer<typeof ActorSchema>;

/** One row of a request's history: who, when, from, to, why. */
export const RequestEventSchema = z.strictObject({
  id: z.number().int(),
  at: TimestampSchema,
  kind: z.union([SessionEventSchema, z.enum(['created', 'updated', 'invite_queued'])]),
  fromStatus: SessionStatusSchema.nullable(),
  toStatus: SessionStatusSchema.nullable(),
  actor: ActorSchema,
  reason: z.string().nullable(),
});
export type RequestEvent = z.infer<typeof RequestEventSchema>;

/** The read model of a session request, as listed. */
export const SessionRequestSummarySchema = z.strictObject({
  id: IdSchema,
  code: z.string().regex(CANONICAL_CODE_PATTERN),
  displayCode: z.string(),
  status: SessionStatusSchema,
  recipientName: z.string(),
  recipientEmail: z.string().nullable(),
  language: LanguageSchema,
  comment: z.string().nullable(),
  scheduledAt: TimestampSchema.nullable(),
  expiresAt: TimestampSchema,
  timeZone: z.string(),
  assignee: AssigneeSchema,
  permissions: RemotePermissionsSchema,
  ticket: TicketRefSchema.nullable(),
  createdBy: ActorSchema,
  customerLink: z.string(),
  assistLink: z.string(),
  supporterLink: z.string(),
  consoleLink: z.string(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  closedAt: TimestampSchema.nullable(),
});
export type SessionRequestSummary = z.infer<typeof SessionRequestSummarySchema>;

/** The read model with its history (`GET /api/v1/session-requests/:id`). */
export const SessionRequestSchema = SessionRequestSummarySchema.extend({
  events: z.array(RequestEventSchema),
});
export type SessionRequest = z.infer<typeof SessionRequestSchema>;

/** Query of `GET /api/v1/session-requests` (query strings: every value is text). */
export const SessionRequestListQuerySchema = z.strictObject({
  status: z
    .string()
    .max(100)
    .transform((v, ctx) => {
      const parts = v.split(',').filter(Boolean);
      const parsed = z.array(SessionStatusSchema).min(1).safeParse(parts);
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: 'expected statuses separated by commas' });
        return z.NEVER;
      }
      return parsed.data;
    })
    .optional(),
  assignee: z.union([z.enum(['me', 'unassigned']), IdSchema]).optional(),
  queue: IdSchema.optional(),
  when: z.enum(['past', 'upcoming']).optional(),
  q: z.string().max(200).optional(),
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type SessionRequestListQuery = z.infer<typeof SessionRequestListQuerySchema>;

export const SessionRequestListSchema = z.strictObject({
  items: z.array(SessionRequestSummarySchema),
  nextCursor: z.string().nullable(),
});
export type SessionRequestList = z.infer<typeof SessionRequestListSchema>;

export const InviteBodySchema = z.strictObject({ recipientEmail: EmailSchema.optional() });
