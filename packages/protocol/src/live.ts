import { z } from 'zod';
import { PROTOCOL_VERSION } from './version.ts';
import { HostSummarySchema } from './hosts.ts';
import { IdSchema } from './common.ts';
import { SessionRequestSummarySchema } from './session-request.ts';

/**
 * The agents' live channel (`/api/v1/live`, WebSocket): the broker pushes
 * changes to the requests an agent may see, so lists update without polling.
 * It is one-way; the only client frame is a ping for liveness.
 */
export const LIVE_MAX_FRAME_BYTES = 4 * 1024;

export const LiveServerMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('hello'), v: z.literal(PROTOCOL_VERSION), userId: z.string() }),
  z.strictObject({
    type: z.literal('request_changed'),
    change: z.enum(['created', 'updated', 'status']),
    request: SessionRequestSummarySchema,
  }),
  z.strictObject({ type: z.literal('pong'), t: z.number() }),
  /** A managed host came online, went offline, or was renamed, tagged or moved. */
  z.strictObject({ type: z.literal('host_changed'), host: HostSummarySchema }),
  /** A managed host was deleted (its key revoked). */
  z.strictObject({ type: z.literal('host_removed'), hostId: IdSchema }),
]);
export type LiveServerMessage = z.infer<typeof LiveServerMessageSchema>;

export const LiveClientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ping'), t: z.number() }),
]);
export type LiveClientMessage = z.infer<typeof LiveClientMessageSchema>;
