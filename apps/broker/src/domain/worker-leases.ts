import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * The lease rules of the workers that must run once across brokers sharing a
 * database (the mail outbox, webhook deliveries, the expiry sweep). A worker
 * claims due rows for itself until `now + lease`; it finishes each by marking
 * it sent or to be retried, which ends the lease. A broker killed mid-send
 * never finishes: once its lease has run out another broker claims the row.
 * So a row is sent twice only where the first send's outcome was never
 * recorded (the process died between the send and the mark): the one case
 * where SMTP or the receiver itself was ambiguous, and the mail's Message-ID
 * and the delivery's id stay the same, so the receiver can tell.
 */

/** Who holds a lease: one id per worker per process, never reused. */
export function leaseOwnerId(worker: string): string {
  return `${worker}:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** When a lease taken at `now` runs out. */
export const leaseUntil = (now: Date, leaseMs: number): string =>
  new Date(now.getTime() + leaseMs).toISOString();

/**
 * Mails: a pass claims `MAIL_BATCH` and sends them one after another, each
 * bounded by the SMTP transport's timeouts (mail/transport.ts: 5 s to connect,
 * 5 s for the greeting, 10 s of silence). The lease covers the batch many
 * times over; a worker still stops sending from a batch whose lease is within
 * `MAIL_SEND_BOUND_MS` of its end, so it never sends on a lease run out.
 */
export const MAIL_BATCH = 20;
export const MAIL_LEASE_MS = 10 * 60_000;
export const MAIL_SEND_BOUND_MS = 60_000;

/**
 * Webhook deliveries: one POST each, bounded by the receiver timeout; the
 * lease adds room for the DNS check and recording the outcome.
 */
export const webhookLeaseMs = (timeoutMs: number): number => 2 * timeoutMs + 60_000;

/**
 * The expiry sweep runs on one broker at a time: the holder renews its named
 * lease at every sweep; if it dies, another takes over once the lease has run
 * out. Expiring is a state-machine transition, so a sweep run twice would
 * only find the second transition refused: the lease saves the work.
 */
export const SWEEP_LEASE = 'expiry-sweeper';
export const sweepLeaseMs = (sweepMs: number): number => 3 * sweepMs + 30_000;

/** Whether a send started now would still end inside the lease. */
export const leaseHolds = (until: string, now: Date, boundMs: number): boolean =>
  Date.parse(until) - now.getTime() > boundMs;
