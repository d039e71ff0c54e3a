import {
  STANDARD_WEBHOOK_ID_HEADER,
  STANDARD_WEBHOOK_SIGNATURE_HEADER,
  STANDARD_WEBHOOK_TIMESTAMP_HEADER,
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_EVENT_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
} from '@beckon/protocol';
import type { DueDelivery, WebhookStore } from '../storage/helpdesk-types.ts';
import { leaseOwnerId, leaseUntil, webhookLeaseMs } from '../domain/worker-leases.ts';
import { postPinned, type PostLimits } from './http-post.ts';
import { signatureHeader, standardSignature } from './signature.ts';
import { resolveWebhookTarget, type Allowlist, type Resolver } from './url-guard.ts';

export interface WebhookLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface WebhookWorkerOptions {
  store: WebhookStore;
  allowlist: Allowlist;
  /** The endpoint's signing secret. */
  secretOf: (d: DueDelivery) => string;
  logger: WebhookLogger;
  limits: PostLimits;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A delivery still failing this long after its event is given up (failed). */
  maxAgeMs: number;
  pollMs?: number;
  /** Deliveries in flight at once, in all. */
  concurrency?: number;
  /** …and to one endpoint, so a slow or dead receiver cannot hold up the others. */
  perEndpoint?: number;
  resolve?: Resolver;
  now?: () => Date;
  /** Who this worker is in the deliveries' leases (domain/worker-leases.ts); one of its own by default. */
  owner?: string;
  /** How long a claimed delivery stays this worker's; by default `webhookLeaseMs` of the timeout. */
  leaseMs?: number;
}

export interface WebhookWorker {
  /** Looks for due deliveries at once, e.g. right after an event was committed. */
  kick(): void;
  /** Stops and waits for the deliveries in flight. */
  stop(): Promise<void>;
}

const USER_AGENT = 'Beckon-Webhooks/1';

/**
 * Sends the durable delivery queue. Every chain (one endpoint, one case) has
 * at most one delivery in flight and only its oldest pending one is ever
 * sent, so a case's events arrive in the order they happened, while different
 * chains go out side by side, a bounded number per endpoint. Failures are
 * retried with exponential backoff; a restart simply resumes from the table.
 * At least once: a receiver de-duplicates by the `Beckon-Delivery` id.
 * Brokers sharing a database each claim the heads they send (a lease), so a
 * delivery goes out from one broker; a broker that dies mid-send leaves its
 * heads to the others once their leases have run out, with the same id.
 */
export function startWebhookWorker(opts: WebhookWorkerOptions): WebhookWorker {
  const { store, logger } = opts;
  const pollMs = opts.pollMs ?? 1000;
  const concurrency = opts.concurrency ?? 64;
  const perEndpoint = opts.perEndpoint ?? 16;
  const now = opts.now ?? (() => new Date());
  const owner = opts.owner ?? leaseOwnerId('webhooks');
  const leaseMs = opts.leaseMs ?? webhookLeaseMs(opts.limits.timeoutMs);
  /** Chain key (endpoint|case) → the delivery in flight. */
  const inFlight = new Map<string, Promise<void>>();
  // The deliveries being sent, by seq: a claim's page may be read while one is
  // still in flight and handed back after it ended, so it must not start again.
  const sending = new Set<number>();
  const busy = new Map<string, number>();
  let stopped = false;
  let looking = false;
  /** What the next look covers: every endpoint, or just those that freed a slot. */
  let wanted: 'all' | Set<string> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let timerAt = 0;

  function want(scope: 'all' | string) {
    if (scope === 'all') wanted = 'all';
    else if (wanted !== 'all') {
      wanted ??= new Set();
      wanted.add(scope);
    }
    if (!looking && !stopped) void pump();
  }

  /** Wakes for a full look after `ms`. With `sooner`, only ever brings the wake-up forward. */
  function sleep(ms: number, sooner = false) {
    if (stopped) return;
    const at = Date.now() + Math.max(0, ms);
    if (sooner && timer && timerAt <= at) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timer = null;
      want('all');
    }, at - Date.now());
    // The worker alone must not keep the process alive.
    timer.unref();
  }

  /** Looks until nothing more is wanted; never two looks at once. */
  async function pump() {
    looking = true;
    try {
      while (wanted && !stopped) {
        const scope = wanted;
        wanted = null;
        const endpoints = scope === 'all' ? await store.activeEndpoints() : [...scope];
        for (const w of endpoints) await look(w);
        if (scope === 'all') await rest();
      }
    } catch (err) {
      logger.error({ err: String(err) }, 'webhook pass failed');
      sleep(pollMs);
    } finally {
      looking = false;
    }
  }

  /** After a full look: sleep until the next retry falls due, or the poll. Completions and kicks wake it sooner. */
  async function rest() {
    const next = await store.nextDueAt();
    const wait = next ? Date.parse(next) - now().getTime() : pollMs;
    sleep(wait > 0 ? Math.min(pollMs, wait) : pollMs);
  }

  /**
   * Starts an endpoint's due deliveries up to its share. Afterwards the
   * endpoint is either full or has nothing more due: its in-flight heads are
   * at most `mine` of the page, so a full page starts all `free`.
   */
  async function look(webhookId: string): Promise<void> {
    const mine = busy.get(webhookId) ?? 0;
    const free = Math.min(perEndpoint - mine, concurrency - inFlight.size);
    if (free <= 0) return;
    // In-flight heads are still pending (and ours: claimed again, their lease renewed), so ask for enough to see past them.
    const limit = free + mine;
    const at = now();
    const wasSending = new Set(sending);
    const heads = await store.claim(webhookId, owner, at.toISOString(), leaseUntil(at, leaseMs), limit);
    let started = 0;
    const unstarted: number[] = [];
    for (const d of heads) {
      const chain = `${d.webhookId}|${d.chain}`;
      // Sent (or rescheduled) while the claim was read: the row is stale, the next look sees it anew.
      if (wasSending.has(d.seq) || sending.has(d.seq)) continue;
      if (started >= free || stopped || inFlight.has(chain)) {
        unstarted.push(d.seq);
        continue;
      }
      started++;
      sending.add(d.seq);
      busy.set(webhookId, (busy.get(webhookId) ?? 0) + 1);
      inFlight.set(
        chain,
        deliver(d).finally(() => {
          inFlight.delete(chain);
          sending.delete(d.seq);
          const left = (busy.get(webhookId) ?? 1) - 1;
          if (left > 0) busy.set(webhookId, left);
          else busy.delete(webhookId);
          // This endpoint has room again; if every slot was taken, the others may be waiting too.
          want(inFlight.size + 1 >= concurrency ? 'all' : webhookId);
        }),
      );
    }
    await release(unstarted);
  }

  /**
   * Gives back the heads a look claimed but did not start (the endpoint's share
   * is taken, the worker is stopping), so that a broker stopped or killed
   * before its next look does not hold them for the rest of the lease. Never
   * one in flight: another broker would send it alongside.
   */
  async function release(seqs: number[]) {
    if (seqs.length === 0) return;
    try {
      await store.release(seqs, owner);
    } catch (err) {
      // They stay leased to this worker: its next look claims them again, another broker's after the lease.
      logger.error({ err: String(err), count: seqs.length }, 'releasing unstarted webhook deliveries failed');
    }
  }

  async function deliver(d: DueDelivery): Promise<void> {
    const ctx = { deliveryId: d.id, webhookId: d.webhookId, event: d.eventType, attempt: d.attempts + 1 };
    let status: number | null = null;
    let error: string | null = null;
    try {
      // Checked again at every attempt: DNS may have changed since the endpoint was registered.
      const target = await resolveWebhookTarget(d.url, opts.allowlist, opts.resolve);
      const t = Math.floor(now().getTime() / 1000);
      const secret = opts.secretOf(d);
      // Standard Webhooks always; Stripe-style too unless the endpoint chose
      // Standard Webhooks only. One key, one timestamp.
      const res = await postPinned(
        target,
        {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          ...(d.signing === 'both' && { [WEBHOOK_SIGNATURE_HEADER]: signatureHeader(secret, d.payload, t) }),
          [WEBHOOK_DELIVERY_HEADER]: d.id,
          [WEBHOOK_EVENT_HEADER]: d.eventType,
          [STANDARD_WEBHOOK_ID_HEADER]: d.id,
          [STANDARD_WEBHOOK_TIMESTAMP_HEADER]: String(t),
          [STANDARD_WEBHOOK_SIGNATURE_HEADER]: standardSignature(secret, d.id, d.payload, t),
        },
        d.payload,
        opts.limits,
      );
      status = res.status;
      if (status < 200 || status >= 300)
        error = status >= 300 && status < 400 ? `redirect ${status} not followed` : `HTTP ${status}`;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const at = now();
    try {
      if (error === null && status !== null) {
        await store.markDelivered(d.seq, at.toISOString(), status);
        return;
      }
      const failed = at.getTime() - Date.parse(d.createdAt) >= opts.maxAgeMs;
      const delay = Math.min(opts.backoffBaseMs * 2 ** Math.min(d.attempts, 30), opts.backoffMaxMs);
      const nextAttemptAt = new Date(at.getTime() + delay).toISOString();
      const mine = await store.markRetry(d.seq, owner, {
        at: at.toISOString(),
        statusCode: status,
        error: error ?? 'unknown error',
        nextAttemptAt,
        failed,
      });
      // The lease ran out and another worker holds the delivery now: its attempt counts.
      if (!mine) logger.warn({ ...ctx, err: error }, 'webhook delivery failed, but its lease had passed on');
      else if (failed) logger.error({ ...ctx, err: error }, 'webhook delivery failed for good');
      else {
        logger.warn({ ...ctx, err: error, nextAttemptAt }, 'webhook delivery will be retried');
        sleep(delay, true);
      }
    } catch (err) {
      // Still pending in the table: the next look sends it again (at least once).
      logger.error({ ...ctx, err: String(err) }, 'recording a webhook delivery failed');
    }
  }

  want('all');
  return {
    kick() {
      if (!stopped) want('all');
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await Promise.all(inFlight.values());
    },
  };
}
