import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import pg from 'pg';
import { freshDatabaseUrl, pgRows as query, sharedPostgres } from '../../testing/postgres-server.ts';
import { openPostgresStorage } from './index.ts';
import { migratePostgres } from './migrate.ts';
import { PG_MIGRATIONS } from './migrations/index.ts';

after(async () => (await sharedPostgres()).stop());

/**
 * A pool for a test. pg-pool's end() resolves before its clients' sockets close, so the
 * cluster's shutdown after the last test can still reach one ("terminating connection due to
 * administrator command"); without a listener that error would fail the run after the fact.
 */
function testPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {});
  return pool;
}

test('three storages opened at once on a fresh database apply each migration once', async () => {
  const url = await freshDatabaseUrl();
  // A trace of every migration's DDL running: a migration applied twice would show twice
  // (and, without the lock, the second CREATE TABLE would fail one of the opens).
  const traced = PG_MIGRATIONS.map((m) => ({
    ...m,
    sql: `${m.sql}\nCREATE TABLE IF NOT EXISTS migration_runs (id TEXT, at TIMESTAMPTZ DEFAULT now());
      INSERT INTO migration_runs (id) VALUES ('${m.id}');`,
  }));
  const pools = [0, 1, 2].map(() => testPool(url, 2));
  try {
    const ran = await Promise.all(pools.map((pool) => migratePostgres(pool, traced)));
    // One opener applied them all, the others none.
    assert.deepEqual(ran.map((ids) => ids.length).sort(), [0, 0, PG_MIGRATIONS.length]);
    const runs = await query<{ id: string; n: string }>(
      url,
      'SELECT id, count(*) AS n FROM migration_runs GROUP BY id ORDER BY id',
    );
    assert.deepEqual(
      runs.map((r) => [r.id, Number(r.n)]),
      PG_MIGRATIONS.map((m) => [m.id, 1]),
    );
  } finally {
    await Promise.all(pools.map((p) => p.end()));
  }
});

test('brokers opening storage together each get a working storage on one schema', async () => {
  const url = await freshDatabaseUrl();
  const storages = await Promise.all([0, 1, 2].map(() => openPostgresStorage(url)));
  try {
    const applied = await query<{ id: string }>(url, 'SELECT id FROM schema_migrations ORDER BY id');
    assert.deepEqual(
      applied.map((r) => r.id),
      PG_MIGRATIONS.map((m) => m.id),
    );
    for (const s of storages) assert.equal(await s.orgs.isSetUp(), false);
  } finally {
    await Promise.all(storages.map((s) => s.close()));
  }
});

test('a failing migration is rolled back and names itself; nothing of it stays', async () => {
  const url = await freshDatabaseUrl();
  const pool = testPool(url, 1);
  try {
    await assert.rejects(
      migratePostgres(pool, [
        { id: '20990101000000_broken', sql: 'CREATE TABLE half (id INT); SELECT nonsense FROM nowhere;' },
      ]),
      /20990101000000_broken/,
    );
    const tables = await query<{ n: string }>(
      url,
      "SELECT count(*) AS n FROM pg_tables WHERE tablename = 'half'",
    );
    assert.equal(Number(tables[0]!.n), 0);
    const applied = await query(url, 'SELECT id FROM schema_migrations');
    assert.equal(applied.length, 0);
  } finally {
    await pool.end();
  }
});
