import type pg from 'pg';
import { PG_MIGRATIONS, type PgMigration } from './migrations/index.ts';

/**
 * The key of the session-level advisory lock the migration runner holds:
 * brokers that start together queue on it, the first migrates, the others
 * then find every migration recorded and apply none. (Any constant works; this
 * one is "beckon" in ASCII, so it is recognisable in pg_locks.)
 */
export const MIGRATION_LOCK = 0x6265636b6f6e;

/** Applies every migration not yet recorded, each in its own transaction, in id order; returns the ids applied. */
export async function migratePostgres(
  pool: pg.Pool,
  migrations: readonly PgMigration[] = PG_MIGRATIONS,
): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)',
      );
      const applied = new Set(
        (await client.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id),
      );
      const ran: string[] = [];
      for (const migration of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
        if (applied.has(migration.id)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [
            migration.id,
            new Date().toISOString(),
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(`migration ${migration.id} failed: ${(error as Error).message}`, { cause: error });
        }
        ran.push(migration.id);
      }
      return ran;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
