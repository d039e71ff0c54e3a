import { core } from './20270107120000_core.ts';
import { hosts } from './20270107120100_hosts.ts';
import { workerLeases } from './20270110120000_worker_leases.ts';

// The shape lives in migration.ts, so that a migration file needs nothing from this list.
import type { PgMigration } from './migration.ts';
export type { PgMigration } from './migration.ts';

/**
 * PostgreSQL's migrations. The first two are SQLite's schema up to
 * 20270106120000 in one step (a new database has no history to replay); from
 * then on a schema change adds its twin here, with the SQLite migration's id.
 */
export const PG_MIGRATIONS: PgMigration[] = [core, hosts, workerLeases];
