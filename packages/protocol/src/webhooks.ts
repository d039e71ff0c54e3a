import { z } from 'zod';
import { IdSchema, TimestampSchema, singleLine } from './common.ts';
import { CaseSessionSummarySchema, CaseTicketSchema, SessionRecordSchema } from './helpdesk.ts';
import { AdhocEndReasonSchema, AdhocStatusSchema } from './adhoc.ts';
import { SessionStatusSchema, type SessionEvent, type SessionStatus } from './state-machine.ts';

/**
 * Webhooks (SC7): what a helpdesk hears about its cases. Each delivery is a
 * POST of one event as JSON, with headers
 * - `Beckon-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" under the endpoint's secret>`
 *   (left out when the endpoint's `signing` is `standard`)
 * - `Beckon-Delivery: <uuid>`: the same on every retry of one delivery (idempotency key)
 * - `Beckon-Event: <type>`
 * and, for Standard Webhooks (https://www.standardwebhooks.com/) receivers, with
 * - `webhook-id: <the Beckon-Delivery id>`, `webhook-timestamp: <unix seconds>`
 * - `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>">`, keyed by
 *   the key bytes of `standardWebhooksSecret` (`whsec_` + standard base64; the same bytes as
 *   the base64url part of `secret`, which keys the Stripe-style header as a string).
 * Deliveries of one case to one endpoint arrive in the order the events happened.
 */
export const WebhookEventType = {
  CASE_CREATED: 'case.created',
  CUSTOMER_JOINED: 'customer.joined',
  SESSION_STARTED: 'session.started',
  SESSION_ENDED: 'session.ended',
  CASE_CLOSED: 'case.closed',
  CASE_EXPIRED: 'case.expired',
  /** Every hour: the audit log's head (seq, hash), to keep outside the broker so a cut-off end shows. */
  AUDIT_HEAD: 'audit.head',
  /** An attack on the broker as a whole, e.g. the budget for join code guesses is spent. */
  SECURITY_ALARM: 'security.alarm',
  /** Unattended access (UA): about a managed host and a grant, not a case. */
  UNATTENDED_GRANTED: 'unattended.granted',
  UNATTENDED_REVOKED: 'unattended.revoked',
  UNATTENDED_SESSION_STARTED: 'unattended.session_started',
  UNATTENDED_SESSION_ENDED: 'unattended.session_ended',
  /** Ad-hoc support (AH): a session's life, as its records show it. */
  ADHOC_CREATED: 'adhoc.created',
  ADHOC_ACTIVATED: 'adhoc.activated',
  ADHOC_CONNECTION: 'adhoc.connection',
  ADHOC_ENDED: 'adhoc.ended',
  ADHOC_REMOVED: 'adhoc.removed',
} as const;
export type WebhookEventType = (typeof WebhookEventType)[keyof typeof WebhookEventType];
export const WEBHOOK_EVENT_TYPES = Object.values(WebhookEventType) as [
  WebhookEventType,
  ...WebhookEventType[],
];
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);

export const WEBHOOK_SIGNATURE_HEADER = 'beckon-signature';
export const WEBHOOK_DELIVERY_HEADER = 'beckon-delivery';
export const WEBHOOK_EVENT_HEADER = 'beckon-event';
export const STANDARD_WEBHOOK_ID_HEADER = 'webhook-id';
export const STANDARD_WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const STANDARD_WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

/** Where a session starts or ends, as the state machine sees it. */
export function sessionBoundary(from: SessionStatus, to: SessionStatus): 'start' | 'end' | null {
  if (from !== 'in_session' && to === 'in_session') return 'start';
  if (from === 'in_session' && to !== 'in_session') return 'end';
  return null;
}

/**
 * The events one committed status change of a case emits, in order (a case
 * closed mid-session ends the session first). `case.created` is emitted by
 * the create itself.
 */
export function webhookEventsFor(t: {
  event: SessionEvent;
  from: SessionStatus;
  to: SessionStatus;
  changed: boolean;
}): WebhookEventType[] {
  const out: WebhookEventType[] = [];
  // Only an arrival counts: a client reconnecting while waiting is not a new join.
  if (t.event === 'client_joined' && t.changed) out.push(WebhookEventType.CUSTOMER_JOINED);
  const boundary = sessionBoundary(t.from, t.to);
  if (boundary === 'start') out.push(WebhookEventType.SESSION_STARTED);
  if (boundary === 'end') out.push(WebhookEventType.SESSION_ENDED);
  if (t.changed && t.to === 'closed') out.push(WebhookEventType.CASE_CLOSED);
  if (t.changed && t.to === 'expired') out.push(WebhookEventType.CASE_EXPIRED);
  return out;
}

const webhookUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'expected an absolute http(s) URL without credentials');

const eventList = z
  .array(WebhookEventTypeSchema)
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length)
  .refine((list) => new Set(list).size === list.length, 'duplicate event');

/**
 * The signatures an endpoint's deliveries carry: `both` (Stripe-style `Beckon-Signature` and
 * Standard Webhooks `webhook-signature`) or `standard` (Standard Webhooks only).
 */
export const WebhookSigningSchema = z.enum(['both', 'standard']);
export type WebhookSigning = z.infer<typeof WebhookSigningSchema>;

export const WebhookCreateSchema = z.strictObject({
  url: webhookUrl,
  events: eventList,
  description: singleLine(200).optional(),
  /** A paused endpoint keeps receiving events into its queue and gets them once it is active again. */
  active: z.boolean().default(true),
  signing: WebhookSigningSchema.default('both'),
});
export type WebhookCreate = z.input<typeof WebhookCreateSchema>;

export const WebhookPatchSchema = z
  .strictObject({
    url: webhookUrl.optional(),
    events: eventList.optional(),
    description: singleLine(200).nullable().optional(),
    active: z.boolean().optional(),
    signing: WebhookSigningSchema.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
export type WebhookPatch = z.infer<typeof WebhookPatchSchema>;

export const WebhookSchema = z.strictObject({
  id: IdSchema,
  url: z.string(),
  events: z.array(WebhookEventTypeSchema),
  description: z.string().nullable(),
  active: z.boolean(),
  signing: WebhookSigningSchema,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  /** The newest delivery's status, for the list. */
  lastDelivery: z
    .strictObject({
      status: z.enum(['pending', 'delivered', 'failed']),
      at: TimestampSchema,
      statusCode: z.number().int().nullable(),
    })
    .nullable(),
});
export type Webhook = z.infer<typeof WebhookSchema>;

/**
 * The answer to a create or a secret rotation: the only time the signing secret is shown.
 * `secret` verifies `Beckon-Signature` (Stripe-style libraries); `standardWebhooksSecret` is the
 * same key in the form Standard Webhooks libraries take, and verifies `webhook-signature`.
 */
export const WebhookCreatedSchema = WebhookSchema.extend({
  secret: z.string(),
  standardWebhooksSecret: z.string(),
});
export type WebhookCreated = z.infer<typeof WebhookCreatedSchema>;

export const WebhookDeliveryStatusSchema = z.enum(['pending', 'delivered', 'failed']);

export const WebhookDeliverySchema = z.strictObject({
  id: IdSchema,
  eventId: IdSchema,
  webhookId: IdSchema,
  event: WebhookEventTypeSchema,
  requestId: IdSchema.nullable(),
  status: WebhookDeliveryStatusSchema,
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: TimestampSchema,
  lastAttemptAt: TimestampSchema.nullable(),
  nextAttemptAt: TimestampSchema.nullable(),
  deliveredAt: TimestampSchema.nullable(),
});
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

export const WebhookDeliveryListQuerySchema = z.strictObject({
  status: WebhookDeliveryStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const WebhookDeliveryListSchema = z.strictObject({ items: z.array(WebhookDeliverySchema) });

// ---- The event bodies ----

/** The case an event is about. Never its code or links: those let a stranger join. */
export const WebhookCaseRefSchema = z.strictObject({
  id: IdSchema,
  status: SessionStatusSchema,
  ticket: CaseTicketSchema,
  recipientName: z.string(),
});

export type WebhookCaseRef = z.infer<typeof WebhookCaseRefSchema>;

const envelope = <T extends WebhookEventType, D extends z.ZodType>(type: T, data: D) =>
  z.strictObject({
    /** The event's id: the same in every endpoint's delivery of it. */
    id: IdSchema,
    type: z.literal(type),
    occurredAt: TimestampSchema,
    case: WebhookCaseRefSchema,
    data,
  });

/** An event about the broker, not about a case: no `case`, one delivery chain per endpoint. */
const brokerEnvelope = <T extends WebhookEventType, D extends z.ZodType>(type: T, data: D) =>
  z.strictObject({ id: IdSchema, type: z.literal(type), occurredAt: TimestampSchema, data });

const closedData = z.strictObject({
  at: TimestampSchema,
  summary: CaseSessionSummarySchema,
  sessions: z.array(SessionRecordSchema),
});

/** The ad-hoc session an event is about. Never its code, password or link. */
export const WebhookAdhocRefSchema = z.strictObject({
  id: IdSchema,
  status: AdhocStatusSchema,
  providerId: IdSchema,
  userName: z.string(),
  hostId: IdSchema.nullable(),
  expiresAt: TimestampSchema.nullable(),
});
export type WebhookAdhocRef = z.infer<typeof WebhookAdhocRefSchema>;

const adhocEnvelope = <T extends WebhookEventType, D extends z.ZodType>(type: T, data: D) =>
  z.strictObject({
    id: IdSchema,
    type: z.literal(type),
    occurredAt: TimestampSchema,
    adhoc: WebhookAdhocRefSchema,
    data,
  });

export const WebhookEventSchema = z.discriminatedUnion('type', [
  adhocEnvelope(WebhookEventType.ADHOC_CREATED, z.strictObject({})),
  adhocEnvelope(WebhookEventType.ADHOC_ACTIVATED, z.strictObject({ hostName: z.string() })),
  adhocEnvelope(WebhookEventType.ADHOC_CONNECTION, z.strictObject({ userId: IdSchema })),
  adhocEnvelope(WebhookEventType.ADHOC_ENDED, z.strictObject({ reason: AdhocEndReasonSchema })),
  adhocEnvelope(WebhookEventType.ADHOC_REMOVED, z.strictObject({})),
  envelope(
    WebhookEventType.CASE_CREATED,
    z.strictObject({ expiresAt: TimestampSchema, createdBy: z.string().nullable() }),
  ),
  envelope(WebhookEventType.CUSTOMER_JOINED, z.strictObject({ at: TimestampSchema })),
  envelope(WebhookEventType.SESSION_STARTED, z.strictObject({ session: SessionRecordSchema })),
  envelope(WebhookEventType.SESSION_ENDED, z.strictObject({ session: SessionRecordSchema })),
  envelope(WebhookEventType.CASE_CLOSED, closedData),
  envelope(WebhookEventType.CASE_EXPIRED, closedData),
  brokerEnvelope(
    WebhookEventType.AUDIT_HEAD,
    z.strictObject({
      seq: z.number().int().nonnegative(),
      hash: z.string().regex(/^[0-9a-f]{64}$/),
      at: TimestampSchema.nullable(),
    }),
  ),
  brokerEnvelope(
    WebhookEventType.SECURITY_ALARM,
    z.strictObject({
      kind: z.enum(['join_guessing']),
      message: z.string(),
      /** Until when the broker keeps the guarded mode, at the least. */
      until: TimestampSchema.nullable(),
    }),
  ),
]);
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

/** The host an unattended-access event is about. */
export const WebhookHostRefSchema = z.strictObject({ id: IdSchema, name: z.string() });

const hostEnvelope = <T extends WebhookEventType, D extends z.ZodType>(type: T, data: D) =>
  z.strictObject({
    id: IdSchema,
    type: z.literal(type),
    occurredAt: TimestampSchema,
    host: WebhookHostRefSchema,
    data,
  });

const grantRef = z.strictObject({
  id: IdSchema,
  agent: z.strictObject({ id: IdSchema, name: z.string() }),
  mode: z.enum(['at_connection', 'at_setup']),
});
const unattendedSession = z.strictObject({
  grant: grantRef,
  requestId: IdSchema,
  reason: z.string(),
  startedAt: TimestampSchema,
});

/** Unattended access (UA): signed and delivered like the case events, with a host instead of a case. */
export const UnattendedWebhookEventSchema = z.discriminatedUnion('type', [
  hostEnvelope(
    WebhookEventType.UNATTENDED_GRANTED,
    z.strictObject({ grant: grantRef, approvedAt: TimestampSchema, verifiedUser: z.string().nullable() }),
  ),
  hostEnvelope(
    WebhookEventType.UNATTENDED_REVOKED,
    z.strictObject({ grant: grantRef, revokedAt: TimestampSchema, revokedBy: z.string() }),
  ),
  hostEnvelope(WebhookEventType.UNATTENDED_SESSION_STARTED, unattendedSession),
  hostEnvelope(
    WebhookEventType.UNATTENDED_SESSION_ENDED,
    unattendedSession.extend({ endedAt: TimestampSchema, durationMs: z.number().int().min(0) }),
  ),
]);
export type UnattendedWebhookEvent = z.infer<typeof UnattendedWebhookEventSchema>;
