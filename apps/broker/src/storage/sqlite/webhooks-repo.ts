import type { WebhookDelivery, WebhookEventType, WebhookSigning } from '@beckon/protocol';
import { randomUUID } from 'node:crypto';
import { immediate, immediateUnsynced, type Db } from './database.ts';
import type { WriteBatcher } from './write-batcher.ts';
import { auditAppender, auditedWriter } from './audit-repo.ts';
import type {
  DueDelivery,
  LastDelivery,
  QueuedWebhookEvent,
  WebhookRecord,
  WebhookStore,
} from '../helpdesk-types.ts';

interface WebhookRow {
  id: string;
  org_id: string;
  url: string;
  events: string;
  description: string | null;
  secret_salt: string;
  active: number;
  signing: WebhookSigning;
  created_at: string;
  updated_at: string;
}

const toWebhook = (r: WebhookRow): WebhookRecord => ({
  id: r.id,
  orgId: r.org_id,
  url: r.url,
  events: JSON.parse(r.events) as WebhookEventType[],
  description: r.description,
  secretSalt: r.secret_salt,
  active: r.active === 1,
  signing: r.signing,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

interface DeliveryRow {
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

const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
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

/**
 * Queues an event (built by domain/webhook-events.ts) as one delivery for every
 * endpoint that asked for its type: of its organisation, or of every one for an
 * event about the broker. Callers run inside the transaction of the event's
 * cause, so a delivery exists exactly when its cause was committed.
 */
export function webhookQueuer(db: Db): (event: QueuedWebhookEvent) => number {
  const subscribers = db.prepare(
    // Paused endpoints too: pausing holds their deliveries until they are resumed, it drops none.
    'SELECT id, org_id, events FROM webhooks WHERE org_id = ? AND deleted_at IS NULL',
  );
  const everyone = db.prepare('SELECT id, org_id, events FROM webhooks WHERE deleted_at IS NULL');
  const insert = db.prepare(
    `INSERT INTO webhook_deliveries (id, event_id, webhook_id, org_id, request_id, chain, event_type, payload,
       created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return (event) => {
    const rows = (event.orgId === null ? everyone.all() : subscribers.all(event.orgId)) as {
      id: string;
      org_id: string;
      events: string;
    }[];
    const targets = rows.filter((w) => (JSON.parse(w.events) as string[]).includes(event.type));
    for (const w of targets) {
      insert.run(
        randomUUID(),
        event.eventId,
        w.id,
        w.org_id,
        event.requestId,
        event.chain,
        event.type,
        event.payload,
        event.occurredAt,
        event.occurredAt,
      );
    }
    return targets.length;
  };
}

/** Outcomes go through the group commit: deliveries finishing together share one disk flush. */
export function sqliteWebhookStore(db: Db, batcher: WriteBatcher): WebhookStore {
  const last = db.prepare(
    `SELECT status, COALESCE(delivered_at, last_attempt_at, created_at) AS at, last_status_code
     FROM webhook_deliveries WHERE webhook_id = ? ORDER BY seq DESC LIMIT 1`,
  );
  const lastOf = (id: string): LastDelivery | null => {
    const r = last.get(id) as
      { status: LastDelivery['status']; at: string; last_status_code: number | null } | undefined;
    return r ? { status: r.status, at: r.at, statusCode: r.last_status_code } : null;
  };
  // Walks one endpoint's due index in order and stops at the limit: no sort over a backlog, however long.
  // One statement in the write transaction, so two brokers cannot both take a head.
  const claim = db.prepare(
    `UPDATE webhook_deliveries SET lease_owner = @owner, lease_until = @until
     WHERE seq IN (
       SELECT d.seq FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
       WHERE d.webhook_id = @webhookId AND d.status = 'pending' AND d.next_attempt_at <= @now
         AND (d.lease_until IS NULL OR d.lease_until <= @now OR d.lease_owner = @owner)
         AND w.active = 1 AND w.deleted_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
                         WHERE e.webhook_id = d.webhook_id AND e.chain = d.chain AND e.status = 'pending'
                           AND e.seq < d.seq)
       ORDER BY d.next_attempt_at, d.seq LIMIT @limit)
     RETURNING seq, id, webhook_id, chain, event_type, payload, attempts, created_at, next_attempt_at`,
  );
  const endpoint = db.prepare('SELECT url, secret_salt, signing FROM webhooks WHERE id = ?');
  const delivered = db.prepare(
    `UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status_code = ?,
       last_error = NULL, last_attempt_at = ?, delivered_at = ?, next_attempt_at = NULL,
       lease_owner = NULL, lease_until = NULL WHERE seq = ? AND status = 'pending'`,
  );
  const retry = db.prepare(
    `UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, last_status_code = ?, last_error = ?,
       last_attempt_at = ?, next_attempt_at = ?, lease_owner = NULL, lease_until = NULL
     WHERE seq = ? AND status = 'pending' AND lease_owner = ?`,
  );
  const release = db.prepare(
    `UPDATE webhook_deliveries SET lease_owner = NULL, lease_until = NULL
     WHERE seq IN (SELECT value FROM json_each(?)) AND lease_owner = ? AND status = 'pending'`,
  );
  const endpoints = db.prepare('SELECT id FROM webhooks WHERE active = 1 AND deleted_at IS NULL').pluck();
  const audited = auditedWriter(db);
  const append = auditAppender(db);
  const queue = webhookQueuer(db);
  return {
    async broadcast(event, audit) {
      return immediate(db, () => {
        if (audit) append(audit);
        return queue(event);
      });
    },
    async create(w, audit) {
      audited(audit, () =>
        db
          .prepare(
            `INSERT INTO webhooks (id, org_id, url, events, description, secret_salt, active, signing, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            w.id,
            w.orgId,
            w.url,
            JSON.stringify(w.events),
            w.description,
            w.secretSalt,
            w.active ? 1 : 0,
            w.signing,
            w.createdAt,
            w.updatedAt,
          ),
      );
    },
    async list(orgId) {
      const rows = db
        .prepare('SELECT * FROM webhooks WHERE org_id = ? AND deleted_at IS NULL ORDER BY created_at, id')
        .all(orgId) as WebhookRow[];
      return rows.map((r) => ({ ...toWebhook(r), lastDelivery: lastOf(r.id) }));
    },
    async get(orgId, id) {
      const row = db
        .prepare('SELECT * FROM webhooks WHERE org_id = ? AND id = ? AND deleted_at IS NULL')
        .get(orgId, id) as WebhookRow | undefined;
      return row ? { ...toWebhook(row), lastDelivery: lastOf(row.id) } : null;
    },
    async update(orgId, id, patch, at, audit) {
      const columns: Record<string, unknown> = {
        url: patch.url,
        events: patch.events === undefined ? undefined : JSON.stringify(patch.events),
        description: patch.description,
        active: patch.active === undefined ? undefined : patch.active ? 1 : 0,
        secret_salt: patch.secretSalt,
        signing: patch.signing,
      };
      const changed = Object.entries(columns).filter(([, v]) => v !== undefined);
      const sets = [...changed.map(([c]) => `${c} = ?`), 'updated_at = ?'];
      return immediate(db, () => {
        const result = db
          .prepare(
            `UPDATE webhooks SET ${sets.join(', ')} WHERE org_id = ? AND id = ? AND deleted_at IS NULL`,
          )
          .run(...changed.map(([, v]) => v), at, orgId, id);
        if (result.changes > 0 && audit) append(audit);
        return result.changes > 0;
      });
    },
    async remove(orgId, id, at, audit) {
      return immediate(db, () => {
        const result = db
          .prepare(
            'UPDATE webhooks SET deleted_at = ?, active = 0, updated_at = ? WHERE org_id = ? AND id = ? AND deleted_at IS NULL',
          )
          .run(at, at, orgId, id);
        if (result.changes === 0) return false;
        db.prepare(
          `UPDATE webhook_deliveries SET status = 'failed', last_error = 'endpoint removed', next_attempt_at = NULL
           WHERE webhook_id = ? AND status = 'pending'`,
        ).run(id);
        if (audit) append(audit);
        return true;
      });
    },
    async deliveries(orgId, webhookId, status, limit) {
      const rows = db
        .prepare(
          `SELECT * FROM webhook_deliveries WHERE org_id = ? AND webhook_id = ? ${status ? 'AND status = ?' : ''}
           ORDER BY seq DESC LIMIT ?`,
        )
        .all(orgId, webhookId, ...(status ? [status] : []), limit) as DeliveryRow[];
      return rows.map(toDelivery);
    },
    async redeliver(orgId, webhookId, deliveryId, at) {
      const result = db
        .prepare(
          `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?
           WHERE org_id = ? AND webhook_id = ? AND id = ? AND status = 'failed'`,
        )
        .run(at, orgId, webhookId, deliveryId);
      return result.changes > 0;
    },
    async activeEndpoints() {
      return endpoints.all() as string[];
    },
    async claim(webhookId, owner, now, until, limit) {
      // A claim need not wait for the disk (see immediateUnsynced): a send per claim would double the flushes.
      return immediateUnsynced(db, () => {
        const rows = claim.all({ webhookId, owner, now, until, limit }) as (Pick<
          DeliveryRow,
          'seq' | 'id' | 'webhook_id' | 'chain' | 'event_type' | 'payload' | 'attempts' | 'created_at'
        > & { next_attempt_at: string })[];
        if (rows.length === 0) return [];
        const w = endpoint.get(webhookId) as { url: string; secret_salt: string; signing: WebhookSigning };
        // RETURNING follows no ORDER BY: longest due first again.
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
      });
    },
    async nextDueAt() {
      // Only chain heads of endpoints that may be sent to: a delivery waiting behind its
      // chain's head, or for a paused endpoint, is not worth waking up for.
      const row = db
        .prepare(
          `SELECT MIN(d.next_attempt_at) AS at FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
           WHERE d.status = 'pending' AND w.active = 1 AND w.deleted_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
                             WHERE e.webhook_id = d.webhook_id AND e.chain = d.chain AND e.status = 'pending'
                               AND e.seq < d.seq)`,
        )
        .get() as { at: string | null };
      return row.at;
    },
    async markDelivered(seq, at, statusCode) {
      return batcher.run(() => delivered.run(statusCode, at, at, seq).changes > 0);
    },
    async markRetry(seq, owner, r) {
      return batcher.run(
        () =>
          retry.run(
            r.failed ? 'failed' : 'pending',
            r.statusCode,
            r.error.slice(0, 500),
            r.at,
            r.failed ? null : r.nextAttemptAt,
            seq,
            owner,
          ).changes > 0,
      );
    },
    async release(seqs, owner) {
      if (seqs.length === 0) return 0;
      return batcher.run(() => release.run(JSON.stringify(seqs), owner).changes);
    },
  };
}
