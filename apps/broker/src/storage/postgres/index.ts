import type { Storage } from '../types.ts';
import { pgAuthSessionStore, pgDeviceStore, pgOrgStore, pgQueueStore, pgUserStore } from './accounts-repo.ts';
import { pgAdhocStore } from './adhoc-repo.ts';
import { pgAuditStore } from './audit-repo.ts';
import { pgBrandingStore } from './branding-repo.ts';
import { pgServiceCaseStore } from './cases-repo.ts';
import { pgFailureCounterStore } from './failure-counters-repo.ts';
import { pgGrantStore } from './grants-repo.ts';
import { pgHostStore } from './hosts-repo.ts';
import { pgApiTokenStore, pgMailTemplateStore, pgNotificationSettingsStore } from './integration-repo.ts';
import { migratePostgres } from './migrate.ts';
import { pgOutboxStore } from './outbox-repo.ts';
import { openPool, type PgDb } from './pool.ts';
import { pgRequestStore } from './requests-repo.ts';
import { pgSessionRecordStore } from './sessions-repo.ts';
import { pgWorkerLeaseStore } from './leases-repo.ts';
import { pgWebhookStore } from './webhooks-repo.ts';

/** The stores over an open, migrated pool. */
export function pgStorage(db: PgDb): Storage {
  return {
    orgs: pgOrgStore(db),
    users: pgUserStore(db),
    authSessions: pgAuthSessionStore(db),
    queues: pgQueueStore(db),
    devices: pgDeviceStore(db),
    requests: pgRequestStore(db),
    outbox: pgOutboxStore(db),
    apiTokens: pgApiTokenStore(db),
    cases: pgServiceCaseStore(db),
    sessions: pgSessionRecordStore(db),
    webhooks: pgWebhookStore(db),
    mailTemplates: pgMailTemplateStore(db),
    notificationSettings: pgNotificationSettingsStore(db),
    branding: pgBrandingStore(db),
    failureCounters: pgFailureCounterStore(db),
    audit: pgAuditStore(db),
    hosts: pgHostStore(db),
    grants: pgGrantStore(db),
    adhoc: pgAdhocStore(db),
    leases: pgWorkerLeaseStore(db),
    close: () => db.close(),
  };
}

/**
 * Storage on PostgreSQL (BECKON_DATABASE_URL): opens a pool and runs the
 * migrations not yet applied, under an advisory lock, so brokers that start
 * together on one database migrate it once.
 */
export async function openPostgresStorage(url: string): Promise<Storage> {
  const db = openPool(url);
  try {
    await migratePostgres(db.pool);
  } catch (error) {
    await db.close();
    throw error;
  }
  return pgStorage(db);
}
