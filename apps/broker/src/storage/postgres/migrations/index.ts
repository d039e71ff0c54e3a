import { core } from './20270110120000_core.ts';
import { hosts } from './20270110120100_hosts.ts';

export interface PgMigration {
  /** Timestamp-prefixed, so lexical order is the order they were written. */
  id: string;
  sql: string;
}

/** PostgreSQL's migrations; a schema change adds one here beside its SQLite twin. */
export const PG_MIGRATIONS: PgMigration[] = [core, hosts];
