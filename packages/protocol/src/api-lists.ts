import { z } from 'zod';
import { AgentDeviceSchema, OutboxMailSchema, QueueSchema, UserSchema } from './accounts.ts';
import { ApiTokenSchema } from './helpdesk.ts';
import { WebhookSchema } from './webhooks.ts';

// The REST answers that wrap a list, named so that the API document and the clients generated from
// it get one type each (an organisation's lists are small: at most a few hundred rows).

export const UserListSchema = z.strictObject({ items: z.array(UserSchema) });
export const QueueListSchema = z.strictObject({ items: z.array(QueueSchema) });
export const AgentDeviceListSchema = z.strictObject({ items: z.array(AgentDeviceSchema) });
/** `GET /api/v1/admin/outbox`: the newest 200 mails of the outbox. */
export const OutboxMailListSchema = z.strictObject({ items: z.array(OutboxMailSchema).max(200) });
export const ApiTokenListSchema = z.strictObject({ items: z.array(ApiTokenSchema) });
export const WebhookListSchema = z.strictObject({ items: z.array(WebhookSchema) });
/** `GET /api/v1/me`: the signed-in user. */
export const MeSchema = z.strictObject({ user: UserSchema });
/** `GET /healthz`. */
export const HealthSchema = z.strictObject({ ok: z.literal(true) });
/** `GET /api/docs`: the OpenAPI 3.1 document of this API. */
export const ApiDocumentSchema = z.looseObject({ openapi: z.string().max(10) });
