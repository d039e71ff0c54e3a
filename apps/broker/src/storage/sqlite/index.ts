import { openDatabase } from './database.ts';
import { WriteBatcher } from './write-batcher.ts';
import type { Storage } from '../types.ts';
import {
  sqliteAuthSessionStore,
  sqliteDeviceStore,
  sqliteOrgStore,
  sqliteQueueStore,
  sqliteUserStore,
} from './accounts-repo.ts';
import { sqliteAuditStore } from './audit-repo.ts';
import { sqliteAdhocStore } from './adhoc-repo.ts';
import { sqliteBrandingStore } from './branding-repo.ts';
import { sqliteFailureCounterStore } from './failure-counters-repo.ts';
import { sqliteServiceCaseStore } from './cases-repo.ts';
import {
  sqliteApiTokenStore,
  sqliteMailTemplateStore,
  sqliteNotificationSettingsStore,
} from './integration-repo.ts';
import { sqliteGrantStore } from './grants-repo.ts';
import { sqliteHostStore } from './hosts-repo.ts';
import { sqliteWorkerLeaseStore } from './leases-repo.ts';
import { sqliteOutboxStore } from './outbox-repo.ts';
import { sqliteRequestStore } from './requests-repo.ts';
import { sqliteSessionRecordStore } from './sessions-repo.ts';
import { sqliteWebhookStore } from './webhooks-repo.ts';

/** The embedded default storage: one SQLite file. */
export function openSqliteStorage(file: string): Storage {
  const db = openDatabase(file);
  // One group commit for every request write, so cases and status changes share flushes.
  const batcher = new WriteBatcher(db);
  return {
    orgs: sqliteOrgStore(db),
    users: sqliteUserStore(db),
    authSessions: sqliteAuthSessionStore(db),
    queues: sqliteQueueStore(db),
    devices: sqliteDeviceStore(db),
    requests: sqliteRequestStore(db, batcher),
    outbox: sqliteOutboxStore(db),
    apiTokens: sqliteApiTokenStore(db),
    cases: sqliteServiceCaseStore(db, batcher),
    sessions: sqliteSessionRecordStore(db),
    webhooks: sqliteWebhookStore(db, batcher),
    mailTemplates: sqliteMailTemplateStore(db),
    notificationSettings: sqliteNotificationSettingsStore(db),
    branding: sqliteBrandingStore(db),
    failureCounters: sqliteFailureCounterStore(db),
    audit: sqliteAuditStore(db),
    hosts: sqliteHostStore(db),
    grants: sqliteGrantStore(db),
    adhoc: sqliteAdhocStore(db),
    leases: sqliteWorkerLeaseStore(db),
    async close() {
      db.close();
    },
  };
}
