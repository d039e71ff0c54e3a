import type { WebhookDelivery, WebhookEventType, WebhookSigning } from '@beckon/protocol';
import type { DueDelivery, LastDelivery, WebhookRecord } from './helpdesk-types.ts';
import { isSet, type FlagColumn } from './flag-column.ts';

// The webhooks and webhook_deliveries rows as both backends read them (the
// same columns; `active` is a flag, 0/1 or boolean) and what they make: one
// mapping, no SQL.

export interface WebhookRow {
  id: string;
  org_id: string;
  url: string;
  events: string;
  description: string | null;
  secret_salt: string;
  active: FlagColumn;
  signing: WebhookSigning;
  created_at: string;
  updated_at: string;
}

export const toWebhook = (r: WebhookRow): WebhookRecord => ({
  id: r.id,
  orgId: r.org_id,
  url: r.url,
  events: JSON.parse(r.events) as WebhookEventType[],
  description: r.description,
  secretSalt: r.secret_salt,
  active: isSet(r.active),
  signing: r.signing,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface DeliveryRow {
  seq: number;
  id: string;
  event_id: string;
  webhook_id: string;
  org_id: string;
  request_id: string | null;
  chain: string;
  event_type: WebhookEventType;
  payload: string;
  status: WebhookDelivery['status'];
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  last_attempt_at: string | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
}

export const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
  id: r.id,
  eventId: r.event_id,
  webhookId: r.webhook_id,
  event: r.event_type,
  requestId: r.request_id,
  status: r.status,
  attempts: r.attempts,
  lastStatusCode: r.last_status_code,
  lastError: r.last_error,
  createdAt: r.created_at,
  lastAttemptAt: r.last_attempt_at,
  nextAttemptAt: r.next_attempt_at,
  deliveredAt: r.delivered_at,
});

/** An endpoint's last delivery, as its list and page show it. */
export interface LastDeliveryRow {
  status: LastDelivery['status'];
  at: string;
  last_status_code: number | null;
}

export const toLastDelivery = (r: LastDeliveryRow | undefined): LastDelivery | null =>
  r ? { status: r.status, at: r.at, statusCode: r.last_status_code } : null;

/** A delivery as a claim returns it, and the endpoint it goes to. */
export type ClaimedRow = Pick<
  DeliveryRow,
  'seq' | 'id' | 'webhook_id' | 'chain' | 'event_type' | 'payload' | 'attempts' | 'created_at'
> & { next_attempt_at: string };

export interface EndpointRow {
  url: string;
  secret_salt: string;
  signing: WebhookSigning;
}

/** A claim's rows as due deliveries, longest due first: RETURNING follows no ORDER BY. */
export function dueDeliveries(rows: ClaimedRow[], w: EndpointRow): DueDelivery[] {
  rows.sort((a, b) => a.next_attempt_at.localeCompare(b.next_attempt_at) || a.seq - b.seq);
  return rows.map((r): DueDelivery => ({
    seq: r.seq,
    id: r.id,
    webhookId: r.webhook_id,
    chain: r.chain,
    url: w.url,
    secretSalt: w.secret_salt,
    signing: w.signing,
    eventType: r.event_type,
    payload: r.payload,
    attempts: r.attempts,
    createdAt: r.created_at,
  }));
}
