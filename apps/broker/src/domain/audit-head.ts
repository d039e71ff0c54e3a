import { WebhookEventType } from '@beckon/protocol';
import type { Storage } from '../storage/types.ts';
import { brokerEvent } from './webhook-events.ts';

/**
 * Sends the audit log's head (newest seq and hash) to every `audit.head`
 * webhook on a timer (hourly by default), signed like every delivery. A
 * receiver that keeps the heads can later run `audit verify --head` against
 * the newest one: entries cut off the end of the log are then caught.
 */
export function startAuditHeadAnnouncer(deps: {
  storage: Storage;
  intervalMs: number;
  now: () => Date;
  /** Told when deliveries were queued (the worker sends them at once). */
  onQueued: () => void;
  log: { warn(obj: object, msg: string): void };
}): { stop(): void; announce(): Promise<number> } {
  const announce = async () => {
    const head = await deps.storage.audit.head();
    const n = await deps.storage.webhooks.broadcast(
      brokerEvent({ type: WebhookEventType.AUDIT_HEAD, occurredAt: deps.now().toISOString(), data: head }),
    );
    if (n > 0) deps.onQueued();
    return n;
  };
  const timer = setInterval(() => {
    announce().catch((err: unknown) => deps.log.warn({ err }, 'audit head announcement failed'));
  }, deps.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), announce };
}
