import { createHash } from 'node:crypto';
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

/** Every row of every table of a PostgreSQL test database, in a stable order: its snapshot. */
export async function pgSnapshot(dataDir: string): Promise<string> {
  return withPgClient(dataDir, async (c) => {
    const tables = (
      await c.query<{ name: string }>(
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
      )
    ).rows;
    const out: string[] = [];
    for (const t of tables) {
      const rows = (await c.query(`SELECT * FROM "${t.name}"`)).rows.map((r) => JSON.stringify(r)).sort();
      // Hashed: the comparison needs equality, not a readable dump of every table.
      out.push(`${t.name}:${createHash('sha256').update(rows.join('\n')).digest('hex')}:${rows.length}`);
    }
    return out.join('\n');
  });
}
