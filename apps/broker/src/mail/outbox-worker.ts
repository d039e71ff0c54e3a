import type { NodemailerError, Transporter } from 'nodemailer';
import type { OutboxRecord, OutboxStore } from '../storage/types.ts';
import {
  leaseHolds,
  leaseOwnerId,
  leaseUntil,
  MAIL_BATCH,
  MAIL_LEASE_MS,
  MAIL_SEND_BOUND_MS,
} from '../domain/worker-leases.ts';
import { headerSafe, MailInputError } from './escape.ts';

export interface MailLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface OutboxWorkerOptions {
  store: OutboxStore;
  /** null when no SMTP server is configured: the worker then idles and mails wait in the outbox. */
  transport: Transporter | null;
  /** The no-reply sender, e.g. `Beckon <no-reply@support.example>`. */
  from: string;
  logger: MailLogger;
  pollMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  now?: () => Date;
  /** Who this worker is in the mails' leases (domain/worker-leases.ts); one of its own by default. */
  owner?: string;
  /** How long a claimed batch stays this worker's. */
  leaseMs?: number;
}

export interface OutboxWorker {
  /** Runs a pass as soon as possible, e.g. right after a mail was queued. */
  kick(): void;
  /** Stops polling and resolves once the pass in flight (if any) has finished. */
  stop(): Promise<void>;
}

/**
 * How a send failed:
 * - `permanent`: retrying the same mail gets the same answer (5xx reply, bad content) → failed.
 * - `mail`: a temporary refusal of this mail (4xx) → retry it later, carry on with the others.
 * - `server`: the server or our setup is at fault (unreachable, timeout, auth, TLS, sender
 *   refused) → retry later. Not the mail's fault, so it never fails a mail for good, and the
 *   rest of the batch waits too instead of hammering a dead server.
 */
export type FailureKind = 'permanent' | 'mail' | 'server';

const SERVER_CODES = new Set([
  'ECONNECTION',
  'ESOCKET',
  'ETIMEDOUT',
  'EDNS',
  'ETLS',
  'EPROXY',
  'EAUTH',
  'ENOAUTH',
  'EOAUTH2',
  'ECONFIG',
]);

export function classifyFailure(err: unknown): FailureKind {
  if (err instanceof MailInputError) return 'permanent';
  const e = (typeof err === 'object' && err !== null ? err : {}) as NodemailerError;
  // 421: the server is shutting the channel; a rejected MAIL FROM is about our sender, not this mail.
  if ((e.code && SERVER_CODES.has(e.code)) || e.responseCode === 421) return 'server';
  if (e.responseCode !== undefined && e.command === 'MAIL FROM') return 'server';
  if (e.responseCode !== undefined) {
    const permanent =
      e.permanent ?? (e.responseCode >= 500 && e.responseCode < 600 && e.responseCode !== 503);
    return permanent ? 'permanent' : 'mail';
  }
  // Envelope errors without a server reply are nodemailer refusing the address itself.
  if (e.code === 'EENVELOPE' || e.code === 'EMAXRECIPIENTS') return 'permanent';
  return 'mail';
}

/** `<beckon-outbox-7.<org>@domain>`: the same id on every retry, so a duplicate delivery is recognisable. */
export function outboxMessageId(mail: Pick<OutboxRecord, 'id' | 'orgId'>, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'beckon.invalid';
  const org = mail.orgId.replace(/[^A-Za-z0-9-]/g, '');
  return `<beckon-outbox-${mail.id}.${org}@${domain}>`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function startOutboxWorker(opts: OutboxWorkerOptions): OutboxWorker {
  const { store, transport, logger } = opts;
  const from = headerSafe(opts.from, 'from');
  const pollMs = opts.pollMs ?? 1000;
  const backoffBaseMs = opts.backoffBaseMs ?? 5000;
  const backoffMaxMs = opts.backoffMaxMs ?? 15 * 60_000;
  const now = opts.now ?? (() => new Date());
  const owner = opts.owner ?? leaseOwnerId('mail');
  const leaseMs = opts.leaseMs ?? MAIL_LEASE_MS;

  if (!transport) {
    logger.warn({}, 'no SMTP server configured: mails stay in the outbox');
    return { kick() {}, stop: async () => {} };
  }
  const smtp = transport;

  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> | null = null;
  let kicked = false;
  // Mails the server accepted but whose markSent failed: they are still "pending" in the
  // store, so this worker must only record them, never send them again.
  const sentUnrecorded = new Map<number, string>();
  // Until the server has answered (at start, and again after it failed), a pass claims one mail,
  // not a batch: a broker killed in the middle of a pass then holds at most that one for the lease.
  let probing = true;

  function schedule(delayMs: number) {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, delayMs);
    // The worker alone must not keep the process alive (shutdown, tests).
    timer.unref();
  }

  // Passes never overlap: a kick during a pass only asks for another pass after it.
  function run() {
    timer = null;
    if (stopped) return;
    if (inFlight) {
      kicked = true;
      return;
    }
    inFlight = pass()
      .catch((err: unknown) => {
        logger.error({ err: errorText(err) }, 'outbox pass failed');
        return false;
      })
      .then((serverDown) => {
        inFlight = null;
        const again = kicked;
        kicked = false;
        // After a server-level failure, give the server the base backoff before the next mail.
        schedule(again ? 0 : serverDown ? Math.max(pollMs, backoffBaseMs) : pollMs);
      });
  }

  /**
   * One batch, oldest first, claimed for this worker: another broker's worker
   * never gets the same mails. Resolves true if it stopped early because the
   * server is unreachable. Mails it did not try go back (`release`); a broker
   * killed in the middle of a pass leaves its batch to the others once the lease has run out.
   */
  async function pass(): Promise<boolean> {
    const claimedAt = now();
    const until = leaseUntil(claimedAt, leaseMs);
    const limit = probing ? 1 : MAIL_BATCH;
    const batch = await store.claim(owner, claimedAt.toISOString(), until, limit);
    let tried = 0;
    try {
      for (const mail of batch) {
        // A send must end inside the lease, or another broker could take the mail meanwhile.
        if (stopped || !leaseHolds(until, now(), Math.min(MAIL_SEND_BOUND_MS, leaseMs / 2))) break;
        const outcome = await deliver(mail);
        tried++;
        probing = outcome === 'server';
        if (probing) return true;
      }
      // The probe went through and more may be waiting: the next pass, a whole batch, at once.
      if (limit === 1 && batch.length === 1 && !probing) kicked = true;
      return false;
    } finally {
      await release(batch.slice(tried));
    }
  }

  /**
   * Gives back the mails of a batch this pass did not try (the server is down,
   * the worker is stopping, the lease is near its end), so that a broker that
   * is stopped or killed before its next pass does not hold them for the rest
   * of the lease. A mail the server took but the store did not record stays
   * this worker's: another broker would send it again.
   */
  async function release(rest: OutboxRecord[]) {
    const ids = rest.filter((m) => !sentUnrecorded.has(m.id)).map((m) => m.id);
    if (ids.length === 0) return;
    try {
      await store.release(ids, owner);
    } catch (err) {
      // They stay leased to this worker: it claims them again next pass, another broker after the lease.
      logger.error({ err: errorText(err), count: ids.length }, 'releasing unsent mails failed');
    }
  }

  async function deliver(mail: OutboxRecord): Promise<FailureKind | 'sent'> {
    const ctx = { outboxId: mail.id, requestId: mail.requestId, kind: mail.kind, attempt: mail.attempts + 1 };
    const already = sentUnrecorded.get(mail.id);
    if (already !== undefined) {
      await recordSent(mail.id, already, ctx);
      return 'sent';
    }
    try {
      await smtp.sendMail({
        from,
        to: headerSafe(mail.to, 'to'),
        subject: headerSafe(mail.subject, 'subject'),
        html: mail.html,
        text: mail.text,
        messageId: outboxMessageId(mail, from),
        // RFC 3834: a machine wrote this, so autoresponders (out of office, vacation) stay quiet.
        headers: { 'X-Beckon-Outbox-Id': String(mail.id), 'Auto-Submitted': 'auto-generated' },
      });
    } catch (err) {
      const kind = classifyFailure(err);
      await recordFailure(mail, err, kind, ctx);
      return kind;
    }
    await recordSent(mail.id, now().toISOString(), ctx);
    return 'sent';
  }

  async function recordSent(id: number, at: string, ctx: object) {
    try {
      await store.markSent(id, at);
      sentUnrecorded.delete(id);
      logger.info(ctx, 'mail sent');
    } catch (err) {
      sentUnrecorded.set(id, at);
      logger.error({ ...ctx, err: errorText(err) }, 'mail sent, but recording it failed; will record again');
    }
  }

  async function recordFailure(mail: OutboxRecord, err: unknown, kind: FailureKind, ctx: object) {
    const failed = kind === 'permanent';
    const delay = Math.min(backoffBaseMs * 2 ** mail.attempts, backoffMaxMs);
    const nextAttemptAt = new Date(now().getTime() + delay).toISOString();
    const error = errorText(err);
    try {
      if (!(await store.markRetry(mail.id, owner, error, nextAttemptAt, failed))) {
        // The lease ran out and another worker holds the mail now: its attempt counts.
        logger.warn({ ...ctx, err: error }, 'mail failed, but its lease had passed to another worker');
        return;
      }
    } catch (storeErr) {
      // Still pending and unsent in the store, so the next pass simply tries again.
      logger.error({ ...ctx, err: errorText(storeErr) }, 'recording a mail failure failed');
      return;
    }
    if (failed) logger.error({ ...ctx, err: error }, 'mail failed permanently');
    else logger.warn({ ...ctx, err: error, kind, nextAttemptAt }, 'mail will be retried');
  }

  schedule(0);
  return {
    kick() {
      if (stopped) return;
      if (inFlight) kicked = true;
      else schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await inFlight;
    },
  };
}
