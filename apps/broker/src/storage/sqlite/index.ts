import { openDatabase } from '../../db/database.ts';
import { WriteBatcher } from '../../db/write-batcher.ts';
import type { Storage } from '../types.ts';
import {
  sqliteAuthSessionStore,
  sqliteDeviceStore,
  sqliteOrgStore,
  sqliteQueueStore,
  sqliteUserStore,
} from './accounts-repo.ts';
import { sqliteOutboxStore } from './outbox-repo.ts';
import { sqliteRequestStore } from './requests-repo.ts';

/** The embedded default storage: one SQLite file. */
export function openSqliteStorage(file: string): Storage {
  const db = openDatabase(file);
  return {
    orgs: sqliteOrgStore(db),
    users: sqliteUserStore(db),
    authSessions: sqliteAuthSessionStore(db),
    queues: sqliteQueueStore(db),
    devices: sqliteDeviceStore(db),
    requests: sqliteRequestStore(db, new WriteBatcher(db)),
    outbox: sqliteOutboxStore(db),
    async close() {
      db.close();
    },
  };
}
