import { randomUUID } from 'node:crypto';
import { immediate, immediateUnsynced, type Db } from './database.ts';
import type { WriteBatcher } from './write-batcher.ts';
import { auditAppender, auditedWriter } from './audit-repo.ts';
import type { LastDelivery, QueuedWebhookEvent, WebhookStore } from '../helpdesk-types.ts';
import {
  dueDeliveries,
  toDelivery,
  toLastDelivery,
  toWebhook,
  type ClaimedRow,
  type DeliveryRow,
  type EndpointRow,
  type LastDeliveryRow,
  type WebhookRow,
} from '../webhook-rows.ts';

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
  const lastOf = (id: string): LastDelivery | null =>
    toLastDelivery(last.get(id) as LastDeliveryRow | undefined);
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
        const rows = claim.all({ webhookId, owner, now, until, limit }) as ClaimedRow[];
        if (rows.length === 0) return [];
        const w = endpoint.get(webhookId) as EndpointRow;
        return dueDeliveries(rows, w);
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
