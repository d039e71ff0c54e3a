import { z } from 'zod';
import { TypedSessionCodeSchema } from './codes.ts';
import { LanguageSchema, TimestampSchema } from './common.ts';
import { RemotePermissionsSchema } from './permissions.ts';
import { SessionStatusSchema } from './state-machine.ts';
import { LinkTokenSchema } from './tokens.ts';

/** `POST /api/v1/join`: the customer's side names its request by code or by link token. */
export const JoinBodySchema = z.union([
  z.strictObject({ code: TypedSessionCodeSchema }),
  z.strictObject({ token: LinkTokenSchema }),
]);
export type JoinBody = z.input<typeof JoinBodySchema>;

/** What the customer may see of a request before joining: who asks, for what. */
export const JoinSummarySchema = z.strictObject({
  organisation: z.string(),
  agentName: z.string(),
  recipientName: z.string(),
  comment: z.string().nullable(),
  permissions: RemotePermissionsSchema,
  status: SessionStatusSchema,
  displayCode: z.string(),
  language: LanguageSchema,
  expiresAt: TimestampSchema,
});
export type JoinSummary = z.infer<typeof JoinSummarySchema>;

export const JoinResponseSchema = z.strictObject({
  summary: JoinSummarySchema,
  /** Single-use, short-lived credential for the assist signaling WebSocket. */
  ticket: z.string(),
  ticketExpiresAt: TimestampSchema,
});
export type JoinResponse = z.infer<typeof JoinResponseSchema>;
