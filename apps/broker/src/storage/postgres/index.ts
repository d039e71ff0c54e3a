import type { Storage } from '../types.ts';
import { transitionAudit } from '../../domain/audit-rules.ts';
import { pgAuthSessionStore, pgDeviceStore, pgOrgStore, pgQueueStore, pgUserStore } from './accounts-repo.ts';
import { pgAdhocStore } from './adhoc-repo.ts';
import { appendAudit, pgAuditStore } from './audit-repo.ts';
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
import { pgSessionRecordStore, projectTransition } from './sessions-repo.ts';
import { pgWebhookStore } from './webhooks-repo.ts';

/** The stores over an open, migrated pool. */
export function pgStorage(db: PgDb): Storage {
  return {
    orgs: pgOrgStore(db),
    users: pgUserStore(db),
    authSessions: pgAuthSessionStore(db),
    queues: pgQueueStore(db),
    devices: pgDeviceStore(db),
    // What a status change writes beside itself, in its transaction: the session record and
    // webhook deliveries, then its audit entries (consent questions and answers, session starts and ends).
    requests: pgRequestStore(db, async (tx, t) => {
      await projectTransition(tx, t);
      await appendAudit(tx, transitionAudit(t));
    }),
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
