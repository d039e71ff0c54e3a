import { randomUUID } from 'node:crypto';
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
import { appendAudit, auditedWriter } from './audit-repo.ts';
import type { PgDb, Sql } from './pool.ts';

/**
 * Queues an event (built by domain/webhook-events.ts) as one delivery for every
 * endpoint that asked for its type, of its organisation or, for an event about
 * the broker (no organisation), of every one, in one statement. Callers pass the transaction of the event's cause, so a
 * delivery exists exactly when its cause was committed. Paused endpoints too:
 * pausing holds their deliveries until they are resumed, it drops none.
 */
export async function queueWebhook(sql: Sql, e: QueuedWebhookEvent): Promise<number> {
  const rows = await sql.rows<{ id: string; org_id: string }>(
    `SELECT id, org_id FROM webhooks
     WHERE deleted_at IS NULL AND ($1::text IS NULL OR org_id = $1) AND events::jsonb ? $2`,
    [e.orgId, e.type],
  );
  if (rows.length === 0) return 0;
  await sql.run(
    `INSERT INTO webhook_deliveries (id, event_id, webhook_id, org_id, request_id, chain, event_type, payload,
       created_at, next_attempt_at)
     SELECT d.id, $3, d.webhook_id, d.org_id, $4, $5, $6, $7, $8, $8
     FROM unnest($1::text[], $2::text[], $9::text[]) AS d(id, webhook_id, org_id)`,
    [
      rows.map(() => randomUUID()),
      rows.map((r) => r.id),
      e.eventId,
      e.requestId,
      e.chain,
      e.type,
      e.payload,
      e.occurredAt,
      rows.map((r) => r.org_id),
    ],
  );
  return rows.length;
}

/** Only chain heads: a delivery waits while an older one of its endpoint and chain is pending. */
const CHAIN_HEAD = `NOT EXISTS (SELECT 1 FROM webhook_deliveries e
  WHERE e.webhook_id = d.webhook_id AND e.chain = d.chain AND e.status = 'pending' AND e.seq < d.seq)`;

export function pgWebhookStore(db: PgDb): WebhookStore {
  const lastOf = async (id: string): Promise<LastDelivery | null> => {
    const r = await db.one<LastDeliveryRow>(
      `SELECT status, COALESCE(delivered_at, last_attempt_at, created_at) AS at, last_status_code
       FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY seq DESC LIMIT 1`,
      [id],
    );
    return toLastDelivery(r);
  };
  const audited = auditedWriter(db);
  return {
    async broadcast(event, audit) {
      return db.tx(async (tx) => {
        if (audit) await appendAudit(tx, audit);
        return queueWebhook(tx, event);
      });
    },
    async create(w, audit) {
      await audited(audit, (sql) =>
        sql.run(
          `INSERT INTO webhooks (id, org_id, url, events, description, secret_salt, active, signing, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            w.id,
            w.orgId,
            w.url,
            JSON.stringify(w.events),
            w.description,
            w.secretSalt,
            w.active,
            w.signing,
            w.createdAt,
            w.updatedAt,
          ],
        ),
      );
    },
    async list(orgId) {
      const rows = await db.rows<WebhookRow>(
        'SELECT * FROM webhooks WHERE org_id = $1 AND deleted_at IS NULL ORDER BY created_at, id',
        [orgId],
      );
      return Promise.all(rows.map(async (r) => ({ ...toWebhook(r), lastDelivery: await lastOf(r.id) })));
    },
    async get(orgId, id) {
      const row = await db.one<WebhookRow>(
        'SELECT * FROM webhooks WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL',
        [orgId, id],
      );
      return row ? { ...toWebhook(row), lastDelivery: await lastOf(row.id) } : null;
    },
    async update(orgId, id, patch, at, audit) {
      const columns: Record<string, unknown> = {
        url: patch.url,
        events: patch.events === undefined ? undefined : JSON.stringify(patch.events),
        description: patch.description,
        active: patch.active,
        secret_salt: patch.secretSalt,
        signing: patch.signing,
      };
      const changed = Object.entries(columns).filter(([, v]) => v !== undefined);
      const values = [...changed.map(([, v]) => v), at, orgId, id];
      const sets = [...changed.map(([c], i) => `${c} = $${i + 1}`), `updated_at = $${changed.length + 1}`];
      const n = changed.length + 1;
      return db.tx(async (tx) => {
        const count = await tx.run(
          `UPDATE webhooks SET ${sets.join(', ')} WHERE org_id = $${n + 1} AND id = $${n + 2} AND deleted_at IS NULL`,
          values,
        );
        if (count > 0 && audit) await appendAudit(tx, audit);
        return count > 0;
      });
    },
    async remove(orgId, id, at, audit) {
      return db.tx(async (tx) => {
        const count = await tx.run(
          'UPDATE webhooks SET deleted_at = $1, active = FALSE, updated_at = $1 WHERE org_id = $2 AND id = $3 AND deleted_at IS NULL',
          [at, orgId, id],
        );
        if (count === 0) return false;
        await tx.run(
          `UPDATE webhook_deliveries SET status = 'failed', last_error = 'endpoint removed', next_attempt_at = NULL
           WHERE webhook_id = $1 AND status = 'pending'`,
          [id],
        );
        if (audit) await appendAudit(tx, audit);
        return true;
      });
    },
    async deliveries(orgId, webhookId, status, limit) {
      const rows = await db.rows<DeliveryRow>(
        `SELECT * FROM webhook_deliveries WHERE org_id = $1 AND webhook_id = $2 AND ($3::text IS NULL OR status = $3)
         ORDER BY seq DESC LIMIT $4`,
        [orgId, webhookId, status ?? null, limit],
      );
      return rows.map(toDelivery);
    },
    async redeliver(orgId, webhookId, deliveryId, at) {
      const count = await db.run(
        `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $1
         WHERE org_id = $2 AND webhook_id = $3 AND id = $4 AND status = 'failed'`,
        [at, orgId, webhookId, deliveryId],
      );
      return count > 0;
    },
    async activeEndpoints() {
      return (
        await db.rows<{ id: string }>('SELECT id FROM webhooks WHERE active AND deleted_at IS NULL')
      ).map((r) => r.id);
    },
    async claim(webhookId, owner, now, until, limit) {
      // SKIP LOCKED: brokers claiming at once pass over each other's rows instead of waiting for them.
      const rows = await db.rows<ClaimedRow>(
        `UPDATE webhook_deliveries SET lease_owner = $2, lease_until = $3
         WHERE seq IN (
           SELECT d.seq FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
           WHERE d.webhook_id = $1 AND d.status = 'pending' AND d.next_attempt_at <= $4
             AND (d.lease_until IS NULL OR d.lease_until <= $4 OR d.lease_owner = $2)
             AND w.active AND w.deleted_at IS NULL AND ${CHAIN_HEAD}
           ORDER BY d.next_attempt_at, d.seq LIMIT $5
           FOR UPDATE OF d SKIP LOCKED)
         RETURNING seq, id, webhook_id, chain, event_type, payload, attempts, created_at, next_attempt_at`,
        [webhookId, owner, until, now, limit],
      );
      if (rows.length === 0) return [];
      const w = await db.one<EndpointRow>('SELECT url, secret_salt, signing FROM webhooks WHERE id = $1', [
        webhookId,
      ]);
      if (!w) return [];
      return dueDeliveries(rows, w);
    },
    async nextDueAt() {
      const row = await db.one<{ at: string | null }>(
        `SELECT MIN(d.next_attempt_at) AS at FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
         WHERE d.status = 'pending' AND w.active AND w.deleted_at IS NULL AND ${CHAIN_HEAD}`,
      );
      return row?.at ?? null;
    },
    async markDelivered(seq, at, statusCode) {
      const n = await db.run(
        `UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status_code = $1,
           last_error = NULL, last_attempt_at = $2, delivered_at = $2, next_attempt_at = NULL,
           lease_owner = NULL, lease_until = NULL WHERE seq = $3 AND status = 'pending'`,
        [statusCode, at, seq],
      );
      return n > 0;
    },
    async markRetry(seq, owner, r) {
      const n = await db.run(
        `UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, last_status_code = $2, last_error = $3,
           last_attempt_at = $4, next_attempt_at = $5, lease_owner = NULL, lease_until = NULL
         WHERE seq = $6 AND status = 'pending' AND lease_owner = $7`,
        [
          r.failed ? 'failed' : 'pending',
          r.statusCode,
          r.error.slice(0, 500),
          r.at,
          r.failed ? null : r.nextAttemptAt,
          seq,
          owner,
        ],
      );
      return n > 0;
    },
    async release(seqs, owner) {
      if (seqs.length === 0) return 0;
      return db.run(
        `UPDATE webhook_deliveries SET lease_owner = NULL, lease_until = NULL
         WHERE seq = ANY($1::bigint[]) AND lease_owner = $2 AND status = 'pending'`,
        [seqs, owner],
      );
    },
  };
}
