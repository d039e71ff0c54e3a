import type { PgMigration } from './migration.ts';

/**
 * The twin of SQLite's 20270110120000_worker_leases: a mail or a webhook
 * delivery is sent by the broker holding its lease (owner and end), and a
 * whole task (the expiry sweep) by the broker holding its named lease
 * (domain/worker-leases.ts). Claims take rows with FOR UPDATE SKIP LOCKED.
 */
export const workerLeases: PgMigration = {
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
