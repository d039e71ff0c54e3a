import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import pg from 'pg';
import { freshDatabaseUrl } from './postgres-server.ts';

/**
 * Which backend the broker's tests run on: SQLite unless
 * BECKON_TEST_STORAGE=postgres, which gives every test broker a fresh
 * database on the test process's throwaway PostgreSQL (postgres-server.ts).
 * A test broker is known by its data directory, so a broker restarted on the
 * same directory (restart tests) finds the same database.
 */
export const TEST_STORAGE: 'postgres' | 'sqlite' =
  process.env.BECKON_TEST_STORAGE === 'postgres' ? 'postgres' : 'sqlite';

const databases = new Map<string, Promise<string>>();

/** The database URL of the test broker on `dataDir` (made on first use), or null on SQLite. */
export function testDatabaseUrl(dataDir: string): Promise<string> | null {
  if (TEST_STORAGE !== 'postgres') return null;
  let url = databases.get(dataDir);
  if (!url) databases.set(dataDir, (url = freshDatabaseUrl()));
  return url;
}

/** `env` with BECKON_DATABASE_URL added when the tests run on PostgreSQL (unless the test set its own). */
export async function withTestStorage(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<Record<string, string>> {
  if (env.BECKON_DATABASE_URL !== undefined) return env;
  const url = testDatabaseUrl(dataDir);
  return url ? { ...env, BECKON_DATABASE_URL: await url } : env;
}

/** Runs `work` on a connection to the test broker's PostgreSQL database. */
export async function withPgClient<T>(dataDir: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const url = testDatabaseUrl(dataDir);
  if (!url) throw new Error('not on PostgreSQL');
  const client = new pg.Client({ connectionString: await url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Tables a snapshot leaves out: what changes while nothing happens. The
 * sweeper renews its lease at every sweep (worker_leases), whatever a test does.
 */
export const UNSNAPPED_TABLES = new Set(['worker_leases']);

/** Every row of every table of a PostgreSQL test database, as fixture.ts's `snapshot` shows SQLite's. */
export async function pgSnapshot(dataDir: string): Promise<string> {
  return withPgClient(dataDir, async (c) => {
    const tables = (
      await c.query<{ name: string }>(
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
      )
    ).rows.filter((t) => !UNSNAPPED_TABLES.has(t.name));
    const out: string[] = [];
    for (const t of tables) {
      // No rowid: rows in the order of their JSON, which is stable for equal contents.
      const rows = (await c.query(`SELECT * FROM "${t.name}"`)).rows.map((r) => JSON.stringify(r)).sort();
      out.push(`${t.name}:[${rows.join(',')}]`);
    }
    return out.join('\n');
  });
}

/** One statement on a test broker's database: `?` placeholders on both backends; the rows it returns. */
export type TestQuery = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * Runs `work` on the database of the test broker whose SQLite file is
 * `dbFile` (on PostgreSQL: its database), in one transaction: for tests that
 * seed or read rows no route writes (an administrator's tool, an old format).
 * The SQL must be both dialects' (`?` becomes `$n` on PostgreSQL; flags are
 * written as TRUE/FALSE, which SQLite reads as 1/0).
 */
export async function withTestDb<T>(dbFile: string, work: (q: TestQuery) => Promise<T>): Promise<T> {
  if (TEST_STORAGE === 'postgres')
    return withPgClient(dirname(dbFile), async (c) => {
      await c.query('BEGIN');
      try {
        const result = await work(async (sql, params = []) => {
          let n = 0;
          return (
            await c.query(
              sql.replace(/\?/g, () => `$${++n}`),
              params,
            )
          ).rows as Record<string, unknown>[];
        });
        await c.query('COMMIT');
        return result;
      } catch (error) {
        await c.query('ROLLBACK');
        throw error;
      }
    });
  const db = new Database(dbFile);
  try {
    db.exec('BEGIN IMMEDIATE');
    const result = await work(async (sql, params = []) => {
      const statement = db.prepare(sql);
      if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
      statement.run(...params);
      return [];
    });
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  } finally {
    db.close();
  }
}
