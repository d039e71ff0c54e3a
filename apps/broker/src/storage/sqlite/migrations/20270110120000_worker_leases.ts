import type { Migration } from './migration.ts';

/**
 * Workers run once across brokers sharing a database: a mail or a webhook
 * delivery is sent by the broker holding its lease (owner and end), and a
 * whole task (the expiry sweep) by the broker holding its named lease. A
 * broker that dies mid-send leaves its rows to whoever claims them once the
 * lease has run out (domain/worker-leases.ts).
 */
export const workerLeases: Migration = {
  id: '20270110120000_worker_leases',
  sql: `
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE outbox ADD COLUMN lease_until TEXT;
ALTER TABLE webhook_deliveries ADD COLUMN lease_owner TEXT;
ALTER TABLE webhook_deliveries ADD COLUMN lease_until TEXT;
CREATE TABLE worker_leases (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  until TEXT NOT NULL
);
`,
};
