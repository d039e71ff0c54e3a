import type { AdhocEvent } from '@beckon/protocol';
import type { AdhocAnnouncer, AdhocRecord } from '../storage/adhoc-types.ts';
import { queuedEvent } from './webhook-events.ts';

/** What a webhook says about the session: never its code, password or link. */
const refOf = (r: AdhocRecord) => ({
  id: r.id,
  status: r.status,
  providerId: r.providerId,
  userName: r.userName,
  hostId: r.hostId,
  expiresAt: r.expiresAt,
});

/**
 * Every record of an ad-hoc session is also an adhoc.* event, on the session's
 * own delivery chain; the store queues it in the record's transaction, with
 * the session as that transaction left it.
 */
export const adhocWebhook: AdhocAnnouncer = (r: AdhocRecord, e: AdhocEvent) => {
  const base = { occurredAt: e.at, adhoc: refOf(r) };
  const chain = `adhoc:${r.id}`;
  switch (e.kind) {
    case 'created':
      return queuedEvent(r.orgId, null, { ...base, type: 'adhoc.created', data: {} }, chain);
    case 'activated':
      return queuedEvent(
        r.orgId,
        null,
        { ...base, type: 'adhoc.activated', data: { hostName: e.detail ?? '' } },
        chain,
      );
    case 'connection':
      return queuedEvent(
        r.orgId,
        null,
        { ...base, type: 'adhoc.connection', data: { userId: e.actorId ?? '' } },
        chain,
      );
    case 'ended':
      return queuedEvent(
        r.orgId,
        null,
        { ...base, type: 'adhoc.ended', data: { reason: r.endReason ?? 'expired' } },
        chain,
      );
    case 'removed':
      return queuedEvent(r.orgId, null, { ...base, type: 'adhoc.removed', data: {} }, chain);
  }
};
