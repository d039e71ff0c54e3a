import type { CaseTicket, WebhookCaseRef, WebhookEvent } from '@beckon/protocol';
import { randomUUID } from 'node:crypto';
import type { BrokerWebhookEvent, QueuedWebhookEvent } from '../storage/helpdesk-types.ts';
import type { RequestRecord } from '../storage/types.ts';
import type { GrantWebhook } from '../storage/grant-types.ts';

/** An event before it has its id (distributes over the union, unlike a bare Omit). */
export type UnnumberedEvent = WebhookEvent extends infer E
  ? E extends unknown
    ? Omit<E, 'id'>
    : never
  : never;

/**
 * Gives an event its id and body, for the store to queue in the transaction of
 * its cause. One body for every endpoint: the event's id is shared by all its
 * deliveries, each delivery's id is its own (the store draws it per endpoint).
 * `chain` orders deliveries: a case's by its request, an ad-hoc session's by its own id.
 */
export function queuedEvent(
  orgId: string,
  requestId: string | null,
  event: UnnumberedEvent | GrantWebhook,
  chain: string = requestId ?? '',
): QueuedWebhookEvent {
  const eventId = randomUUID();
  return {
    orgId,
    requestId,
    chain,
    eventId,
    type: event.type,
    occurredAt: event.occurredAt,
    payload: JSON.stringify({ id: eventId, ...event }),
  };
}

/** An event about the broker itself (no case): queued for every organisation's subscribed endpoints. */
export function brokerEvent(event: BrokerWebhookEvent): QueuedWebhookEvent {
  const eventId = randomUUID();
  return {
    orgId: null,
    requestId: null,
    chain: '',
    eventId,
    type: event.type,
    occurredAt: event.occurredAt,
    payload: JSON.stringify({ id: eventId, ...event }),
  };
}

/** The case as a webhook names it: never its code or links. */
export const caseRef = (r: RequestRecord): WebhookCaseRef => ({
  id: r.id,
  status: r.status,
  ticket: r.ticket as CaseTicket,
  recipientName: r.recipientName,
});

/** `case.created`, queued with the case itself. */
export const caseCreated = (record: RequestRecord): QueuedWebhookEvent =>
  queuedEvent(record.orgId, record.id, {
    type: 'case.created',
    occurredAt: record.createdAt,
    case: caseRef(record),
    data: { expiresAt: record.expiresAt, createdBy: record.createdBy.name },
  });
